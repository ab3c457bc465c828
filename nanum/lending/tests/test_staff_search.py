"""Staff find any reservation of their banks by number, school, teacher, tag, status, dates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nanum.lending.models import Reservation

from .helpers import book, make_assets

pytestmark = pytest.mark.django_db


def _numbers(resp) -> set[int]:
    page = resp.context["page"]
    return {r.pk for r in page.object_list} if page is not None else set()


def test_search_by_number_school_teacher_tag_status_and_dates(
    world, lending, client_for
):
    near = book(world, lending, qty=1, start=0, end=2)
    later = book(world, lending, qty=1, start=14, end=16)
    c = client_for(world.district_bank_officer)
    url = reverse("lending:staff_search")
    assert _numbers(c.get(url, {"q": str(near.pk)})) >= {near.pk}
    assert _numbers(c.get(url, {"q": f"#{later.pk}"})) >= {later.pk}
    school = str(world.small_school.name_ko)[:4]
    assert _numbers(c.get(url, {"q": school})) == {near.pk, later.pk}
    teacher = world.teacher.username
    assert _numbers(c.get(url, {"q": teacher})) == {near.pk, later.pk}
    tag = near.allocations.get(active=True).asset.tag_code
    found = _numbers(c.get(url, {"tag": tag.lower()}))
    assert near.pk in found
    assert _numbers(c.get(url, {"status": "confirmed"})) == {near.pk, later.pk}
    assert _numbers(c.get(url, {"status": "checked_out"})) == set()
    window = {"start": lending.day(10), "end": lending.day(20)}
    assert _numbers(c.get(url, window)) == {later.pk}
    html = c.get(url, {"q": str(near.pk)}).content.decode()
    assert reverse("lending:reservation", args=[near.pk]) in html


def test_search_is_scoped_to_the_staffs_banks_and_central_sees_all(
    world, lending, client_for
):
    mine = book(world, lending, qty=1)
    make_assets(world, lending.microscope, 2, bank=world.central_bank, prefix="CEN")
    central = book(world, lending, qty=1, bank=world.central_bank, start=7, end=9)
    url = reverse("lending:staff_search")
    district = _numbers(client_for(world.district_bank_officer).get(url, {"q": ""}))
    assert mine.pk in district and central.pk not in district
    other = client_for(world.other_bank_officer).get(url, {"q": str(mine.pk)})
    assert _numbers(other) == set()
    everything = _numbers(client_for(world.bank_officer).get(url, {"q": ""}))
    assert {mine.pk, central.pk} <= everything


def test_search_is_paginated_and_refuses_bad_input_without_a_500(
    world, lending, client_for
):
    for i in range(3):
        book(world, lending, qty=1, start=7 * i, end=7 * i + 1)
    c = client_for(world.district_bank_officer)
    url = reverse("lending:staff_search")
    resp = c.get(url, {"q": "", "page": "999"})
    assert resp.status_code == 200 and resp.context["page"].paginator.count == 3
    bad = c.get(url, {"start": "2026-13-40", "status": "nonsense"})
    assert bad.status_code == 422
    assert "status" in bad.context["form"].errors
    backwards = c.get(url, {"start": lending.day(5), "end": lending.day(1)})
    assert backwards.status_code == 422
    assert Reservation.objects.count() == 3


def test_search_is_refused_to_teachers(world, lending, client_for):
    assert (
        client_for(world.teacher).get(reverse("lending:staff_search")).status_code
        == 403
    )


def test_asset_list_links_each_unit_to_its_reservations_and_unit_page(
    world, lending, client_for
):
    html = (
        client_for(world.district_bank_officer)
        .get(reverse("lending:assets"))
        .content.decode()
    )
    assert f"{reverse('lending:staff_search')}?tag=MICROSCOPE-001" in html
    assert reverse("lending:unit", args=["MICROSCOPE-001"]) in html
    board = client_for(world.district_bank_officer).get(reverse("lending:board"))
    assert reverse("lending:staff_search") in board.content.decode()


def test_staff_search_is_in_the_bank_staff_menu_not_the_teachers(world, client_for):
    url = reverse("lending:staff_search")
    staff_home = client_for(world.district_bank_officer).get("/").content.decode()
    assert f'href="{url}"' in staff_home
    teacher_home = client_for(world.teacher).get("/").content.decode()
    assert f'href="{url}"' not in teacher_home
