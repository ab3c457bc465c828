"""Scanning or typing a tag opens the unit: now, next, and the one action that fits."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from nanum.lending import services
from nanum.lending.models import Asset, Reservation

from .helpers import book, make_assets

pytestmark = pytest.mark.django_db


def test_a_typed_tag_opens_its_unit_with_next_reservation_and_check_out(
    world, lending, client_for
):
    r = book(world, lending, qty=1)
    tag = r.allocations.get(active=True).asset.tag_code
    c = client_for(world.district_bank_officer)
    resp = c.get(
        reverse("lending:tag_lookup"), {"tag": f" {tag.lower()} "}, follow=True
    )
    assert resp.status_code == 200
    page = resp.context["page"]
    assert page.asset.tag_code == tag and page.next.pk == r.pk
    assert page.current is None and page.action == "checkout"
    assert reverse("lending:checkout", args=[r.pk]) in resp.content.decode()


def test_a_unit_on_loan_offers_check_in(world, lending, client_for):
    r = book(world, lending, qty=1)
    tag = r.allocations.get(active=True).asset.tag_code
    services.checkout(
        actor=world.district_bank_officer, reservation_id=r.pk, tag_codes=[tag]
    )
    resp = client_for(world.district_bank_officer).get(
        reverse("lending:unit", args=[tag])
    )
    assert resp.context["page"].current.pk == r.pk
    assert resp.context["page"].action == "checkin"
    assert reverse("lending:checkin", args=[r.pk]) in resp.content.decode()


def test_an_idle_unit_offers_repair(world, lending, client_for):
    resp = client_for(world.district_bank_officer).get(
        reverse("lending:unit", args=["MICROSCOPE-003"])
    )
    assert resp.status_code == 200 and resp.context["page"].action == "repair"
    asset = Asset.objects.get(tag_code="MICROSCOPE-003")
    assert reverse("lending:asset", args=[asset.pk]) in resp.content.decode()


def test_unknown_tag_and_other_banks_tag_say_so_and_change_nothing(
    world, lending, client_for
):
    make_assets(world, lending.microscope, 1, bank=world.central_bank, prefix="CEN")
    before = list(Asset.objects.values_list("pk", "status", "location_id"))
    c = client_for(world.district_bank_officer)
    with translation.override("ko"):
        unknown = c.get(reverse("lending:unit", args=["NOPE-1"]))
        theirs = c.get(reverse("lending:unit", args=["CEN-001"]))
        empty = c.get(reverse("lending:tag_lookup"), {"tag": ""})
        odd = c.get(reverse("lending:tag_lookup"), {"tag": "A#1?x=%"})
    assert unknown.status_code == 404 and "NOPE-1" in unknown.content.decode()
    assert "태그" in unknown.content.decode()
    assert theirs.status_code == 404 and "다른 은행" in theirs.content.decode()
    assert empty.status_code == 404 and odd.status_code == 404
    assert list(Asset.objects.values_list("pk", "status", "location_id")) == before
    assert Reservation.objects.count() == 0


def test_every_staff_page_has_the_tag_form(world, lending, client_for):
    c = client_for(world.district_bank_officer)
    for name in ("lending:board", "lending:assets", "lending:staff_search"):
        html = c.get(reverse(name)).content.decode()
        assert reverse("lending:tag_lookup") in html and 'name="tag"' in html


def test_teachers_cannot_open_units(world, lending, client_for):
    resp = client_for(world.teacher).get(
        reverse("lending:unit", args=["MICROSCOPE-001"])
    )
    assert resp.status_code == 403


def test_the_reservation_page_has_the_tag_box_for_staff_only(
    world, lending, client_for
):
    r = book(world, lending, qty=1)
    url = reverse("lending:reservation", args=[r.pk])
    box = f'action="{reverse("lending:tag_lookup")}"'
    assert box in client_for(world.district_bank_officer).get(url).content.decode()
    assert box not in client_for(world.teacher).get(url).content.decode()
