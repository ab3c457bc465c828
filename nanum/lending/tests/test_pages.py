"""Teachers' pages work without JavaScript, in Korean, and never answer 500."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from nanum.lending.models import CalendarFeed, Consumable, Reservation

from .helpers import book

pytestmark = pytest.mark.django_db


def test_search_and_reserve_through_the_pages(world, lending, client_for):
    c = client_for(world.teacher)
    page = c.get(
        "/lending/",
        {"q": "현미경", "start": lending.day(0), "end": lending.day(2), "quantity": 2},
    )
    html = page.content.decode()
    assert page.status_code == 200 and "생물 현미경" in html
    form = c.get(
        "/lending/reserve/",
        {
            "equipment": lending.microscope.pk,
            "bank": world.district_bank.pk,
            "start": lending.day(0),
            "end": lending.day(2),
            "quantity": 2,
        },
    )
    assert form.status_code == 200
    resp = c.post(
        "/lending/reserve/",
        {
            "equipment": lending.microscope.pk,
            "bank": world.district_bank.pk,
            "school": world.small_school.pk,
            "quantity": 2,
            "start_date": lending.day(0),
            "end_date": lending.day(2),
            "fulfilment": "pickup",
            "purpose": "세포 관찰",
        },
    )
    r = Reservation.objects.get()
    assert resp.status_code == 302 and resp["Location"].endswith(
        f"/lending/reservations/{r.pk}/"
    )
    mine = c.get("/lending/my/").content.decode()
    assert "생물 현미경" in mine


def test_refusal_on_the_form_is_in_korean_and_changes_nothing(
    world, lending, client_for
):
    c = client_for(world.teacher)
    resp = c.post(
        "/lending/reserve/",
        {
            "equipment": lending.microscope.pk,
            "bank": world.district_bank.pk,
            "school": world.small_school.pk,
            "quantity": 9,
            "start_date": lending.day(0),
            "end_date": lending.day(2),
            "fulfilment": "pickup",
            "purpose": "세포 관찰",
        },
    )
    assert resp.status_code == 422
    assert 'role="alert"' in resp.content.decode()
    assert not Reservation.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"start": "not-a-date", "end": "2026-01-01"},
        {"start": "2026-01-05", "end": "2026-01-01", "quantity": "-3", "grade": "99"},
        {"page": "x", "start": "2026-01-05", "end": "2026-01-06", "quantity": 1},
    ],
)
def test_garbage_search_input_is_a_form_error_not_500(
    world, lending, client_for, query
):
    assert client_for(world.teacher).get("/lending/", query).status_code == 200


def test_garbage_reserve_input(world, lending, client_for):
    c = client_for(world.teacher)
    assert c.get("/lending/reserve/", {"equipment": "abc"}).status_code == 404
    resp = c.post(
        "/lending/reserve/", {"equipment": lending.microscope.pk, "quantity": "lots"}
    )
    assert resp.status_code == 422
    assert c.post("/lending/reservations/999999/cancel/").status_code == 404


def test_ical_feed(world, lending, client_for):

    book(world, lending)
    c = client_for(world.teacher)
    c.post(reverse("lending:feed_action", args=["create"]))

    token = CalendarFeed.objects.get(user=world.teacher).token
    c.logout()
    ics = c.get(f"/lending/feed/{token}.ics")
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content
    assert c.get("/lending/feed/wrong.ics").status_code == 404


def test_staff_pages_render(world, lending, client_for):

    r = book(world, lending)
    c = client_for(world.district_bank_officer)
    for url in [
        "/lending/staff/",
        "/lending/staff/assets/",
        f"/lending/staff/assets/{lending.scopes[0].pk}/",
        f"/lending/staff/reservations/{r.pk}/checkout/",
        "/lending/staff/import/",
        f"/lending/reservations/{r.pk}/",
    ]:
        assert c.get(url).status_code == 200, url
    resp = c.post(
        f"/lending/staff/reservations/{r.pk}/checkout/", {"tag_codes": "MICROSCOPE-001"}
    )
    assert resp.status_code == 302
    page = c.get(f"/lending/staff/reservations/{r.pk}/checkin/")
    assert page.status_code == 200
    resp = c.post(
        f"/lending/staff/reservations/{r.pk}/checkin/",
        {
            "return_0": "on",
            "parts_0": "on",
            "condition_0": "good",
            "missing_0": "",
            "notes_0": "",
        },
    )
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.status == "returned"


def test_staff_reject_on_the_page_and_checkout_with_consumables(
    world, lending, client_for
):

    pending = book(world, lending, model=lending.printer)
    c = client_for(world.district_bank_officer)
    resp = c.post(
        f"/lending/staff/reservations/{pending.pk}/reject/",
        {"reject-reason": "점검 기간"},
    )
    assert resp.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "rejected" and pending.reason == "점검 기간"
    batteries = Consumable.objects.create(
        tenant=world.seoul,
        bank=world.district_bank,
        name_ko="AA 건전지",
        stock=50,
        reorder_level=10,
    )
    r = book(world, lending)
    page = c.get(f"/lending/staff/reservations/{r.pk}/checkout/").content.decode()
    assert "AA 건전지" in page
    bad = c.post(
        f"/lending/staff/reservations/{r.pk}/checkout/",
        {"tag_codes": "MICROSCOPE-001", f"consumable_{batteries.pk}": "999"},
    )
    assert bad.status_code == 422
    batteries.refresh_from_db()
    assert batteries.stock == 50
    ok = c.post(
        f"/lending/staff/reservations/{r.pk}/checkout/",
        {"tag_codes": "MICROSCOPE-001", f"consumable_{batteries.pk}": "12"},
    )
    assert ok.status_code == 302
    batteries.refresh_from_db()
    assert batteries.stock == 38


def test_the_manual_downloads_for_teachers_but_not_other_towns(
    world, lending, client_for, settings, tmp_path
):

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    model = lending.microscope
    model.manual.save("manual.pdf", ContentFile(b"%PDF-1.4 manual"), save=True)
    response = client_for(world.teacher).get(f"/lending/models/{model.pk}/manual")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 manual"
    assert (
        client_for(world.teacher).get(f"/lending/models/{model.pk}/photo").status_code
        == 404
    )  # none uploaded
    assert (
        client_for(world.pyeongchang_officer)
        .get(f"/lending/models/{model.pk}/manual")
        .status_code
        == 404
    )
