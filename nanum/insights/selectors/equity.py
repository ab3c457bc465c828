"""The equity dashboard: demand and allocation of each scarce resource by need
quintile, district office, school level or category, per term, scoped to the actor."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nanum.core.charts import Chart, Series, bar_chart
from nanum.core.models import Organisation, User
from nanum.learning.selectors import insights as learning_insights
from nanum.lending.selectors import insights as lending_insights
from nanum.mentoring import selectors as mentoring_selectors
from nanum.programs.selectors import insights as programs_insights

from ..models import EquityFact, Resource
from .scope import MIN_CELL, EquityScope, equity_scope

DIMENSIONS = {
    "quintile": gettext_lazy("Need quintile"),
    "district_office": gettext_lazy("District office"),
    "school_level": gettext_lazy("School level"),
    "category": gettext_lazy("Category"),
}
TOP = 5


@dataclass(frozen=True)
class EquityFilters:
    resource: str = ""
    term: str = ""
    district_office: int | None = None
    school_level: str = ""
    by: str = "quintile"


@dataclass
class Cell:
    key: str
    label: str
    people: int | None
    requested: int | None
    allocated: int | None
    used: int | None
    suppressed: bool = False

    @property
    def allocation_rate(self) -> float | None:
        if self.suppressed or not self.requested:
            return None
        return round(100 * (self.allocated or 0) / self.requested, 1)

    @property
    def utilisation(self) -> float | None:
        if self.suppressed or not self.allocated:
            return None
        return round(100 * (self.used or 0) / self.allocated, 1)


@dataclass
class ResourceView:
    resource: str
    label: str
    cells: list[Cell]
    people: int
    requested: int
    allocated: int
    used: int
    priority_share: float | None
    chart: Chart | None = None

    @property
    def utilisation(self) -> float | None:
        return round(100 * self.used / self.allocated, 1) if self.allocated else None


@dataclass
class Dashboard:
    scope: EquityScope
    filters: EquityFilters
    resources: list[ResourceView] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


def _labels(by: str) -> dict[str, str]:
    if by == "quintile":
        names = {
            "0": _("Need not known"),
            "1": _("Q1 (least need)"),
            "5": _("Q5 (greatest need)"),
        }
        return {str(q): names.get(str(q), f"Q{q}") for q in range(6)}
    if by == "district_office":
        return {
            str(pk): name
            for pk, name in (
                (o.pk, o.name)
                for o in Organisation.objects.filter(
                    kind=Organisation.Kind.DISTRICT_OFFICE
                )
            )
        } | {"None": _("No district office")}
    if by == "school_level":
        return {str(k): str(v) for k, v in Organisation.SchoolLevel.choices} | {
            "none": _("Not in school"),
            "": _("Not known"),
        }
    labels: dict[str, str] = {"": _("Not known")}
    for getter in (
        lending_insights.equity_category_labels,
        programs_insights.equity_category_labels,
        learning_insights.equity_category_labels,
        mentoring_selectors.equity_category_labels,
    ):
        labels.update(getter())
    return labels


def _suppress(cells: list[Cell]) -> None:
    """Hide cells under MIN_CELL people; if exactly one is hidden, hide the next
    smallest too, so that it cannot be recovered from the total."""
    small = [c for c in cells if (c.people or 0) < MIN_CELL]
    if len(small) == 1:
        rest = sorted((c for c in cells if c not in small), key=lambda c: c.people or 0)
        small.extend(rest[:1])
    for c in small:
        c.people = c.requested = c.allocated = c.used = None
        c.suppressed = True


def priority_share(rows: list[dict[str, Any]]) -> float | None:
    """Share of allocations to the top need quintile ÷ its share of demand."""
    known = [r for r in rows if r["quintile"]]
    req = sum(r["requested"] or 0 for r in known)
    alloc = sum(r["allocated"] or 0 for r in known)
    top_req = sum(r["requested"] or 0 for r in known if r["quintile"] == TOP)
    top_alloc = sum(r["allocated"] or 0 for r in known if r["quintile"] == TOP)
    if not req or not alloc or not top_req:
        return None
    return round((top_alloc / alloc) / (top_req / req), 2)


def _terms(scope: EquityScope) -> list[str]:
    qs = scope.filter(EquityFact.objects.all())
    return sorted(set(qs.values_list("term", flat=True).distinct()), reverse=True)


def equity_terms(*, actor: User) -> list[str]:
    """The terms with figures in ``actor``'s view, newest first."""
    return _terms(equity_scope(actor))


