"""The equity dashboard: demand and allocation of each scarce resource by need
quintile, district office, school level or category, per term, scoped to the actor."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Case, Count, Max, Q, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from nanum.core.charts import Chart, Series, bar_chart
from nanum.core.models import Organisation, User
from nanum.learning.selectors import insights as learning_insights
from nanum.lending.selectors import insights as lending_insights
from nanum.mentoring import selectors as mentoring_selectors
from nanum.programs.selectors import insights as programs_insights

from ..models import EquityFact, Resource
from .cells import cells_to_hide, is_small
from .scope import MIN_CELL, EquityScope, equity_scope

DIMENSIONS = {
    "quintile": gettext_lazy("Need quintile"),
    "district_office": gettext_lazy("District office"),
    "school_level": gettext_lazy("School level"),
    "category": gettext_lazy("Category"),
}
TOP = 5
CHUNK = 500  # people per query (SQLite's limit on parameters)


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
    """One resource's figures; below the office a total of fewer than ``MIN_CELL``
    people (or one that would give a hidden cell away) is hidden (``suppressed``)."""

    resource: str
    label: str
    cells: list[Cell]
    people: int | None
    requested: int | None
    allocated: int | None
    used: int | None
    priority_share: float | None
    chart: Chart | None = None
    suppressed: bool = False

    @property
    def utilisation(self) -> float | None:
        if self.suppressed or not self.allocated:
            return None
        return round(100 * (self.used or 0) / self.allocated, 1)


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


def _hide(cell: Cell) -> None:
    cell.people = cell.requested = cell.allocated = cell.used = None
    cell.suppressed = True


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
SUMS = {
    "people": Count("person", distinct=True),
    "requested": Sum("requested"),
    "allocated": Sum("allocated"),
    "used": Sum("used"),
}


@dataclass
class Sums:
    """The sums behind the dashboard, and below the office what another view gives
    away by subtraction: the cells and totals (``leaky_*``) where a wider view (fewer
    filters) holds 1..k-1 more people, and the people counted in two cells or more
    (``multi_*``: per resource, the cells of each)."""

    grouped: Rows
    by_quintile: Rows
    totals: dict[str, dict[str, Any]]
    leaky_grouped: set[tuple[str, str]] = field(default_factory=set)
    leaky_by_quintile: set[tuple[str, str]] = field(default_factory=set)
    leaky_totals: set[str] = field(default_factory=set)
    multi_grouped: dict[str, list[frozenset[str]]] = field(default_factory=dict)
    multi_by_quintile: dict[str, list[frozenset[str]]] = field(default_factory=dict)


def _conditions(filters: EquityFilters) -> list[Q]:
    conds = []
    if filters.term:
        conds.append(Q(term=filters.term))
    if filters.district_office:
        conds.append(Q(district_office_id=filters.district_office))
    if filters.school_level:
        conds.append(Q(school_level=filters.school_level))
    return conds


def _all(conds: Iterable[Q]) -> Q:
    cond = Q()
    for c in conds:
        cond &= c
    return cond


def _filtered(filters: EquityFilters) -> Q:
    return _all(_conditions(filters))


def _people(qs: Any, *fields: str) -> dict[tuple[str, str], int]:
    rows = qs.values("resource", *fields).annotate(n=Count("person", distinct=True))
    return {
        (r["resource"], str(r[fields[0]]) if fields else ""): r["n"]
        for r in rows.order_by()
    }


def _leaky(
    wider: dict[tuple[str, str], int], here: dict[tuple[str, str], int]
) -> set[tuple[str, str]]:
    """Where the wider view less this one leaves 1..k-1 people."""
    return {key for key, n in wider.items() if is_small(n - here.get(key, 0), MIN_CELL)}


Multi = dict[str, list[frozenset[str]]]


def _groups_of(field: str) -> Any:
    """How many groups of ``field`` a person's facts fall in (an empty one counts)."""
    return Count(field, distinct=True) + Max(
        Case(When(**{f"{field}__isnull": True}, then=Value(1)), default=Value(0))
    )


