"""Each bank's staff act on their own bank; central staff on all; towns never mix."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nanum.core.errors import NotFound, PermissionDenied
from nanum.lending import services
from nanum.lending.models import Allocation, Asset, Reservation

from .helpers import book

pytestmark = pytest.mark.django_db


def test_other_bank_staff_cannot_approve_and_nothing_changes(
    world, lending, client_for, api_token
):
    r = book(world, lending, model=lending.printer)
    with pytest.raises(NotFound):
        services.reservation_approve(
            actor=world.other_bank_officer, reservation_id=r.pk
        )
    raw = api_token(world.other_bank_officer)
    resp = client_for(world.other_bank_officer).post(
        f"/api/v1/lending/reservations/{r.pk}/approve",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert resp.status_code == 404
    assert resp["Content-Type"] == "application/problem+json"
    web = client_for(world.other_bank_officer).post(
        f"/lending/staff/reservations/{r.pk}/approve/"
    )
    assert web.status_code == 404
    r.refresh_from_db()
    assert r.status == "pending"


def test_central_bank_staff_act_on_every_bank(world, lending):
    r = book(world, lending, model=lending.printer)
    services.reservation_approve(actor=world.bank_officer, reservation_id=r.pk)
    r.refresh_from_db()
    assert r.status == "confirmed"


def test_other_bank_staff_cannot_check_out_or_see_the_board(world, lending, client_for):
    r = book(world, lending)
    c = client_for(world.other_bank_officer)
    resp = c.post(
        f"/lending/staff/reservations/{r.pk}/checkout/", {"tag_codes": "MICROSCOPE-001"}
    )
    assert resp.status_code == 404
    board = c.get("/api/v1/lending/board").json()
    assert board["pickups"] == [] and board["approvals"] == []
    r.refresh_from_db()
    assert r.status == "confirmed"


def test_teacher_cannot_see_another_schools_reservation(world, lending, client_for):
    r = book(world, lending)
    c = client_for(world.other_teacher)
    assert c.get(f"/lending/reservations/{r.pk}/").status_code == 404
    assert c.get(f"/api/v1/lending/reservations/{r.pk}").status_code == 404
    resp = c.post(
        f"/api/v1/lending/reservations/{r.pk}/cancel",
        {"reason": "x"},
        content_type="application/json",
    )
    assert resp.status_code == 404
    c.post(f"/lending/reservations/{r.pk}/cancel/", {"reason": "x"})
    r.refresh_from_db()
    assert r.status == "confirmed"
    assert Allocation.objects.filter(reservation=r, active=True).count() == 1


def test_teacher_cannot_use_staff_pages(world, lending, client_for):
    c = client_for(world.teacher)
    assert c.get("/lending/staff/").status_code == 403
    assert c.get("/lending/staff/export/assets.csv").status_code == 403
    assert c.get("/api/v1/lending/assets").json()["items"] == []


def test_other_towns_officer_sees_no_seoul_catalogue_and_cannot_book(
    world, lending, client_for
):
    c = client_for(world.pyeongchang_officer)
    assert c.get("/api/v1/lending/models").json()["items"] == []
    resp = c.post(
        "/api/v1/lending/reservations",
        {
            "equipment_id": lending.microscope.pk,
            "bank_id": world.district_bank.pk,
            "school_id": world.small_school.pk,
            "quantity": 1,
            "start_date": str(lending.day(0)),
            "end_date": str(lending.day(1)),
            "purpose": "x",
        },
        content_type="application/json",
    )
    assert resp.status_code == 403
    assert not Reservation.objects.exists()


def test_other_bank_staff_cannot_export_or_import_into_a_foreign_bank(
    world, lending, client_for
):

    c = client_for(world.other_bank_officer)
    text = c.get("/lending/staff/export/assets.csv").content.decode("utf-8-sig")
    assert "MICROSCOPE-001" not in text
    csv = "tag_code,model_code,bank_code\nNEW-1,microscope,bank-gangseo-yangcheon\n"
    resp = c.post(
        "/lending/staff/import/",
        {"kind": "assets", "file": SimpleUploadedFile("a.csv", csv.encode())},
    )
    assert resp.status_code == 422

    assert not Asset.objects.filter(tag_code="NEW-1").exists()


def test_someone_without_a_teacher_role_cannot_book_even_an_unknown_model(
    world, lending
):

    for model_id in (lending.microscope.pk, 999999):
        with pytest.raises(PermissionDenied):
            services.reservation_create(
                actor=world.mentor,
                equipment_id=model_id,
                bank_id=world.district_bank.pk,
                school_id=world.small_school.pk,
                quantity=1,
                start_date=lending.day(0),
                end_date=lending.day(1),
                purpose="x",
            )
    assert not Reservation.objects.exists()


def test_an_administrator_may_book_for_any_school(world, lending):
    r = services.reservation_create(
        actor=world.admin,
        equipment_id=lending.microscope.pk,
        bank_id=world.district_bank.pk,
        school_id=world.big_school.pk,
        quantity=1,
        start_date=lending.day(0),
        end_date=lending.day(1),
        purpose="x",
    )
    assert r.status == "confirmed"


def test_staff_asset_list_is_scoped_to_their_bank(world, lending, client_for):
    own = (
        client_for(world.district_bank_officer)
        .get("/api/v1/lending/assets")
        .json()["items"]
    )
    assert {a["tag_code"] for a in own} >= {"MICROSCOPE-001", "DRONE-001"}
    assert "MICROBIT-KIT-001" not in {a["tag_code"] for a in own}  # central bank's
    other = client_for(world.other_bank_officer).get("/api/v1/lending/assets").json()
    assert other["items"] == [] and other["count"] == 0
    central = (
        client_for(world.bank_officer)
        .get("/api/v1/lending/assets?limit=200")
        .json()["items"]
    )
    assert {"MICROSCOPE-001", "MICROBIT-KIT-001"} <= {a["tag_code"] for a in central}
