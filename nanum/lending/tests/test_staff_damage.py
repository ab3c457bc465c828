"""A damage report needs a description; the photo is optional; the repair reason is the
staff's own words, never an English code word on a Korean page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from nanum.core.errors import InvalidInput
from nanum.lending import services
from nanum.lending.models import (
    Asset,
    DamageReport,
    Inspection,
    MaintenanceTicket,
    Reservation,
)

from .helpers import book

pytestmark = pytest.mark.django_db


def _out(world, lending) -> Reservation:
    r = book(world, lending, qty=1)
    tag = r.allocations.get(active=True).asset.tag_code
    services.checkout(
        actor=world.district_bank_officer, reservation_id=r.pk, tag_codes=[tag]
    )
    return r


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, format="PNG")
    return buf.getvalue()


def _post(c, r, **fields):
    data = {"return_0": "on", "condition_0": "damaged", "missing_0": "", "notes_0": ""}
    data.update(fields)
    return c.post(reverse("lending:checkin", args=[r.pk]), data)


def test_damage_without_description_is_refused_on_the_field_and_nothing_changes(
    world, lending, client_for
):
    r = _out(world, lending)
    c = client_for(world.district_bank_officer)
    with translation.override("ko"):
        resp = _post(c, r, parts_0="on")
    assert resp.status_code == 422
    assert "notes_0" in resp.context["form"].errors
    assert "손상 내용을 적어 주세요" in resp.content.decode()
    incomplete = _post(c, r, condition_0="good")
    assert "missing_0" in incomplete.context["form"].errors
    r.refresh_from_db()
    assert r.status == Reservation.Status.CHECKED_OUT
    assert not DamageReport.objects.exists() and not Inspection.objects.exists()
    assert not MaintenanceTicket.objects.exists()


def test_the_service_refuses_an_undescribed_damage_too(world, lending):
    r = _out(world, lending)
    tag = r.allocations.get(active=True).asset.tag_code
    with pytest.raises(InvalidInput) as exc:
        services.checkin(
            actor=world.district_bank_officer,
            reservation_id=r.pk,
            items=[
                services.CheckinItem(
                    tag_code=tag,
                    parts_complete=True,
                    condition="damaged",
                    notes="  ",
                )
            ],
        )
    assert "notes" in exc.value.field_errors
    assert not DamageReport.objects.exists()


def test_described_damage_with_a_photo_goes_to_repair_in_the_staffs_words(
    world, lending, client_for
):
    r = _out(world, lending)
    c = client_for(world.district_bank_officer)
    photo = SimpleUploadedFile("lens.png", _png(), content_type="image/png")
    resp = _post(c, r, parts_0="on", notes_0="대물렌즈 금 감", photo_0=photo)
    assert resp.status_code == 302
    report = DamageReport.objects.get()
    ticket = MaintenanceTicket.objects.get()
    assert report.description == "대물렌즈 금 감" == ticket.description
    assert str(Inspection.objects.get().photo.name).startswith("lending/inspections/")
    asset = Asset.objects.get(pk=report.asset_id)
    assert asset.status == Asset.Status.IN_REPAIR
    with translation.override("ko"):
        board = c.get(reverse("lending:board")).content.decode()
    assert "대물렌즈 금 감" in board and "check-in" not in board


def test_a_photo_is_optional_but_must_be_an_image(world, lending, client_for):
    r = _out(world, lending)
    c = client_for(world.district_bank_officer)
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    resp = _post(c, r, parts_0="on", notes_0="흠집", photo_0=bad)
    assert resp.status_code == 422 and "photo_0" in resp.context["form"].errors
    assert not DamageReport.objects.exists()
    ok = _post(c, r, parts_0="on", notes_0="흠집")
    assert ok.status_code == 302 and DamageReport.objects.count() == 1
