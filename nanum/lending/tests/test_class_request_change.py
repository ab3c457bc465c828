"""A whole class request changed (dates, units) or cancelled: all parts or none."""

from __future__ import annotations

import uuid

import pytest

from nanum.lending.models import Allocation, Reservation

from .helpers import book, make_assets
from .test_no_double_booking import overlapping_pairs

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(world, lending):
    """Microscopes: 3 at the district bank, 2 at the central bank, 4 at 동부."""
    make_assets(world, lending.microscope, 2, bank=world.central_bank, prefix="C")
    make_assets(world, lending.microscope, 4, bank=world.other_bank, prefix="O")
    return lending


def _class_set(world, lending, client, qty=8):
    body = client.post(
        "/api/v1/lending/class-requests",
        {
            "equipment_id": lending.microscope.pk,
            "school_id": world.small_school.pk,
            "quantity": qty,
            "start_date": str(lending.day(0)),
            "end_date": str(lending.day(4)),
            "purpose": "학급 실험",
        },
        content_type="application/json",
    )
    assert body.status_code == 201, body.content
    return body.json()["id"]


def _open(group):
    return Reservation.objects.filter(
        class_request=group, status__in=Reservation.OPEN
    ).order_by("pk")


def _snapshot():
    return sorted(
        Reservation.objects.values_list("pk", "status", "quantity", "start_date")
    ), Allocation.objects.filter(active=True).count()


def test_the_page_changes_dates_and_units_of_every_part(world, spread, client_for):
    c = client_for(world.teacher)
    group = _class_set(world, spread, c)
    url = f"/lending/class-request/{group}/"
    page = c.get(url)
    assert page.status_code == 200
    assert world.other_bank.name in page.content.decode()
    field = f"qty_{spread.microscope.pk}"
    done = c.post(
        url,
        {
            "action": "change",
            "start_date": spread.day(7),
            "end_date": spread.day(9),
            field: 6,
        },
    )
    assert done.status_code == 302
    parts = list(_open(group))
    assert sum(r.quantity for r in parts) == 6
    assert {(r.start_date, r.end_date) for r in parts} == {
        (spread.day(7), spread.day(9))
    }
    assert Allocation.objects.filter(active=True).count() == 6
    assert (
        Reservation.objects.filter(
            class_request=group, status=Reservation.Status.CANCELLED
        ).count()
        == 3
    )
    assert overlapping_pairs() == 0
    # the reservation page links to the whole request
    detail = c.get(f"/lending/reservations/{parts[0].pk}/").content.decode()
    assert url in detail


def test_a_change_that_cannot_be_filled_changes_nothing(world, spread, client_for):
    c = client_for(world.teacher)
    group = _class_set(world, spread, c)
    before = _snapshot()
    url = f"/lending/class-request/{group}/"
    field = f"qty_{spread.microscope.pk}"
    short = c.post(
        url,
        {
            "action": "change",
            "start_date": spread.day(0),
            "end_date": spread.day(4),
            field: 10,
        },
    )
    assert short.status_code == 422
    assert "1" in short.content.decode()  # says what is missing
    assert _snapshot() == before
    bad = c.post(
        url,
        {
            "action": "change",
            "start_date": spread.day(4),
            "end_date": spread.day(0),
            field: 2,
        },
    )
    assert bad.status_code == 422
    assert _snapshot() == before
    api = c.post(
        f"/api/v1/lending/class-requests/{group}/change",
        {
            "start_date": str(spread.day(0)),
            "end_date": str(spread.day(4)),
            "items": [{"equipment_id": spread.microscope.pk, "quantity": 10}],
        },
        content_type="application/json",
    )
    assert api.status_code == 409
    assert api["Content-Type"] == "application/problem+json"
    assert api.json()["code"] == "class_request_short"
    assert _snapshot() == before


