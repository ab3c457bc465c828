"""Availability search, booking defaults and class-request planning over the network."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, cast

from django.db.models import Count, Window

from nanum.core import clock
from nanum.core.models import District, Organisation, User
from nanum.core.selectors import closed_days

from ..models import BankPolicy, EquipmentModel, Reservation
from .availability import free_units
from .catalogue import bank_list, model_get, model_list, school_list
from .roles import BANK_KINDS, actor_tenant_ids, teacher_school_ids

PAGE_SIZE = 20
_UNREAD = object()
_ORG = Organisation._meta.db_table
_DISTRICT = District._meta.db_table
ALTERNATIVE_SHIFTS = (7, 14, 21, 28)


def _district_office_id(org: Organisation) -> int | None:
    read = getattr(org, "network_do", _UNREAD)
    if read is not _UNREAD:  # read with the network (``_network``), no join needed
        return cast("int | None", read)
    if (
        org.parent_id
        and org.parent
        and org.parent.kind == Organisation.Kind.DISTRICT_OFFICE
    ):
        return org.parent_id
    if org.district_id and org.district:
        return org.district.district_office_id
    return None


@dataclass
class BankAvailability:
    bank: Organisation
    free: int
    same_district: bool
    collect_at: list[str]


@dataclass
class SearchResult:
    model: EquipmentModel
    banks: list[BankAvailability] = field(default_factory=list)
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    # a class request across banks, when no one bank has the units but together
    # they do: (bank, units) nearest first, as ``class_request_plan`` would fill it
    split: list[tuple[Organisation, int]] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return any(b.free > 0 for b in self.banks)

    @property
    def best(self) -> int:
        """The most units free at one bank."""
        return max((b.free for b in self.banks), default=0)

    @property
    def total_free(self) -> int:
        """Units free across every bank (what a class request could gather)."""
        return sum(b.free for b in self.banks)


def _free_counts(
    model_ids: list[int], blocked_from: date, blocked_until: date
) -> dict[tuple[int, int], int]:
    rows = free_units(model_ids, [(blocked_from, blocked_until)])
    return {(mid, bank): free[0] for mid, bank, free in rows}


def _network(
    *, actor: User, school_id: int | None
) -> tuple[dict[int, Organisation], dict[int, list[str]], int | None]:
    """One query for the network: banks, their lending points and the school.

    Returns (banks by id, lending point names by bank id, the school's district office).
    """
    schools = teacher_school_ids(actor)
    if school_id and schools is not None and school_id not in schools:
        school_id = None
    # Raw SQL: the ORM's spelling (select_related of parent and district) cost more
    # to compile and to turn into three objects per row than the query takes to run.
    # Each organisation carries its district office as ``network_do`` instead
    # (the parent's when that is a district office, else its district's).
    kinds = list(BANK_KINDS)
    where = f"o.kind IN ({', '.join(['%s'] * len(kinds))}) AND o.is_active"
    params: list[Any] = [*kinds]
    tenants = actor_tenant_ids(actor)
    if tenants is not None:
        if tenants:
            where += f" AND o.tenant_id IN ({', '.join(['%s'] * len(tenants))})"
            params += sorted(tenants)
        else:
            where += " AND 1 = 0"
    if school_id:
        where = f"({where}) OR o.id = %s"
        params.append(school_id)
    sql = (
        f"SELECT o.*, CASE WHEN p.kind = %s THEN o.parent_id "  # noqa: S608
        "ELSE d.district_office_id END AS network_do "
        f"FROM {_ORG} o LEFT JOIN {_ORG} p ON p.id = o.parent_id "
        f"LEFT JOIN {_DISTRICT} d ON d.id = o.district_id "
        f"WHERE {where} ORDER BY o.name_ko, o.id"
    )
    network = Organisation.objects.raw(
        sql, [Organisation.Kind.DISTRICT_OFFICE, *params]
    )
    banks: dict[int, Organisation] = {}
    points: dict[int, list[str]] = defaultdict(list)
    school_do = None
    lending_points = []
    for org in network:
        if org.pk == school_id and org.kind == Organisation.Kind.SCHOOL:
            school_do = _district_office_id(org)
        elif org.kind == Organisation.Kind.BANK:
            banks[org.pk] = org
        elif org.kind == Organisation.Kind.LENDING_POINT:
            lending_points.append(org)
    for p in lending_points:
        if p.parent_id in banks:
            points[p.parent_id].append(p.name)
    return banks, points, school_do


def availability_search(
    *,
    actor: User,
    start: date,
    end: date,
    quantity: int = 1,
    q: str = "",
    category: str = "",
    grade: int | None = None,
    school_id: int | None = None,
    page: int = 1,
    alternatives: bool = True,
) -> tuple[list[SearchResult], bool]:
    """Models matching the filters with free units per bank for the whole period.

    Banks in the school's own district office come first. Returns (results, has_more).
    """
    results, has_more, _total = availability_page(
        actor=actor,
        start=start,
        end=end,
        quantity=quantity,
        q=q,
        category=category,
        grade=grade,
        school_id=school_id,
        page=page,
        alternatives=alternatives,
    )
    return results, has_more


def availability_page(
    *,
    actor: User,
    start: date,
    end: date,
    quantity: int = 1,
    q: str = "",
    category: str = "",
    grade: int | None = None,
    school_id: int | None = None,
    page: int = 1,
    alternatives: bool = True,
) -> tuple[list[SearchResult], bool, int | None]:
    """``availability_search`` and the number of models matching the filters, read
    with the page (a window count, not a second query); None when the page is empty.
    """
    models = list(
        model_list(actor=actor, q=q, category=category, grade=grade).annotate(
            matching=Window(Count("pk"))
        )[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1]
    )
    has_more = len(models) > PAGE_SIZE
    models = models[:PAGE_SIZE]
    if not models:
        return [], False, None
    total = cast(int, models[0].matching)
    banks, points, school_do = _network(actor=actor, school_id=school_id)
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for m in models:
        groups[(m.prep_days, m.inspection_days)].append(m.pk)
    counts: dict[tuple[int, int], int] = {}
    for (prep, insp), ids in groups.items():
        counts.update(
            _free_counts(ids, start - timedelta(days=prep), end + timedelta(days=insp))
        )
    # Per bank once (not per model and bank): its name in the request's language,
    # whether it is in the school's district office; and the counts by model.
    near = {
        bank_id: school_do is not None and _district_office_id(bank) == school_do
        for bank_id, bank in banks.items()
    }
    names = {bank_id: bank.name for bank_id, bank in banks.items()}
    by_model: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (mid, bank_id), n in counts.items():
        if bank_id in banks:
            by_model[mid].append((bank_id, n))
    results = []
    for m in models:
        res = SearchResult(model=m)
        for bank_id, n in by_model.get(m.pk, ()):
            res.banks.append(
                BankAvailability(
                    bank=banks[bank_id],
                    free=n,
                    same_district=near[bank_id],
                    collect_at=[names[bank_id], *points.get(bank_id, [])],
                )
            )
        res.banks.sort(
            key=lambda b: (
                not b.same_district,
                b.bank.bank_type != Organisation.BankType.CENTRAL,
                -b.free,
                b.bank.name_ko,
            )
        )
        res.split = _split(res.banks, quantity)
        results.append(res)
    if alternatives:
        lacking = [r for r in results if not any(b.free >= quantity for b in r.banks)]
        lacking = lacking[:5]
        if lacking:
            _add_alternatives(lacking, start, end, quantity, banks)
    return results, has_more, total


def _split(
    banks: list[BankAvailability], quantity: int
) -> list[tuple[Organisation, int]]:
    """The split proposal: nearest banks first, only when it takes several banks."""
    if any(b.free >= quantity for b in banks) or sum(b.free for b in banks) < quantity:
        return []
    parts, left = [], quantity
    for b in banks:
        if left <= 0:
            break
        if b.free > 0:
            take = min(b.free, left)
            parts.append((b.bank, take))
            left -= take
    return parts


def _add_alternatives(
    results: list[SearchResult],
    start: date,
    end: date,
    quantity: int,
    banks: dict[int, Organisation],
) -> None:
    """Later windows of the same length, for models with too few units on the asked dates.

    One query per buffer combination: free units per (model, bank) for each shift.
    """
    groups: dict[tuple[int, int], list[SearchResult]] = defaultdict(list)
    for r in results:
        groups[(r.model.prep_days, r.model.inspection_days)].append(r)
    for (prep, insp), group in groups.items():
        windows = [
            (start + timedelta(days=s - prep), end + timedelta(days=s + insp))
            for s in ALTERNATIVE_SHIFTS
        ]
        rows: list[dict[str, Any]] = [
            {
                "equipment_id": mid,
                "home_bank_id": bank,
                **{
                    f"free_{s}": n
                    for s, n in zip(ALTERNATIVE_SHIFTS, free, strict=True)
                },
            }
            for mid, bank, free in free_units(
                [r.model.pk for r in group], windows, bank_ids=banks
            )
        ]
        for r in group:
            mine = [row for row in rows if row["equipment_id"] == r.model.pk]
            for s in ALTERNATIVE_SHIFTS:
                best = max(mine, key=itemgetter(f"free_{s}"), default=None)
                if best is not None and best[f"free_{s}"] >= quantity:
                    r.alternatives.append(
                        {
                            "start": start + timedelta(days=s),
                            "end": end + timedelta(days=s),
                            "bank": banks[best["home_bank_id"]],
                            "free": best[f"free_{s}"],
                        }
                    )
                if len(r.alternatives) >= 2:
                    break


@dataclass
class BookingDefaults:
    """Dates a booking form starts with, and the rules to explain before submitting."""

    start: date  # a school day at or after ``earliest``
    end: date  # a school day in the same week as ``start`` (or ``start`` itself)
    earliest: date  # today + the lead time
    lead_time_days: int
    term_quota_units: int
    school: Organisation | None  # the teacher's (first) school, preselected


def booking_defaults(
    *, actor: User, bank_id: int | None = None, weeks_ahead: int = 1
) -> BookingDefaults:
    """Default loan dates that every bank (or ``bank_id``) accepts: school days, lead time.

    The lead time is the longest among the actor's banks (or ``bank_id``'s own), so the
    default start is valid wherever the teacher books; closures come from the calendar
    (the bank's own when ``bank_id`` is given).
    """
    visible = [b.pk for b in bank_list(actor=actor)]
    if bank_id not in visible:
        bank_id = None  # another town's bank: its policy is not the actor's business
    policies = BankPolicy.objects.filter(
        bank_id__in=visible if bank_id is None else [bank_id]
    )
    rows = list(policies.values_list("lead_time_days", "term_quota_units"))
    lead = BankPolicy.DEFAULTS["lead_time_days"]
    quota = BankPolicy.DEFAULTS["term_quota_units"]
    if rows:
        lead = max(r[0] for r in rows)
        quota = min(r[1] for r in rows)
    today = clock.today()
    earliest = today + timedelta(days=lead)
    first = max(earliest, today + timedelta(days=7 * weeks_ahead))
    closed = closed_days(
        start=first, end=first + timedelta(days=60), organisation_id=bank_id
    )

    def school_day(d: date) -> bool:
        return d.weekday() < 5 and d not in closed

    start = first
    while not school_day(start) and start < first + timedelta(days=60):
        start += timedelta(days=1)
    end = start
    for i in range(1, 5):  # the last school day of the same working week
        d = start + timedelta(days=i)
        if d.weekday() >= 5:
            break
        if school_day(d):
            end = d
    school = None
    if teacher_school_ids(actor):  # a teacher's own school; administrators choose
        school = school_list(actor=actor).order_by("name_ko", "pk").first()
    return BookingDefaults(
        start=start,
        end=end,
        earliest=earliest,
        lead_time_days=lead,
        term_quota_units=quota,
        school=school,
    )


@dataclass
class ClassPlanPart:
    bank: Organisation
    quantity: int
    free: int
    same_district: bool
    collect_at: list[str]


@dataclass
class ClassPlan:
    """How a class request of ``wanted`` units would be filled, nearest banks first."""

    model: EquipmentModel
    wanted: int
    parts: list[ClassPlanPart]
    free_total: int
    alternatives: list[dict[str, Any]]  # later dates when all fit at one bank

    @property
    def missing(self) -> int:
        return max(0, self.wanted - sum(p.quantity for p in self.parts))


def class_request_plan(
    *,
    actor: User,
    equipment_id: int,
    school_id: int | None,
    start: date,
    end: date,
    quantity: int,
    fulfilment: str = Reservation.Fulfilment.PICKUP,
) -> ClassPlan:
    """Fill ``quantity`` units of a model from the nearest banks for the whole period.

    Banks of the school's district office first, then the central bank, then the
    others with the most free units. A read: the service runs it again under locks.
    When the banks together have too few, ``alternatives`` lists the nearest later
    dates at which all the units fit at one bank.
    """
    model = model_get(actor=actor, model_id=equipment_id)
    banks, points, school_do = _network(actor=actor, school_id=school_id)
    transit = model.transit_days if fulfilment == Reservation.Fulfilment.DELIVERY else 0
    counts = _free_counts(
        [model.pk],
        start - timedelta(days=model.prep_days + transit),
        end + timedelta(days=model.inspection_days + transit),
    )
    rows = []
    for (_mid, bank_id), n in counts.items():
        if bank_id in banks and n > 0:
            bank = banks[bank_id]
            same = school_do is not None and _district_office_id(bank) == school_do
            rows.append((bank, n, same))
    rows.sort(
        key=lambda r: (
            not r[2],
            r[0].bank_type != Organisation.BankType.CENTRAL,
            -r[1],
            r[0].name_ko,
            r[0].pk,
        )
    )
    parts, left = [], quantity
    for bank, n, same in rows:
        if left <= 0:
            break
        take = min(n, left)
        left -= take
        parts.append(
            ClassPlanPart(
                bank=bank,
                quantity=take,
                free=n,
                same_district=same,
                collect_at=[bank.name, *points.get(bank.pk, [])],
            )
        )
    plan = ClassPlan(
        model=model,
        wanted=quantity,
        parts=parts,
        free_total=sum(r[1] for r in rows),
        alternatives=[],
    )
    if plan.missing or len(parts) > 1:
        res = SearchResult(model=model)
        _add_alternatives([res], start, end, quantity, banks)
        plan.alternatives = res.alternatives
    return plan
