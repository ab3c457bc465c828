"""Semester start: approve many at once (per-row results, each audited); the pick list
and the delivery list of a day, per bank and route."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nanum.core.models import AuditLog
from nanum.lending.models import Reservation

from .helpers import book

pytestmark = pytest.mark.django_db


def _pending(world, lending, n: int) -> list[Reservation]:
    return [
        book(world, lending, model=lending.printer, start=7 * i, end=7 * i + 1)
        for i in range(n)
    ]


def test_approve_many_at_once_with_per_row_results_and_audit(
    world, lending, client_for
):
    a, b = _pending(world, lending, 2)
    assert a.status == b.status == Reservation.Status.PENDING
    done = book(world, lending, qty=1, start=22, end=23)  # confirmed already
    c = client_for(world.district_bank_officer)
    board = c.get(reverse("lending:board")).content.decode()
    assert reverse("lending:approvals") in board
    page = c.get(reverse("lending:approvals"))
    html = page.content.decode()
    assert f'value="{a.pk}"' in html and f'value="{b.pk}"' in html
    resp = c.post(reverse("lending:approvals"), {"reservations": [a.pk, b.pk, done.pk]})
    assert resp.status_code == 200
    rows = {r.reservation_id: r.approved for r in resp.context["results"]}
    assert rows == {a.pk: True, b.pk: True, done.pk: False}
    for r in (a, b):
        r.refresh_from_db()
        assert r.status == Reservation.Status.CONFIRMED
    assert AuditLog.objects.filter(action="lending.reservation.approve").count() == 2


def test_bulk_approval_refuses_other_banks_rows_and_empty_posts(
    world, lending, client_for
):
    (a,) = _pending(world, lending, 1)
    other = client_for(world.other_bank_officer).post(
        reverse("lending:approvals"), {"reservations": [a.pk]}
    )
    assert other.status_code in (200, 403)
    if other.status_code == 200:
        assert [r.approved for r in other.context["results"]] == [False]
    a.refresh_from_db()
    assert a.status == Reservation.Status.PENDING
    c = client_for(world.district_bank_officer)
    empty = c.post(reverse("lending:approvals"), {})
    assert empty.status_code == 422
    junk = c.post(reverse("lending:approvals"), {"reservations": ["x'; drop"]})
    assert junk.status_code == 422
    a.refresh_from_db()
    assert a.status == Reservation.Status.PENDING


def test_central_staff_approve_across_banks(world, lending, client_for):
    (a,) = _pending(world, lending, 1)
    resp = client_for(world.bank_officer).post(
        reverse("lending:approvals"), {"reservations": [a.pk]}
    )
    assert [r.approved for r in resp.context["results"]] == [True]


def test_pick_list_and_delivery_list_of_a_day(world, lending, client_for):
    pick = book(world, lending, qty=2, start=0, end=2)
    deliver = book(world, lending, qty=1, start=0, end=2, fulfilment="delivery")
    c = client_for(world.district_bank_officer)
    url = reverse("lending:day_list")
    resp = c.get(url, {"day": lending.day(0), "kind": "pick"})
    assert resp.status_code == 200
    rows = [r for g in resp.context["groups"] for r, _tags in g.rows]
    assert {r.pk for r in rows} == {pick.pk, deliver.pk}
    tags = dict((r.pk, t) for g in resp.context["groups"] for r, t in g.rows)
    assert len(tags[pick.pk]) == 2 and len(tags[deliver.pk]) == 1
    assert tags[pick.pk][0] in resp.content.decode()
    delivery = c.get(url, {"day": lending.day(0), "kind": "delivery"})
    assert delivery.status_code == 200
    groups = delivery.context["groups"]
    assert [r.pk for g in groups for r, _t in g.rows] == [deliver.pk]
    district = world.small_school.district
    assert groups[0].route == (str(district.name) if district else "")
    other_day = c.get(url, {"day": lending.day(1), "kind": "pick"})
    assert other_day.context["groups"] == []
    bad = c.get(url, {"day": "not-a-day", "kind": "route66"})
    assert bad.status_code == 422
    assert client_for(world.teacher).get(url).status_code == 403