Rows = list[dict[str, Any]]
CACHE_SECONDS = 600


def _aggregates(
    scope: EquityScope, filters: EquityFilters, by: str
) -> tuple[Rows, Rows, dict[str, dict[str, Any]]]:
    """The sums behind the dashboard. Facts change only when they are rebuilt, so the
    sums are cached under the newest fact's id and the number of facts, for at most
    10 minutes."""
    qs = scope.filter(EquityFact.objects.all())
    # A rebuild inserts facts with new ids, or only deletes some: both show here.
    version = tuple(EquityFact.objects.aggregate(v=Max("id"), n=Count("id")).values())
    key = (
        "insights:equity:"
        + hashlib.sha256(repr((version, scope, filters, by)).encode()).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return cast(tuple[Rows, Rows, dict[str, dict[str, Any]]], cached)
    if filters.term:
        qs = qs.filter(term=filters.term)
    if filters.district_office:
        qs = qs.filter(district_office_id=filters.district_office)
    if filters.school_level:
        qs = qs.filter(school_level=filters.school_level)
    if filters.resource:
        qs = qs.filter(resource=filters.resource)
    sums = {
        "people": Count("person", distinct=True),
        "requested": Sum("requested"),
        "allocated": Sum("allocated"),
        "used": Sum("used"),
    }
    grouped: Rows = [
        dict(r)
        for r in qs.values("resource", by).annotate(**sums).order_by("resource", by)
    ]
    by_quintile: Rows = [
        dict(r)
        for r in qs.values("resource", "quintile").annotate(**sums).order_by("resource")
    ]
    totals: dict[str, dict[str, Any]] = {
        r["resource"]: dict(r)
        for r in qs.values("resource").annotate(**sums).order_by()
    }
    cache.set(key, (grouped, by_quintile, totals), CACHE_SECONDS)
    return grouped, by_quintile, totals


def equity_dashboard(*, actor: User, filters: EquityFilters) -> Dashboard:
    scope = equity_scope(actor)
    by = filters.by if filters.by in DIMENSIONS else "quintile"
    board = Dashboard(scope=scope, filters=filters)
    board.terms = _terms(scope)
    grouped, by_quintile, totals = _aggregates(scope, filters, by)
    labels = _labels(by)
    for code, name in Resource.choices:
        if filters.resource and code != filters.resource:
            continue
        total = totals.get(code)
        if total is None:
            continue
        cells = [
            Cell(
                key=str(r[by]),
                label=labels.get(str(r[by]), str(r[by])),
                people=r["people"],
                requested=r["requested"] or 0,
                allocated=r["allocated"] or 0,
                used=r["used"] or 0,
            )
            for r in grouped
            if r["resource"] == code
        ]
        q_rows = [r for r in by_quintile if r["resource"] == code]
        share = priority_share(q_rows)
        if scope.suppress:
            _suppress(cells)
            top = [r for r in q_rows if r["quintile"] == TOP]
            if not top or top[0]["people"] < MIN_CELL:
                share = None
        view = ResourceView(
            resource=code,
            label=str(name),
            cells=cells,
            people=total["people"],
            requested=total["requested"] or 0,
            allocated=total["allocated"] or 0,
            used=total["used"] or 0,
            priority_share=share,
        )
        shown = [c for c in cells if not c.suppressed]
        if shown:
            view.chart = bar_chart(
                title=str(name),
                labels=[c.label for c in shown],
                series=[
                    Series(name=_("Requested"), values=[c.requested for c in shown]),
                    Series(name=_("Allocated"), values=[c.allocated for c in shown]),
                    Series(name=_("Used"), values=[c.used for c in shown]),
                ],
                horizontal=by != "quintile",
            )
        board.resources.append(view)
    return board


EXPORT_HEADER = [
    "resource",
    "group",
    "people",
    "requested",
    "allocated",
    "used",
    "allocation_rate_pct",
    "utilisation_pct",
    "priority_share",
]


def equity_rows(board: Dashboard) -> list[list[Any]]:
    """The dashboard as rows for CSV/Excel (suppressed cells stay empty)."""
    rows: list[list[Any]] = []
    for view in board.resources:
        for c in view.cells:
            rows.append(
                [
                    view.label,
                    c.label,
                    "<5" if c.suppressed else c.people,
                    c.requested,
                    c.allocated,
                    c.used,
                    c.allocation_rate,
                    c.utilisation,
                    view.priority_share,
                ]
            )
    return rows
