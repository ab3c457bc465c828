"""Teachers browse the catalogue as cards and a month of free dates for one model."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest

from nanum.core import clock
from nanum.lending import selectors
from nanum.lending.models import EquipmentModel

from .helpers import book, make_assets, make_model

pytestmark = pytest.mark.django_db


def _month_of(d: date) -> date:
    return d.replace(day=1)


def test_cards_count_units_across_banks_and_show_specs(world, lending, client_for):
    lending.microscope.specs = {"배율": "40–1000×", "광원": "LED"}
    lending.microscope.save()
    make_assets(world, lending.microscope, 2, bank=world.central_bank, prefix="MC")
    cards, more = selectors.catalogue_cards(actor=world.teacher)
    by_code = {c.model.code: c for c in cards}
    assert not more
    assert (by_code["microscope"].units, by_code["microscope"].banks) == (5, 2)
    assert (by_code["microbit-kit"].units, by_code["microbit-kit"].banks) == (2, 1)
    c = client_for(world.teacher)
    c.cookies["nanum_language"] = "ko"
    html = c.get("/lending/catalogue/").content.decode()
    assert "생물 현미경" in html and "배율" in html and "40–1000×" in html
    assert "style=" not in html
    assert f"/lending/catalogue/{lending.microscope.pk}/" in html
    science = c.get("/lending/catalogue/", {"category": "ai_sw"}).content.decode()
    assert "마이크로비트" in science and "생물 현미경" not in science


def test_the_calendar_agrees_with_the_search_day_by_day(world, lending):
    # two of the three microscopes are out for the first week of the test month
    book(world, lending, qty=2, start=0, end=4)
    month = _month_of(lending.monday)
    for quantity in (1, 2):
        cal = selectors.model_calendar(
            actor=world.teacher,
            model_id=lending.microscope.pk,
            month=month,
            quantity=quantity,
        )
        days = [d for week in cal.weeks for d in week if d is not None]
        assert len(days) == calendar.monthrange(month.year, month.month)[1]
        for d in days:
            results, _more = selectors.availability_search(
                actor=world.teacher,
                start=d.day,
                end=d.day,
                quantity=quantity,
                q="microscope",
                school_id=world.small_school.pk,
                alternatives=False,
            )
            search_best = max(b.free for b in results[0].banks)
            assert d.best == search_best, d.day
            assert (d.bank is not None) == (search_best >= quantity), d.day
            if d.bank is not None:  # the bank shown is one the search lists with enough
                listed = {b.bank.pk: b.free for b in results[0].banks}
                assert listed[d.bank.pk] == d.bank_free >= quantity, d.day
    # the booked days: 1 free at the district bank, so 2 units are not free there
    booked = lending.monday + timedelta(days=2)
    if booked.month == month.month:
        day = next(d for w in cal.weeks for d in w if d and d.day == booked)
        assert day.best == 1 and day.bank is None


def test_the_calendar_page_links_free_dates_to_the_reservation_form(
    world, lending, client_for
):
    c = client_for(world.teacher)
    month = _month_of(lending.monday)
    resp = c.get(
        f"/lending/catalogue/{lending.microscope.pk}/",
        {"month": month.strftime("%Y-%m"), "quantity": 3},
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and "<caption>" in html and "style=" not in html
    monday = lending.monday.isoformat()
    if lending.monday.month == month.month:
        assert (
            f"/lending/reserve/?equipment={lending.microscope.pk}"
            f"&bank={world.district_bank.pk}&start={monday}&end={monday}"
            "&quantity=3"
        ) in html
    form = c.get(
        "/lending/reserve/",
        {
            "equipment": lending.microscope.pk,
            "bank": world.district_bank.pk,
            "start": monday,
            "end": monday,
            "quantity": 3,
        },
    )
    assert form.status_code == 200 and monday in form.content.decode()


@pytest.mark.parametrize(
    ("params", "ko", "en"),
    [
        ({"quantity": 0}, "최소 1", "at least one unit"),
        ({"quantity": 100000}, "500", "at most 500 units"),
        ({"month": "2026-13"}, "2026-03", "year-month"),
        ({"month": "abc"}, "2026-03", "year-month"),
        ({"month": "1999-01"}, "월을 고르세요", "Choose a month from"),
    ],
)
def test_bad_input_gets_a_clear_message_in_both_languages(
    world, lending, client_for, params, ko, en
):
    c = client_for(world.teacher)
    url = f"/lending/catalogue/{lending.microscope.pk}/"
    for lang, words in (("ko", ko), ("en", en)):
        c.cookies["nanum_language"] = lang
        resp = c.get(url, params, HTTP_ACCEPT_LANGUAGE=lang)
        html = resp.content.decode()
        assert resp.status_code == 400 and 'role="alert"' in html
        assert words in html, (lang, params)
        assert "data-date=" not in html


def test_another_towns_model_is_not_found_and_its_units_are_not_counted(
    world, lending, client_for
):
    far = make_model(
        world, "gimpo-scope", tenant=world.gimpo, name_ko="김포 현미경", name_en="Gimpo"
    )
    assert (
        client_for(world.teacher).get(f"/lending/catalogue/{far.pk}/").status_code
        == 404
    )
    codes = {c.model.code for c in selectors.catalogue_cards(actor=world.teacher)[0]}
    assert "gimpo-scope" not in codes and "microscope" in codes
    assert EquipmentModel.objects.filter(code="gimpo-scope").exists()


def test_the_search_page_links_to_the_catalogue(world, lending, client_for):
    html = client_for(world.teacher).get("/lending/").content.decode()
    assert "/lending/catalogue/" in html
    today = clock.today()
    assert selectors.last_month() > today.replace(day=1)
