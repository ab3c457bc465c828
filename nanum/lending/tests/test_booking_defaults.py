"""Teachers' booking forms start with dates the rules accept, and say the rules first."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nanum.core import clock
from nanum.core.models import CalendarDay
from nanum.lending import selectors
from nanum.lending.models import BankPolicy
from nanum.lending.services import _common

from .helpers import book


def _on(monkeypatch, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


@pytest.mark.django_db
@pytest.mark.parametrize("weekday", range(7))
def test_default_dates_are_school_days_on_every_day_of_the_week(
    world, lending, monkeypatch, weekday
):
    monday = date(2027, 3, 1) + timedelta(days=7)
    today = monday + timedelta(days=weekday)
    _on(monkeypatch, today)
    BankPolicy.objects.update_or_create(
        bank=world.district_bank, defaults={"lead_time_days": 10}
    )
    d = selectors.booking_defaults(actor=world.teacher)
    assert d.start.weekday() < 5 and d.end.weekday() < 5
    assert d.start >= today + timedelta(days=10) == d.earliest
    assert d.start <= d.end <= d.start + timedelta(days=4)
    # and the service accepts exactly these dates (no lead-time or weekend refusal)
    r = book(
        world,
        lending,
        start=(d.start - lending.monday).days,
        end=(d.end - lending.monday).days,
    )
    assert r.start_date == d.start


@pytest.mark.django_db
def test_default_dates_skip_holidays(world, monkeypatch):
    friday = date(2027, 3, 5)
    _on(monkeypatch, friday)
    # a week ahead is Friday the 12th: a holiday, so Monday the 15th
    CalendarDay.objects.create(
        date=date(2027, 3, 12), kind=CalendarDay.Kind.PUBLIC_HOLIDAY, name_ko="휴일"
    )
    d = selectors.booking_defaults(actor=world.teacher)
    assert d.start == date(2027, 3, 15)
    assert d.end == date(2027, 3, 19)
    assert d.school == world.small_school


@pytest.mark.django_db
def test_search_page_preselects_school_and_valid_dates(world, client_for, monkeypatch):
    _on(monkeypatch, date(2027, 3, 3))  # a Wednesday: +7 +4 used to end on Sunday
    page = client_for(world.teacher).get("/lending/")
    assert page.status_code == 200
    form = page.context["form"]
    assert form["school"].value() == world.small_school.pk
    assert form["start"].value() == date(2027, 3, 10)
    assert form["end"].value() == date(2027, 3, 12)
    html = page.content.decode()
    lead = BankPolicy.DEFAULTS["lead_time_days"]
    assert f"{lead}" in html and "rules-h" in html


@pytest.mark.django_db
def test_reserve_page_explains_the_rules_before_submitting(world, lending, client_for):
    page = client_for(world.teacher).get(
        f"/lending/reserve/?equipment={lending.microscope.pk}"
        f"&bank={world.district_bank.pk}"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "rules-h" in html and "14" in html  # the model's longest loan
    form = page.context["form"]
    assert form["school"].value() == world.small_school.pk
    start = form["start_date"].value()
    assert start.weekday() < 5
    assert (
        _common.bank_policy_for(world.district_bank.pk)["lead_time_days"]
        <= (start - clock.today()).days
    )
