"""Reads of reservations: the actor's and the bank's, the staff's daily board,
scarcity rounds and calendar feeds."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet

from nanum.core.errors import NotFound, PermissionDenied
from nanum.core.models import User

from ..models import (
    AllocationRound,
    CalendarFeed,
    Consumable,
    MaintenanceTicket,
    Reservation,
    Transfer,
)
from .catalogue import staff_banks
from .roles import is_bank_staff, staff_bank_ids, teacher_school_ids


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


def class_request_parts(*, actor: User, group: uuid.UUID) -> list[Reservation]:
    """Every part of a class request the actor booked or teaches for, oldest first.

    NotFound when there is none (not theirs, or no such request).
    """
    parts = list(
        reservation_list(actor=actor).filter(class_request=group).order_by("pk")
    )
    if not parts:
        raise NotFound()
    return parts


def reservation_get_for_staff(*, actor: User, reservation_id: int) -> Reservation:
    """A reservation at one of the actor's banks; NotFound otherwise."""
    r = reservation_list(actor=actor, scope="staff").filter(pk=reservation_id).first()
    if r is None:
        raise NotFound()
    return r


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


def round_list(*, actor: User) -> QuerySet[AllocationRound]:
    """Scarcity rounds of the actor's banks, newest window first."""
    return (
        AllocationRound.objects.filter(
            bank_id__in=[b.pk for b in staff_banks(actor=actor)]
        )
        .select_related("bank")
        .order_by("-window_start")
    )


def calendar_feed_of(*, user: User) -> CalendarFeed | None:
    """The user's iCal feed, if they asked for one (having none is normal)."""
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_get(*, token: str) -> CalendarFeed:
    """The feed behind a secret address, of an active user; NotFound otherwise."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise NotFound()
    return feed
