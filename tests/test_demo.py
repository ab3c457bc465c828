"""The `make demo` data, seeded once for this module: every journey it promises is
within reach, and every page answers every demo user without a 500.

Seeding the demo takes most of a minute, so the tests that read it share one seeding
(committed at module start, flushed at module end); each test still runs in its own
transaction, so what one test changes (a check-out, say) is rolled back for the next.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.urls import get_resolver, reverse

from nanum.core import clock
from nanum.core.models import District, Organisation, Tenant, User
from nanum.learner_model.models import ModelArtefact
from nanum.lending import selectors
from nanum.lending.models import (
    Asset,
    EquipmentModel,
    ResearchItem,
    ResearchRequest,
    Reservation,
    ZeusSync,
)
from nanum.mentoring.models import Match, MatchRun, Session
from tests.test_no_server_errors import _fill, _walk

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker) -> Iterator[str]:
    """``seed_demo``, committed once for the module; its printed output."""
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the planner sees the demo's rows
    yield out.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()


def test_seed_demo_builds_the_real_structure(demo_output, capsys):
    out = demo_output
    assert Organisation.objects.filter(kind="district_office").count() == 11
    assert District.objects.count() == 25
    schools = Organisation.objects.filter(kind="school").count()
    assert 1250 <= schools <= 1400
    assert (
        Organisation.objects.filter(kind="bank", bank_type="math_science").count() == 11
    )
    assert Organisation.objects.filter(kind="bank", bank_type="central").count() == 1
    assert Organisation.objects.filter(point_type="science_centre").count() == 11
    assert Organisation.objects.filter(point_type="open_lab").count() == 18
    assert Organisation.objects.filter(point_type="math_science_centre").count() == 4
    assert set(Tenant.objects.values_list("slug", flat=True)) == {
        "seoul",
        "chungbuk",
        "pyeongchang",
        "gimpo",
        "taebaek",
        "incheon",
        "yecheon",
    }
    gangseo = District.objects.get(name_ko="강서구")
    assert gangseo.district_office is not None
    assert gangseo.district_office.name_ko == "강서양천교육지원청"
    assert "teacher" in out and "nanum-demo-2026!" in out
    # Running it again keeps the data and prints the accounts again.
    call_command("seed_demo")
    assert "already loaded" in capsys.readouterr().out
    assert User.objects.filter(username="teacher").count() == 1


def test_demo_seeds_a_catalogue_and_reservations(demo_output):
    out = demo_output
    assert "K-STEM Bank" in out
    assert EquipmentModel.objects.count() >= 12
    assert Asset.objects.values("home_bank").distinct().count() >= 10
    assert Reservation.objects.filter(requested_by__username="teacher").count() >= 4
    assert Reservation.objects.filter(status="checked_out").exists()
    # ZEUS: a few hundred idle research items, one request pending, one approved
    assert ResearchItem.objects.filter(withdrawn_at__isnull=True).count() >= 250
    assert ResearchItem.objects.values("owner_name").distinct().count() >= 8
    assert ZeusSync.objects.filter(status="done").count() == 1
    statuses = sorted(ResearchRequest.objects.values_list("status", flat=True))
    assert statuses == ["approved", "review"]


def test_the_demo_board_has_pickups_today_and_tomorrow_a_return_and_approvals(
    demo_output, client_for
):
    assert "bank.gangseo" in demo_output
    staff = User.objects.get(username="bank.gangseo")
    today = clock.today()
    b = selectors.board(actor=staff, day=today)
    starts = {r.start_date for r in b["pickups"]}
    assert {today, today + timedelta(days=1)} <= starts
    assert any(r.end_date == today for r in b["returns_due"])
    assert len(b["approvals"]) >= 3

    # check out by tag: the unit page of a unit held for today's pickup offers it
    r = next(r for r in b["pickups"] if r.start_date == today)
    tags = list(r.allocations.values_list("asset__tag_code", flat=True))
    c = client_for(staff)
    unit = c.get(reverse("lending:tag_lookup"), {"tag": tags[0]}, follow=True)
    assert unit.context["page"].action == "checkout"
    resp = c.post(
        reverse("lending:checkout", args=[r.pk]), {"tag_codes": "\n".join(tags)}
    )
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.status == Reservation.Status.CHECKED_OUT
    assert Asset.objects.get(tag_code=tags[0]).status == Asset.Status.ON_LOAN

    # the return due today: its unit page offers check-in
    back = next(r for r in b["returns_due"] if r.end_date == today)
    tag = back.allocations.values_list("asset__tag_code", flat=True)[0]
    page = c.get(reverse("lending:unit", args=[tag]))
    assert page.context["page"].action == "checkin"


def test_the_demo_gives_the_charts_and_the_calendar_something_to_show(
    demo_output, client_for
):
    staff = User.objects.get(username="bank.gangseo")
    charts = selectors.bank_charts(actor=staff, today=clock.today())
    shares = [float(v[0]) for _l, v in charts.utilisation.table_rows if v[0] != "—"]
    assert sum(1 for s in shares if s > 0) >= 5
    assert any(v[0] != "0" for _l, v in charts.overdue.table_rows)
    board = client_for(staff).get("/lending/staff/")
    assert board.status_code == 200 and board.content.decode().count("<svg") >= 2

    teacher = User.objects.get(username="teacher")
    c = client_for(teacher)
    cards = c.get("/lending/catalogue/")
    assert cards.status_code == 200
    first = cards.context["cards"][0]
    assert first.units > 0
    cal = c.get(f"/lending/catalogue/{first.model.pk}/")
    assert cal.status_code == 200 and 'data-free="yes"' in cal.content.decode()


USERS = [
    None,
    "teacher",
    "bank.gangseo",
    "student",
    "guardian",
    "officer.pyeongchang",
    "mentor",
    "centre",
    "provider",
    "admin",
]


def test_demo_pages_never_answer_500(demo_output, client):
    # The demo's mentoring journey needs the batch match computed while seeding
    # (its task would otherwise run only after the seeding transaction).
    run = MatchRun.objects.get()
    assert run.certified and run.stats["pairs"] > 0
    mentor = User.objects.get(username="mentor")
    assert Match.objects.filter(mentor__user=mentor).exists()
    assert Session.objects.filter(match__mentor__user=mentor).exists()
    routes = [
        r
        for r in _walk(get_resolver().url_patterns)
        if not r.startswith(("admin/", "static/", "jsi18n/"))
    ]
    urls = sorted({u for r in routes for v in ("1", "2", "5") if (u := _fill(r, v))})
    post_urls = sorted({u for r in routes if (u := _fill(r, "1"))})
    failures = []
    for username in USERS:
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))
        for url in urls:
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"{username} GET {url}: {response.status_code}")
        for url in post_urls:
            response = client.post(url, {"id": "1", "quantity": "-3", "date": "x"})
            if response.status_code >= 500:
                failures.append(f"{username} POST {url}: {response.status_code}")
    assert not failures, "\n".join(failures[:40])


def test_the_demo_ends_with_a_trained_learner_model_active(demo_output):
    assert "logistic IRT/PFA model trained on" in demo_output
    active = ModelArtefact.objects.get(is_active=True)
    assert active.model_version == "nanum-pfa-1" and active.dataset == "nanum"
    assert active.metrics["learners"] >= 20 and active.metrics["answers"] >= 300
    assert 0.5 < active.metrics["valid_auc"] <= 1.0
