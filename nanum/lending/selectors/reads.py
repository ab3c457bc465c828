"""Reads of the K-STEM Bank with their rules: tenant, bank and school scoping."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from nanum.core import clock
from nanum.core.errors import NotFound, PermissionDenied
from nanum.core.models import Organisation, User
from nanum.core.selectors import closed_days

from ..models import (
    Allocation,
    AllocationRound,
    Asset,
    BankPolicy,
    CalendarFeed,
    Consumable,
    EquipmentModel,
    MaintenanceTicket,
    Reservation,
    Transfer,
)
from .roles import (
    BANK_KINDS,
    actor_tenant_ids,
    is_bank_staff,
    staff_bank_ids,
    teacher_school_ids,
)

PAGE_SIZE = 20
ALTERNATIVE_SHIFTS = (7, 14, 21, 28)


def model_list(
    *, actor: User, q: str = "", category: str = "", grade: int | None = None
) -> QuerySet[EquipmentModel]:
    qs = EquipmentModel.objects.filter(is_active=True)
    tenants = actor_tenant_ids(actor)
    if tenants is not None:
        qs = qs.filter(tenant_id__in=tenants)
    if q:
        qs = qs.filter(
            Q(name_ko__icontains=q)
            | Q(name_en__icontains=q)
            | Q(code__icontains=q)
            | Q(maker__icontains=q)
        )
    if category:
        qs = qs.filter(category=category)
    if grade:
        qs = qs.filter(min_grade__lte=grade, max_grade__gte=grade)
    return qs.order_by("category", "name_ko", "pk")


def model_get(*, actor: User, model_id: int) -> EquipmentModel:
    m = model_list(actor=actor).filter(pk=model_id).first()
    if m is None:
        raise NotFound()
    return m


def bank_list(
    *, actor: User | None, tenant_id: int | None = None
) -> list[Organisation]:
    qs = Organisation.objects.filter(
        kind=Organisation.Kind.BANK, is_active=True
    ).select_related("parent", "district")
    tenants = actor_tenant_ids(actor)
    if tenants is not None:
        qs = qs.filter(tenant_id__in=tenants)
    if tenant_id:
        qs = qs.filter(tenant_id=tenant_id)
    return list(qs.order_by("name_ko"))


def _district_office_id(org: Organisation) -> int | None:
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
    busy = Allocation.objects.filter(
        asset_id=OuterRef("pk"),
        active=True,
        blocked_from__lte=blocked_until,
        blocked_until__gte=blocked_from,
    )
    rows = (
        Asset.objects.filter(equipment_id__in=model_ids, status__in=Asset.BOOKABLE)
        .values("equipment_id", "home_bank_id")
        .annotate(n=Count("pk", filter=~Q(Exists(busy))))
        .order_by()
    )
    return {(r["equipment_id"], r["home_bank_id"]): r["n"] for r in rows}


def _network(
    *, actor: User, school_id: int | None
) -> tuple[dict[int, Organisation], dict[int, list[str]], int | None]:
    """One query for the network: banks, their lending points and the school.

    Returns (banks by id, lending point names by bank id, the school's district office).
    """
    schools = teacher_school_ids(actor)
    if school_id and schools is not None and school_id not in schools:
        school_id = None
    network = Organisation.objects.filter(
        kind__in=BANK_KINDS, is_active=True
    ).select_related("parent", "district")
    tenants = actor_tenant_ids(actor)
    if tenants is not None:
        network = network.filter(tenant_id__in=tenants)
    if school_id:
        network = network | Organisation.objects.filter(pk=school_id).select_related(
            "parent", "district"
        )
    banks: dict[int, Organisation] = {}
    points: dict[int, list[str]] = defaultdict(list)
    school_do = None
    lending_points = []
    for org in network.order_by("name_ko", "pk"):
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
    models = list(
        model_list(actor=actor, q=q, category=category, grade=grade)[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1
        ]
    )
    has_more = len(models) > PAGE_SIZE
    models = models[:PAGE_SIZE]
    if not models:
        return [], False
    banks, points, school_do = _network(actor=actor, school_id=school_id)
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for m in models:
        groups[(m.prep_days, m.inspection_days)].append(m.pk)
    counts: dict[tuple[int, int], int] = {}
    for (prep, insp), ids in groups.items():
        counts.update(
            _free_counts(ids, start - timedelta(days=prep), end + timedelta(days=insp))
        )
    results = []
    for m in models:
        res = SearchResult(model=m)
        for (mid, bank_id), n in counts.items():
            if mid != m.pk or bank_id not in banks:
                continue
            bank = banks[bank_id]
            same = school_do is not None and _district_office_id(bank) == school_do
            collect = [bank.name, *points.get(bank_id, [])]
            res.banks.append(
                BankAvailability(
                    bank=bank, free=n, same_district=same, collect_at=collect
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
        results.append(res)
    if alternatives:
        lacking = [r for r in results if not any(b.free >= quantity for b in r.banks)]
        lacking = lacking[:5]
        if lacking:
            _add_alternatives(lacking, start, end, quantity, banks)
    return results, has_more


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
        annotations = {}
        for s in ALTERNATIVE_SHIFTS:
            busy = Allocation.objects.filter(
                asset_id=OuterRef("pk"),
                active=True,
                blocked_from__lte=end + timedelta(days=s + insp),
                blocked_until__gte=start + timedelta(days=s - prep),
            )
            annotations[f"free_{s}"] = Count("pk", filter=~Q(Exists(busy)))
        rows: list[dict[str, Any]] = [
            dict(row)
            for row in Asset.objects.filter(
                equipment_id__in=[r.model.pk for r in group],
                status__in=Asset.BOOKABLE,
                home_bank_id__in=banks,
            )
            .values("equipment_id", "home_bank_id")
            .annotate(**annotations)
            .order_by("equipment_id", "home_bank_id")
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


def reservation_list(*, actor: User, scope: str = "mine") -> QuerySet[Reservation]:
    qs = Reservation.objects.select_related("equipment", "bank", "school")
    if scope == "staff":
        banks = staff_bank_ids(actor)
        return qs if banks is None else qs.filter(bank_id__in=banks)
    schools = teacher_school_ids(actor)
    if schools is None:
        return qs.filter(requested_by=actor)
    return qs.filter(Q(requested_by=actor) | Q(school_id__in=schools))


def reservation_get(*, actor: User, reservation_id: int) -> Reservation:
    """A reservation the actor booked, teaches for or staffs the bank of; else NotFound."""
    r = reservation_list(actor=actor).filter(pk=reservation_id).first()
    if r is None:
        r = (
            reservation_list(actor=actor, scope="staff")
            .filter(pk=reservation_id)
            .first()
        )
    if r is None:
        raise NotFound()
    return r


def reservation_get_for_staff(*, actor: User, reservation_id: int) -> Reservation:
    """A reservation at one of the actor's banks; NotFound otherwise."""
    r = reservation_list(actor=actor, scope="staff").filter(pk=reservation_id).first()
    if r is None:
        raise NotFound()
    return r


def asset_list_for_staff(*, actor: User) -> QuerySet[Asset]:
    banks = staff_bank_ids(actor)
    qs = Asset.objects.select_related("equipment", "home_bank", "location")
    if banks is None:
        return qs
    return qs.filter(Q(home_bank_id__in=banks) | Q(location_id__in=banks))


def asset_get_for_staff(*, actor: User, asset_id: int) -> Asset:
    """An asset homed or located at one of the actor's banks; NotFound otherwise."""
    asset = asset_list_for_staff(actor=actor).filter(pk=asset_id).first()
    if asset is None:
        raise NotFound()
    return asset


@dataclass
class AssetPage:
    """What the staff's asset page shows beside its forms."""

    asset: Asset
    banks: list[Organisation]
    destinations: QuerySet[Organisation]
    tickets: list[MaintenanceTicket]
    transfers: list[Transfer]


def asset_page(*, actor: User, asset_id: int) -> AssetPage:
    asset = asset_get_for_staff(actor=actor, asset_id=asset_id)
    return AssetPage(
        asset=asset,
        banks=staff_banks(actor=actor),
        destinations=Organisation.objects.filter(
            tenant_id=asset.tenant_id, kind__in=BANK_KINDS
        ),
        tickets=list(
            MaintenanceTicket.objects.filter(asset=asset).order_by("-opened_at")[:20]
        ),
        transfers=list(
            Transfer.objects.filter(asset=asset)
            .select_related("from_org", "to_org")
            .order_by("-sent_at")[:20]
        ),
    )


def board(*, actor: User, day: date) -> dict[str, Any]:
    """The staff's daily board for their banks; refused to anyone who is no bank's
    staff (the page and ``GET /board`` alike)."""
    if not is_bank_staff(actor):
        raise PermissionDenied()
    res = reservation_list(actor=actor, scope="staff").select_related("requested_by")
    banks = staff_bank_ids(actor)
    tickets = MaintenanceTicket.objects.filter(
        status=MaintenanceTicket.Status.OPEN
    ).select_related("asset__equipment")
    transfers = Transfer.objects.filter(
        status=Transfer.Status.IN_TRANSIT
    ).select_related("asset", "from_org", "to_org")
    low = Consumable.objects.filter(stock__lte=F("reorder_level"))
    if banks is not None:
        tickets = tickets.filter(asset__home_bank_id__in=banks)
        transfers = transfers.filter(Q(to_org_id__in=banks) | Q(from_org_id__in=banks))
        low = low.filter(bank_id__in=banks)
    confirmed = res.filter(status=Reservation.Status.CONFIRMED)
    return {
        "day": day,
        "pickups": list(
            confirmed.filter(
                fulfilment=Reservation.Fulfilment.PICKUP,
                start_date__lte=day + timedelta(days=1),
            ).order_by("start_date")[:100]
        ),
        "deliveries": list(
            confirmed.filter(
                fulfilment=Reservation.Fulfilment.DELIVERY,
                start_date__lte=day + timedelta(days=3),
            ).order_by("start_date")[:100]
        ),
        "returns_due": list(
            res.filter(status=Reservation.Status.CHECKED_OUT, end_date=day)[:100]
        ),
        "overdue": list(
            res.filter(
                status=Reservation.Status.CHECKED_OUT, end_date__lt=day
            ).order_by("end_date")[:100]
        ),
        "approvals": list(
            res.filter(status=Reservation.Status.PENDING).order_by("created_at")[:100]
        ),
        "tickets": list(tickets[:100]),
        "transfers": list(transfers[:100]),
        "low_stock": list(low[:100]),
    }


def staff_banks(*, actor: User) -> list[Organisation]:
    ids = staff_bank_ids(actor)
    qs = Organisation.objects.filter(kind__in=BANK_KINDS, is_active=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return list(qs.order_by("kind", "name_ko"))


def school_list(*, actor: User) -> QuerySet[Organisation]:
    """Schools for which ``actor`` may book (every school for administrators)."""
    ids = teacher_school_ids(actor)
    qs = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
    return qs if ids is None else qs.filter(pk__in=ids)


def bank_choices(*, actor: User) -> QuerySet[Organisation]:
    """``bank_list`` as a queryset, for a form's choices."""
    return Organisation.objects.filter(pk__in=[b.pk for b in bank_list(actor=actor)])


def staff_bank_choices(*, actor: User) -> QuerySet[Organisation]:
    """``staff_banks`` as a queryset, for a form's choices."""
    return Organisation.objects.filter(pk__in=[b.pk for b in staff_banks(actor=actor)])


def round_list(*, actor: User) -> QuerySet[AllocationRound]:
    """Scarcity rounds of the actor's banks, newest window first."""
    return (
        AllocationRound.objects.filter(
            bank_id__in=[b.pk for b in staff_banks(actor=actor)]
        )
        .select_related("bank")
        .order_by("-window_start")
    )


def consumables_in_stock(*, bank_id: int) -> list[Consumable]:
    return list(Consumable.objects.filter(bank_id=bank_id, stock__gt=0))


def calendar_feed_of(*, user: User) -> CalendarFeed | None:
    """The user's iCal feed, if they asked for one (having none is normal)."""
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_get(*, token: str) -> CalendarFeed:
    """The feed behind a secret address, of an active user; NotFound otherwise."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise NotFound()
    return feed
