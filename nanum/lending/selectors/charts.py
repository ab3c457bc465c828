"""Figures for the bank staff's charts: utilisation per week and overdue loans per bank.

Read-only and scoped like the board: a bank's staff see their bank (and its lending
points), central bank staff every bank of their tenant, administrators every bank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from nanum.core.charts import Chart, Series, bar_chart
from nanum.core.errors import PermissionDenied
from nanum.core.models import Organisation, User

from ..models import Asset, Reservation
from .roles import is_bank_staff, staff_bank_ids

CHART_WEEKS = 8
LENT = (Reservation.Status.CHECKED_OUT, Reservation.Status.RETURNED)


@dataclass(frozen=True)
class BankCharts:
    utilisation: Chart  # % of unit-days lent, per week (Monday label), oldest first
    overdue: Chart  # loans and units past their return date, per bank


def _weeks(today: date, n: int) -> list[tuple[date, date]]:
    """The last ``n`` weeks (Monday to Sunday), the current one cut at ``today``."""
    monday = today - timedelta(days=today.weekday())
    weeks = []
    for i in range(n - 1, -1, -1):
        start = monday - timedelta(days=7 * i)
        weeks.append((start, min(start + timedelta(days=6), today)))
    return weeks


def bank_charts(*, actor: User, today: date) -> BankCharts:
    """Utilisation (unit-days lent ÷ unit-days held) for the last eight weeks, and the
    loans overdue now per bank. Refused to anyone who is no bank's staff."""
    if not is_bank_staff(actor):
        raise PermissionDenied()
    banks = staff_bank_ids(actor)
    weeks = _weeks(today, CHART_WEEKS)
    first = weeks[0][0]
    assets = Asset.objects.filter(status__in=Asset.BOOKABLE)
    loans = Reservation.objects.filter(
        status__in=LENT, start_date__lte=today, end_date__gte=first
    )
    late = Reservation.objects.filter(
        status=Reservation.Status.CHECKED_OUT, end_date__lt=today
    )
    bank_orgs = Organisation.objects.filter(kind=Organisation.Kind.BANK, is_active=True)
    if banks is not None:
        assets = assets.filter(home_bank_id__in=banks)
        loans = loans.filter(bank_id__in=banks)
        late = late.filter(bank_id__in=banks)
        bank_orgs = bank_orgs.filter(pk__in=banks)
    units = assets.count()
    lent = [0] * len(weeks)
    for start, end, qty, status in loans.values_list(
        "start_date", "end_date", "quantity", "status"
    ):
        if status == Reservation.Status.CHECKED_OUT:
            end = max(end, today)  # still out: lent until it comes back
        for i, (w0, w1) in enumerate(weeks):
            days = (min(end, w1) - max(start, w0)).days + 1
            if days > 0:
                lent[i] += qty * days
    shares: list[float | None] = []
    for i, (w0, w1) in enumerate(weeks):
        held = units * ((w1 - w0).days + 1)
        shares.append(round(100 * lent[i] / held, 1) if held else None)
    utilisation = bar_chart(
        title=_("Utilisation: share of unit-days lent, per week"),
        labels=[w0.strftime("%m/%d") for w0, _w1 in weeks],
        series=[Series(_("Lent"), shares)],
        unit="%",
    )
    per_bank: dict[int, tuple[int, int]] = {
        bank_id: (loans_n, units_n or 0)
        for bank_id, loans_n, units_n in late.values("bank_id")
        .annotate(loans=Count("pk"), units=Sum("quantity"))
        .values_list("bank_id", "loans", "units")
    }
    orgs = list(bank_orgs.order_by("name_ko", "pk"))
    overdue = bar_chart(
        title=_("Loans overdue today, per bank"),
        labels=[o.name for o in orgs],
        series=[
            Series(_("Loans"), [per_bank.get(o.pk, (0, 0))[0] for o in orgs]),
            Series(_("Units"), [per_bank.get(o.pk, (0, 0))[1] for o in orgs]),
        ],
        horizontal=True,
    )
    return BankCharts(utilisation=utilisation, overdue=overdue)
