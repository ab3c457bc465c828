"""Staff reads: the reservation search across the staff's banks, and a unit by its tag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import NotFound, PermissionDenied
from nanum.core.models import User

from ..models import Allocation, Asset, Reservation
from .assets import asset_list_for_staff
from .reservations import reservation_list
from .roles import is_bank_staff, staff_bank_ids

TAG_MAX = 40


def staff_reservation_search(
    *,
    actor: User,
    q: str = "",
    tag: str = "",
    status: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Reservation]:
    """Reservations at the actor's banks (central staff: every bank of the tenant).

    ``q`` matches a reservation number, a school's name or a teacher's name or e-mail;
    ``tag`` a unit allocated to the reservation; ``start``/``end`` keep reservations
    whose period overlaps those days. Newest first.
    """
    if not is_bank_staff(actor):
        raise PermissionDenied()
    qs = reservation_list(actor=actor, scope="staff").select_related("requested_by")
    q = q.strip()
    if q:
        text = (
            Q(school__name_ko__icontains=q)
            | Q(school__name_en__icontains=q)
            | Q(requested_by__display_name__icontains=q)
            | Q(requested_by__username__icontains=q)
            | Q(requested_by__email__icontains=q)
        )
        number = q.lstrip("#")
        if number.isdigit() and len(number) < 12:
            text |= Q(pk=int(number))
        qs = qs.filter(text)
    tag = tag.strip()
    if tag:
        qs = qs.filter(
            pk__in=Allocation.objects.filter(asset__tag_code__iexact=tag).values(
                "reservation_id"
            )
        )
    if status:
        qs = qs.filter(status=status)
    if start:
        qs = qs.filter(end_date__gte=start)
    if end:
        qs = qs.filter(start_date__lte=end)
    return qs.order_by("-start_date", "-pk")


@dataclass
class UnitPage:
    """A unit found by its tag: what it is doing now and next, and the action that fits."""

    asset: Asset
    current: Reservation | None
    next: Reservation | None
    action: str  # "checkout", "checkin", "repair" or "" (nothing to do here)


def unit_by_tag(*, actor: User, tag: str, today: date) -> UnitPage:
    """The unit with tag ``tag`` at one of the actor's banks.

    Raises ``NotFound`` with a message that says whether no unit has that tag or the
    unit belongs to another bank (staff scan labels of every bank in the field).
    """
    if not is_bank_staff(actor):
        raise PermissionDenied()
    tag = tag.strip()[:TAG_MAX]
    asset = asset_list_for_staff(actor=actor).filter(tag_code__iexact=tag).first()
    if asset is None:
        if tag and Asset.objects.filter(tag_code__iexact=tag).exists():
            raise NotFound(
                _("The unit %(tag)s belongs to another bank.") % {"tag": tag}
            )
        raise NotFound(_("No unit has the tag %(tag)s.") % {"tag": tag or "–"})
    allocs = Allocation.objects.filter(asset=asset, active=True).select_related(
        "reservation__equipment", "reservation__school", "reservation__bank"
    )
    current_alloc = (
        allocs.filter(
            checked_out_at__isnull=False,
            returned_at__isnull=True,
            reservation__status=Reservation.Status.CHECKED_OUT,
        )
        .order_by("blocked_from")
        .first()
    )
    next_alloc = (
        allocs.filter(
            checked_out_at__isnull=True,
            reservation__status__in=[
                Reservation.Status.CONFIRMED,
                Reservation.Status.PENDING,
                Reservation.Status.OFFERED,
            ],
            reservation__end_date__gte=today,
        )
        .order_by("reservation__start_date", "pk")
        .first()
    )
    current = current_alloc.reservation if current_alloc else None
    nxt = next_alloc.reservation if next_alloc else None
    banks = staff_bank_ids(actor)
    if current is not None:
        action = "checkin"
    elif (
        nxt is not None
        and nxt.status == Reservation.Status.CONFIRMED
        and (banks is None or nxt.bank_id in banks)
    ):
        action = "checkout"
    elif asset.status in (Asset.Status.AVAILABLE, Asset.Status.ON_LOAN):
        action = "repair"
    else:
        action = ""
    return UnitPage(asset=asset, current=current, next=nxt, action=action)


@dataclass
class DayListGroup:
    """One bank's (and, for deliveries, one route's) reservations of the day."""

    bank: str
    route: str
    rows: list[tuple[Reservation, list[str]]]


def staff_day_list(*, actor: User, day: date, kind: str) -> list[DayListGroup]:
    """The pick list (every confirmed loan starting ``day``: which tags to take off the
    shelf) or the delivery list (deliveries starting ``day``, grouped per route: the
    school's district), per bank of the actor."""
    if not is_bank_staff(actor):
        raise PermissionDenied()
    qs = (
        reservation_list(actor=actor, scope="staff")
        .filter(status=Reservation.Status.CONFIRMED, start_date=day)
        .select_related("school__district", "requested_by")
        .prefetch_related("allocations__asset")
    )
    if kind == "delivery":
        qs = qs.filter(fulfilment=Reservation.Fulfilment.DELIVERY)
    groups: dict[tuple[str, str], DayListGroup] = {}
    for r in qs.order_by("bank__name_ko", "school__name_ko", "pk"):
        district = r.school.district
        route = str(district.name) if kind == "delivery" and district else ""
        key = (str(r.bank.name), route)
        group = groups.setdefault(key, DayListGroup(key[0], route, []))
        tags = sorted(a.asset.tag_code for a in r.allocations.all() if a.active)
        group.rows.append((r, tags))
    return sorted(groups.values(), key=lambda g: (g.bank, g.route))
