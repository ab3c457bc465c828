"""Scarcity round: higher need first, then a lottery reproducible from the seed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from nanum.core.models import Role, RoleAssignment
from nanum.core.testing import OrganisationFactory, make_user
from nanum.lending import services
from nanum.lending.models import AllocationRound, Reservation

from .helpers import book

pytestmark = pytest.mark.django_db


def test_round_allocates_by_need_then_lottery_with_reasons(world, lending):
    rnd = services.round_create(
        actor=world.district_bank_officer,
        bank_id=world.district_bank.pk,
        name="2027 1학기 개학 주간",
        window_start=lending.day(0),
        window_end=lending.day(30),
        collect_until=timezone.now() + timedelta(days=1),
    )
    requests = []
    for i, need in enumerate(["0.900", "0.200", "0.550", "0.100"]):
        school = OrganisationFactory.create(
            tenant=world.seoul,
            need_index=need,
            parent=world.district_office,
            district=world.gangseo,
        )
        t = make_user(f"t{i}", Role.TEACHER, school)
        requests.append(book(world, lending, actor=t, school=school, qty=1))
    assert {r.status for r in requests} == {"in_round"}
    services.round_run(actor=world.district_bank_officer, round_id=rnd.pk, seed=42)
    got = {r.school.need_index: Reservation.objects.get(pk=r.pk) for r in requests}

    assert got[Decimal("0.900")].status == "confirmed"
    assert got[Decimal("0.550")].status == "confirmed"
    assert got[Decimal("0.200")].status == "confirmed"
    assert got[Decimal("0.100")].status == "waitlisted"
    assert "42" in got[Decimal("0.100")].reason
    # reproducible: the same seed gives the same order
    reqs = list(Reservation.objects.filter(round=rnd).select_related("school"))
    assert [r.pk for r, *_ in services.draw_order(reqs, 42)] == [
        r.pk for r, *_ in services.draw_order(reqs, 42)
    ]
    assert RoleAssignment.objects.exists()


def test_staff_open_and_run_a_round_on_the_page(world, lending, client_for):
    c = client_for(world.district_bank_officer)
    resp = c.post(
        "/lending/staff/rounds/",
        {
            "create": "1",
            "bank": world.district_bank.pk,
            "name": "개학 주간",
            "window_start": lending.day(0),
            "window_end": lending.day(14),
            "collect_until": (timezone.localtime() + timedelta(days=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        },
    )
    assert resp.status_code == 302
    r = book(world, lending, qty=1)
    assert r.status == "in_round"

    rnd = AllocationRound.objects.get()
    assert (
        c.post("/lending/staff/rounds/", {"run": rnd.pk, "seed": "99"}).status_code
        == 302
    )
    r.refresh_from_db()
    assert r.status == "confirmed" and "99" in r.reason
    bad = c.post(
        "/lending/staff/rounds/",
        {"create": "1", "bank": world.other_bank.pk, "name": ""},
    )
    assert bad.status_code == 422
    assert client_for(world.teacher).get("/lending/staff/rounds/").status_code == 403