def test_the_api_changes_and_cancels_the_whole_request(world, spread, client_for):
    c = client_for(world.teacher)
    group = _class_set(world, spread, c)
    got = c.get(f"/api/v1/lending/class-requests/{group}")
    assert got.status_code == 200 and got.json()["quantity"] == 8
    changed = c.post(
        f"/api/v1/lending/class-requests/{group}/change",
        {"start_date": str(spread.day(14)), "end_date": str(spread.day(15))},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["id"] == group and body["quantity"] == 8
    assert {p["start_date"] for p in body["reservations"]} == {str(spread.day(14))}
    assert sum(len(p["asset_tags"]) for p in body["reservations"]) == 8
    cancelled = c.post(
        f"/api/v1/lending/class-requests/{group}/cancel",
        {"reason": "수업 일정 변경"},
        content_type="application/json",
    )
    assert cancelled.status_code == 200
    assert {p["status"] for p in cancelled.json()["reservations"]} == {"cancelled"}
    assert not _open(group).exists()
    assert Allocation.objects.filter(active=True).count() == 0
    again = c.post(
        f"/api/v1/lending/class-requests/{group}/cancel",
        {},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "wrong_status"


def test_the_page_cancels_every_part_and_frees_the_waitlist(world, spread, client_for):
    c = client_for(world.teacher)
    group = _class_set(world, spread, c, qty=9)  # every microscope
    waiting = book(
        world,
        spread,
        qty=1,
        start=1,
        end=2,
        waitlist=True,
        actor=world.other_teacher,
        school=world.big_school,
    )
    assert waiting.status == Reservation.Status.WAITLISTED
    url = f"/lending/class-request/{group}/"
    done = c.post(url, {"action": "cancel", "reason": "행사 취소"})
    assert done.status_code == 302
    assert not _open(group).exists()
    assert set(
        Reservation.objects.filter(class_request=group).values_list("reason", flat=True)
    ) == {"행사 취소"}
    waiting.refresh_from_db()
    assert waiting.status == Reservation.Status.OFFERED


def test_a_checked_out_part_blocks_the_whole_change(world, spread, client_for):
    c = client_for(world.teacher)
    group = _class_set(world, spread, c)
    part = _open(group).first()
    Reservation.objects.filter(pk=part.pk).update(status=Reservation.Status.CHECKED_OUT)
    before = _snapshot()
    url = f"/lending/class-request/{group}/"
    refused = c.post(url, {"action": "cancel"})
    assert refused.status_code == 422
    assert _snapshot() == before
    api = c.post(
        f"/api/v1/lending/class-requests/{group}/change",
        {"start_date": str(spread.day(7)), "end_date": str(spread.day(8))},
        content_type="application/json",
    )
    assert api.status_code == 409
    assert _snapshot() == before


def test_other_schools_and_staff_cannot_see_or_touch_it(world, spread, client_for):
    group = _class_set(world, spread, client_for(world.teacher))
    before = _snapshot()
    for user in (world.other_teacher, world.other_bank_officer):
        c = client_for(user)
        assert c.get(f"/lending/class-request/{group}/").status_code == 404
        assert (
            c.post(f"/lending/class-request/{group}/", {"action": "cancel"}).status_code
            == 404
        )
        api = c.post(
            f"/api/v1/lending/class-requests/{group}/cancel",
            {},
            content_type="application/json",
        )
        assert api.status_code == 404
    unknown = client_for(world.teacher).get(
        f"/api/v1/lending/class-requests/{uuid.uuid4()}"
    )
    assert unknown.status_code == 404
    assert _snapshot() == before


def test_the_search_api_proposes_the_split_across_banks(world, spread, client_for):
    c = client_for(world.teacher)
    q = {
        "start": str(spread.day(0)),
        "end": str(spread.day(4)),
        "school_id": world.small_school.pk,
        "q": spread.microscope.name_ko,
    }
    eight = c.get("/api/v1/lending/availability", q | {"quantity": 8}).json()
    mine = next(i for i in eight["items"] if i["model"]["id"] == spread.microscope.pk)
    assert [(p["bank_id"], p["quantity"]) for p in mine["split"]] == [
        (world.district_bank.pk, 3),
        (world.central_bank.pk, 2),
        (world.other_bank.pk, 3),
    ]
    for fits_one_bank_or_none in (2, 10):
        body = c.get(
            "/api/v1/lending/availability", q | {"quantity": fits_one_bank_or_none}
        ).json()
        mine = next(
            i for i in body["items"] if i["model"]["id"] == spread.microscope.pk
        )
        assert mine["split"] == []


def test_the_page_and_its_api_twin_show_the_same_parts(world, spread, client_for):
    c = client_for(world.teacher)
    group = _class_set(world, spread, c)
    page = c.get(f"/lending/class-request/{group}/")
    api = c.get(f"/api/v1/lending/class-requests/{group}").json()
    assert [r.pk for r in page.context["parts"]] == [
        p["id"] for p in api["reservations"]
    ]
    assert sum(r.quantity for r in page.context["open_parts"]) == api["quantity"]
    other = client_for(world.other_teacher)
    assert other.get(f"/lending/class-request/{group}/").status_code == 404
    assert other.get(f"/api/v1/lending/class-requests/{group}").status_code == 404