def _multi(qs: Any, by: str) -> tuple[Multi, Multi]:
    """Per resource, the groups (of ``by``, and of need quintile) of each person
    counted in two groups or more: one grouped query, then those people's facts."""
    several = (
        qs.values("resource", "person")
        .annotate(a=_groups_of(by), b=_groups_of("quintile"))
        .filter(Q(a__gt=1) | Q(b__gt=1))
        .order_by()
    )
    wanted = {(r["resource"], r["person"]) for r in several}
    people = sorted({person for _r, person in wanted})
    groups: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for start in range(0, len(people), CHUNK):
        rows = (
            qs.filter(person__in=people[start : start + CHUNK])
            .values("resource", "person", by, "quintile")
            .distinct()
            .order_by()
        )
        for r in rows:
            key = (r["resource"], r["person"])
            if key in wanted:
                mine, quintiles = groups.setdefault(key, (set(), set()))
                mine.add(str(r[by]))
                quintiles.add(str(r["quintile"]))
    grouped: Multi = {}
    by_quintile: Multi = {}
    for (resource, _p), (mine, quintiles) in groups.items():
        if len(mine) > 1:
            grouped.setdefault(resource, []).append(frozenset(mine))
        if len(quintiles) > 1:
            by_quintile.setdefault(resource, []).append(frozenset(quintiles))
    return grouped, by_quintile


def _differences(
    base: Any, qs: Any, filters: EquityFilters, by: str, sums: Sums
) -> None:
    """Below the office: compare ``qs`` (``base`` filtered) with every wider view a
    reader can ask for (each subset of the filters, none included) and note the
    people counted twice. This view's people are the ones ``sums`` already holds."""
    here_grouped = {(r["resource"], str(r[by])): r["people"] for r in sums.grouped}
    here_quintile = {
        (r["resource"], str(r["quintile"])): r["people"] for r in sums.by_quintile
    }
    here_totals = {(r, ""): t["people"] for r, t in sums.totals.items()}
    conds = _conditions(filters)
    for size in range(len(conds)):
        for subset in combinations(conds, size):
            wider = base.filter(_all(subset))
            sums.leaky_grouped |= _leaky(_people(wider, by), here_grouped)
            sums.leaky_by_quintile |= _leaky(_people(wider, "quintile"), here_quintile)
            sums.leaky_totals |= {r for r, _k in _leaky(_people(wider), here_totals)}
    sums.multi_grouped, sums.multi_by_quintile = _multi(qs, by)


