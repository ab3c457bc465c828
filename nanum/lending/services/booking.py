"""Taking and releasing units: the one place where allocations are written.

Candidate asset rows are locked in primary-key order (``SELECT ... FOR UPDATE``), so
two requests for the same model at the same bank queue up instead of both seeing the
same units free; then one ``INSERT ... SELECT`` takes the first free ones. On
PostgreSQL the exclusion constraint is the last line of defence: if an overlap slipped
through, the insert fails and we answer ``no_units_free``.
On SQLite every write transaction is ``BEGIN IMMEDIATE``, which serialises writers.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date, timedelta

from django.db import IntegrityError, connection, transaction
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

    Returns {asset id: tag code}, in primary-key order. Raw SQL because every booking
    runs it: the ORM spent more CPU building this statement than PostgreSQL running it.
    """
    statuses = ", ".join(["%s"] * len(Asset.BOOKABLE))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = (
        f"SELECT id, tag_code FROM {Asset._meta.db_table} WHERE equipment_id = %s"  # noqa: S608
        f" AND home_bank_id = %s AND status IN ({statuses}) ORDER BY id{lock}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [equipment_id, bank_id, *Asset.BOOKABLE])
        return dict(cur.fetchall())


# The application's availability check, as SQL over asset ``a``: no active allocation
# of it overlaps the blocked period. The exclusion constraint backs it up on PostgreSQL.
FREE = (
    "NOT EXISTS (SELECT 1 FROM lending_allocation b WHERE b.asset_id = a.id"
    " AND b.active AND b.blocked_from <= %(until)s AND b.blocked_until >= %(from)s)"
)


def insert_free(
    reservation_id: int,
    candidates: list[int],
    blocked_from: date,
    blocked_until: date,
    quantity: int,
) -> list[int]:
    """Allocate the first ``quantity`` free candidates in one statement; their ids.

    Run it after ``lock_candidates``: in READ COMMITTED a new statement sees every
    allocation committed by a request that held the locks before us. Fewer ids than
    ``quantity`` means that only that many were free (and were inserted: undo them).
    """
    d = connection.ops.adapt_datefield_value
    ids = {f"a{i}": pk for i, pk in enumerate(candidates)}
    params = {
        "r": reservation_id,
        "from": d(blocked_from),
        "until": d(blocked_until),
        "active": True,
        "n": quantity,
        **ids,
    }
    in_ids = ", ".join(f"%({k})s" for k in ids)
    sql = f"""
        INSERT INTO {Allocation._meta.db_table}
          (reservation_id, asset_id, blocked_from, blocked_until, active)
        SELECT %(r)s, a.id, %(from)s, %(until)s, %(active)s FROM {Asset._meta.db_table} a
        WHERE a.id IN ({in_ids}) AND {FREE}
        ORDER BY a.id LIMIT %(n)s
        RETURNING asset_id
    """  # noqa: S608 - only placeholders and FREE are interpolated
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [row[0] for row in cur.fetchall()]


def allocate(
    reservation: Reservation,
    *,
    exclude_asset_ids: set[int] | None = None,
    savepoint: bool = True,
) -> list[int]:
    """Hold ``reservation.quantity`` free units for it, or raise ``NoUnitsFree``.

    Two statements: lock the candidates, then insert allocations for the free ones.
    Returns the asset ids held; ``reservation.held_tags`` gets their tag codes.
    """
    equipment = reservation.equipment
    blocked_from, blocked_until = blocked_period(
        equipment, reservation.start_date, reservation.end_date, reservation.fulfilment
    )
    tags = lock_candidates(reservation.equipment_id, reservation.bank_id)
    candidates = [pk for pk in tags if pk not in (exclude_asset_ids or ())]
    wanted = reservation.quantity
    try:
        # without a savepoint the caller gives up the whole transaction on NoUnitsFree
        with transaction.atomic() if savepoint else nullcontext():
            held = (
                insert_free(
                    reservation.pk, candidates, blocked_from, blocked_until, wanted
                )
                if candidates
                else []
            )
            if len(held) < wanted:
                raise NoUnitsFree(extra={"free": len(held), "requested": wanted})
    except IntegrityError as exc:  # the exclusion constraint caught an overlap
        raise NoUnitsFree() from exc
    reservation.held_tags = sorted(tags[pk] for pk in held)
    return held


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
