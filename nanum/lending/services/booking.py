"""Taking and releasing units: the one place where allocations are written.

Candidate asset rows are locked in primary-key order (``SELECT ... FOR UPDATE``), so
two requests for the same model at the same bank queue up instead of both seeing the
same units free. On PostgreSQL the exclusion constraint is the last line of defence:
if an overlap slipped through, the insert fails and we answer ``no_units_free``.
On SQLite every write transaction is ``BEGIN IMMEDIATE``, which serialises writers.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import DomainError

from ..models import Allocation, Asset, EquipmentModel, Reservation


class NoUnitsFree(DomainError):
    status = 409
    code = "no_units_free"
    default_message = _("Not enough units are free for the whole period.")


def blocked_period(
    equipment: EquipmentModel, start: date, end: date, fulfilment: str
) -> tuple[date, date]:
    """The loan period widened by preparation, transit and inspection buffers."""
    transit = (
        equipment.transit_days if fulfilment == Reservation.Fulfilment.DELIVERY else 0
    )
    before = equipment.prep_days + transit
    after = equipment.inspection_days + transit
    return start - timedelta(days=before), end + timedelta(days=after)


def busy_asset_ids(
    asset_ids: list[int],
    blocked_from: date,
    blocked_until: date,
    *,
    exclude_reservation: int | None = None,
) -> set[int]:
    qs = Allocation.objects.filter(
        asset_id__in=asset_ids,
        active=True,
        blocked_from__lte=blocked_until,
        blocked_until__gte=blocked_from,
    )
    if exclude_reservation is not None:
        qs = qs.exclude(reservation_id=exclude_reservation)
    return set(qs.values_list("asset_id", flat=True))


def lock_candidates(equipment_id: int, bank_id: int) -> dict[int, str]:
    """Lock the bookable assets of a model at a bank, in a fixed (pk) order.

    Returns {asset id: tag code}, in primary-key order.
    """
    return dict(
        Asset.objects.filter(
            equipment_id=equipment_id, home_bank_id=bank_id, status__in=Asset.BOOKABLE
        )
        .order_by("pk")
        .select_for_update()
        .values_list("pk", "tag_code")
    )


def allocate(
    reservation: Reservation,
    *,
    exclude_asset_ids: set[int] | None = None,
    savepoint: bool = True,
) -> list[Allocation]:
    """Hold ``reservation.quantity`` free units for it, or raise ``NoUnitsFree``."""
    equipment = reservation.equipment
    blocked_from, blocked_until = blocked_period(
        equipment, reservation.start_date, reservation.end_date, reservation.fulfilment
    )
    tags = lock_candidates(reservation.equipment_id, reservation.bank_id)
    candidates = list(tags)
    if exclude_asset_ids:
        candidates = [pk for pk in candidates if pk not in exclude_asset_ids]
    busy = (
        busy_asset_ids(candidates, blocked_from, blocked_until) if candidates else set()
    )
    free = [pk for pk in candidates if pk not in busy]
    if len(free) < reservation.quantity:
        raise NoUnitsFree(extra={"free": len(free), "requested": reservation.quantity})
    rows = [
        Allocation(
            reservation=reservation,
            asset_id=pk,
            blocked_from=blocked_from,
            blocked_until=blocked_until,
        )
        for pk in free[: reservation.quantity]
    ]
    try:
        if savepoint:
            with transaction.atomic():
                created = Allocation.objects.bulk_create(rows)
        else:  # the caller gives up the whole transaction on NoUnitsFree
            created = Allocation.objects.bulk_create(rows)
    except IntegrityError as exc:  # the exclusion constraint caught an overlap
        raise NoUnitsFree() from exc
    reservation.held_tags = sorted(tags[a.asset_id] for a in created)  # type: ignore[attr-defined]
    return created


def release(reservation: Reservation) -> int:
    """Let go of every unit the reservation holds."""
    return Allocation.objects.filter(reservation=reservation, active=True).update(
        active=False
    )


def move_period(reservation: Reservation, start: date, end: date) -> None:
    """Move the reservation's held units to new dates, if the same units are free."""
    blocked_from, blocked_until = blocked_period(
        reservation.equipment, start, end, reservation.fulfilment
    )
    allocations = list(reservation.allocations.filter(active=True))
    asset_ids = sorted(a.asset_id for a in allocations)
    list(
        Asset.objects.filter(pk__in=asset_ids)
        .order_by("pk")
        .select_for_update()
        .values_list("pk")
    )
    if busy_asset_ids(
        asset_ids, blocked_from, blocked_until, exclude_reservation=reservation.pk
    ):
        raise NoUnitsFree(_("The units are booked by another school on the new dates."))
    try:
        with transaction.atomic():
            Allocation.objects.filter(pk__in=[a.pk for a in allocations]).update(
                blocked_from=blocked_from, blocked_until=blocked_until
            )
    except IntegrityError as exc:
        raise NoUnitsFree() from exc


def free_count(
    equipment: EquipmentModel, bank_id: int, start: date, end: date, fulfilment: str
) -> int:
    blocked_from, blocked_until = blocked_period(equipment, start, end, fulfilment)
    candidates = list(
        Asset.objects.filter(
            equipment=equipment, home_bank_id=bank_id, status__in=Asset.BOOKABLE
        ).values_list("pk", flat=True)
    )
    return len(candidates) - len(
        busy_asset_ids(candidates, blocked_from, blocked_until)
    )