def _aggregates(scope: EquityScope, filters: EquityFilters, by: str) -> Sums:
    """The sums behind the dashboard. Facts change only when they are rebuilt, so the
    sums are cached under the newest fact's id and the number of facts, for at most
    10 minutes."""
    base = scope.filter(EquityFact.objects.all())
    # A rebuild inserts facts with new ids, or only deletes some: both show here.
    version = tuple(EquityFact.objects.aggregate(v=Max("id"), n=Count("id")).values())
    key = (
        "insights:equity:"
        + hashlib.sha256(repr((version, scope, filters, by)).encode()).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return cast(Sums, cached)
    if filters.resource:
        base = base.filter(resource=filters.resource)
    qs = base.filter(_filtered(filters))
    sums = Sums(
        grouped=[
            dict(r)
            for r in qs.values("resource", by).annotate(**SUMS).order_by("resource", by)
        ],
        by_quintile=[
            dict(r)
            for r in qs.values("resource", "quintile")
            .annotate(**SUMS)
            .order_by("resource", "quintile")
        ],
        totals={
            r["resource"]: dict(r)
            for r in qs.values("resource").annotate(**SUMS).order_by()
        },
    )
    if scope.suppress:
        _differences(base, qs, filters, by, sums)
    cache.set(key, sums, CACHE_SECONDS)
    return sums


def _cells(rows: Rows, by: str, labels: dict[str, str]) -> list[Cell]:
    return [
        Cell(
            key=str(r[by]),
            label=labels.get(str(r[by]), str(r[by])),
            people=r["people"],
            requested=r["requested"] or 0,
            allocated=r["allocated"] or 0,
            used=r["used"] or 0,
        )
        for r in rows
    ]


def _suppress(
    cells: list[Cell],
    total: int,
    leaky: set[str],
    total_leaky: bool,
    multi: list[frozenset[str]],
) -> bool:
    """Hide the cells the small-cell rule hides (``leaky``: cells a wider view gives
    away; ``multi``: the cells of each person counted in several); True when the
    total must be hidden too."""
    index = {c.key: i for i, c in enumerate(cells)}
    hidden = cells_to_hide(
        [c.people or 0 for c in cells],
        k=MIN_CELL,
        total=total,
        also=[i for i, c in enumerate(cells) if c.key in leaky],
        total_also=total_leaky,
        multi=[{index[key] for key in keys if key in index} for keys in multi],
    )
    for i in hidden.cells:
        _hide(cells[i])
    return hidden.total


def _view(
    scope: EquityScope,
    sums: Sums,
    code: str,
    name: str,
    by: str,
    labels: dict[str, str],
) -> ResourceView:
    total = sums.totals[code]
    cells = _cells([r for r in sums.grouped if r["resource"] == code], by, labels)
    q_rows = [r for r in sums.by_quintile if r["resource"] == code]
    share = priority_share(q_rows)
    view = ResourceView(
        resource=code,
        label=name,
        cells=cells,
        people=total["people"],
        requested=total["requested"] or 0,
        allocated=total["allocated"] or 0,
        used=total["used"] or 0,
        priority_share=share,
    )
    if not scope.suppress:
        return view

    def leaky(keys: set[tuple[str, str]]) -> set[str]:
        return {key for r, key in keys if r == code}

    total_leaky = code in sums.leaky_totals
    if _suppress(
        cells,
        total["people"],
        leaky(sums.leaky_grouped),
        total_leaky,
        sums.multi_grouped.get(code, []),
    ):
        view.people = view.requested = view.allocated = view.used = None
        view.suppressed = True
    # The share is shown only where it follows from shown figures: the total, the
    # top quintile and the people whose need is not known (or none of them).
    q_cells = _cells(q_rows, "quintile", {})
    _suppress(
        q_cells,
        total["people"],
        leaky(sums.leaky_by_quintile),
        total_leaky,
        sums.multi_by_quintile.get(code, []),
    )
    hidden = {c.key for c in q_cells if c.suppressed}
    known = {c.key for c in q_cells}
    if view.suppressed or str(TOP) not in known or {str(TOP), "0"} & hidden:
        view.priority_share = None
    return view


def equity_dashboard(*, actor: User, filters: EquityFilters) -> Dashboard:
    scope = equity_scope(actor)
    by = filters.by if filters.by in DIMENSIONS else "quintile"
    board = Dashboard(scope=scope, filters=filters)
    board.terms = _terms(scope)
    sums = _aggregates(scope, filters, by)
    labels = _labels(by)
    for code, name in Resource.choices:
        if filters.resource and code != filters.resource:
            continue
        if code not in sums.totals:
            continue
        view = _view(scope, sums, code, str(name), by, labels)
        shown = [c for c in view.cells if not c.suppressed]
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
    """The dashboard as rows for CSV/Excel: each resource's total, then its groups
    (hidden figures stay empty, hidden people read "<k")."""
    rows: list[list[Any]] = []
    hidden = f"<{MIN_CELL}"
    for view in board.resources:
        rows.append(
            [
                view.label,
                pgettext("equity export", "All groups"),
                hidden if view.suppressed else view.people,
                view.requested,
                view.allocated,
                view.used,
                None,
                view.utilisation,
                view.priority_share,
            ]
        )
        for c in view.cells:
            rows.append(
                [
                    view.label,
                    c.label,
                    hidden if c.suppressed else c.people,
                    c.requested,
                    c.allocated,
                    c.used,
                    c.allocation_rate,
                    c.utilisation,
                    view.priority_share,
                ]
            )
    return rows
