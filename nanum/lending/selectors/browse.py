"""Browsing the catalogue: model cards, and a month of free dates for one model.

The free counts are the search's own (``availability.free_units`` over the blocked
window of a one-day loan, at the banks the search would show), so the calendar and
the search never disagree.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count

from nanum.core import clock
from nanum.core.models import Organisation, User
from nanum.core.selectors import closed_days

from ..models import Asset, EquipmentModel
from .availability import free_units
from .catalogue import model_get, model_list
from .search import _district_office_id, _network, booking_defaults

CARDS_PAGE = 24
MONTHS_AHEAD = 12


@dataclass(frozen=True)
class CatalogueCard:
    model: EquipmentModel
    units: int  # bookable units across the banks the actor may book from
    banks: int  # how many banks hold them

    @property
    def key_specs(self) -> list[tuple[str, str]]:
        specs = self.model.specs if isinstance(self.model.specs, dict) else {}
        return [(str(k), str(v)) for k, v in list(specs.items())[:4]]


def catalogue_cards(
    *, actor: User, category: str = "", page: int = 1
) -> tuple[list[CatalogueCard], bool]:
    """One page of the actor's catalogue as cards; returns (cards, has_more)."""
    models = list(
        model_list(actor=actor, category=category)[
            (page - 1) * CARDS_PAGE : page * CARDS_PAGE + 1
        ]
    )
    has_more = len(models) > CARDS_PAGE
    models = models[:CARDS_PAGE]
    banks, _points, _school_do = _network(actor=actor, school_id=None)
    counts = {
        row[0]: (row[1], row[2])
        for row in Asset.objects.filter(
            equipment_id__in=[m.pk for m in models],
            status__in=Asset.BOOKABLE,
            home_bank_id__in=list(banks),
        )
        .values("equipment_id")
        .annotate(n=Count("pk"), b=Count("home_bank_id", distinct=True))
        .values_list("equipment_id", "n", "b")
    }
    return [
        CatalogueCard(
            model=m,
            units=counts.get(m.pk, (0, 0))[0],
            banks=counts.get(m.pk, (0, 0))[1],
        )
        for m in models
    ], has_more


@dataclass(frozen=True)
class CalendarDay:
    day: date
    best: int  # the most units free at one bank for a one-day loan on this day
    bank: Organisation | None  # the nearest bank with ``quantity`` free, if any
    bank_free: int  # units free at that bank (0 without one)
    open: bool  # a school day on or after the earliest booking day

    def enough(self, quantity: int) -> bool:
        return self.bank is not None and self.best >= quantity


@dataclass(frozen=True)
class ModelCalendar:
    model: EquipmentModel
    month: date  # the first day of the month
    quantity: int
    weeks: list[list[CalendarDay | None]]  # Monday first; None outside the month
    earliest: date
    school_id: int | None

    @property
    def free_days(self) -> list[date]:
        return [
            d.day
            for week in self.weeks
            for d in week
            if d is not None and d.open and d.enough(self.quantity)
        ]

    @property
    def previous(self) -> date | None:
        prev = (self.month - timedelta(days=1)).replace(day=1)
        first_allowed = clock.today().replace(day=1)
        return prev if prev >= first_allowed else None

    @property
    def next(self) -> date | None:
        nxt = (self.month + timedelta(days=32)).replace(day=1)
        return nxt if nxt <= last_month() else None


def last_month() -> date:
    """The last month a calendar may show (a year ahead)."""
    today = clock.today()
    y, m = divmod(today.month - 1 + MONTHS_AHEAD, 12)
    return date(today.year + y, m + 1, 1)


def model_calendar(
    *, actor: User, model_id: int, month: date, quantity: int
) -> ModelCalendar:
    """For each day of ``month``: units free for a one-day loan at the nearest bank.

    Banks are ordered as the search orders them: the school's district office first,
    then the central bank, then the most free units. NotFound for a model the actor
    may not see.
    """
    model = model_get(actor=actor, model_id=model_id)
    defaults = booking_defaults(actor=actor)
    school_id = defaults.school.pk if defaults.school else None
    banks, _points, school_do = _network(actor=actor, school_id=school_id)
    first = month.replace(day=1)
    days = [
        first + timedelta(days=i)
        for i in range(pycalendar.monthrange(first.year, first.month)[1])
    ]
    windows = [
        (d - timedelta(days=model.prep_days), d + timedelta(days=model.inspection_days))
        for d in days
    ]
    rows = [
        (banks[bank_id], free)
        for _mid, bank_id, free in free_units([model.pk], windows, bank_ids=banks)
        if bank_id in banks
    ]

    def near(org: Organisation) -> tuple[bool, bool]:
        same = school_do is not None and _district_office_id(org) == school_do
        return (not same, org.bank_type != Organisation.BankType.CENTRAL)

    closed = closed_days(start=days[0], end=days[-1])
    by_day: dict[date, CalendarDay] = {}
    for i, d in enumerate(days):
        ranked = sorted(rows, key=lambda r: (*near(r[0]), -r[1][i], r[0].name_ko))
        best = max((r[1][i] for r in rows), default=0)
        bank, bank_free = next(
            ((org, free[i]) for org, free in ranked if free[i] >= quantity), (None, 0)
        )
        is_open = d >= defaults.earliest and d.weekday() < 5 and d not in closed
        by_day[d] = CalendarDay(
            day=d, best=best, bank=bank, bank_free=bank_free, open=is_open
        )
    weeks: list[list[CalendarDay | None]] = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(
        first.year, first.month
    ):
        weeks.append([by_day.get(d) for d in week])
    return ModelCalendar(
        model=model,
        month=first,
        quantity=quantity,
        weeks=weeks,
        earliest=defaults.earliest,
        school_id=school_id,
    )
