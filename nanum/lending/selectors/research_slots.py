"""Reads of the visit slots of research items (a time of day when pupils may visit an
item at its owner's site).

Teachers see an item's free slots: live, at least ``LEAD_DAYS`` ahead, not booked by a
live request and not on a day the item is lent out. The staff of the central bank that
keeps the item see every live slot from today on, each with its live request (if any).
"""

from __future__ import annotations

from datetime import date, timedelta

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import User

from ..models import ResearchItem, ResearchRequest, ResearchVisitSlot
from .research import (
    LEAD_DAYS,
    central_bank_ids,
    research_conditions_item,
    research_item_get,
)

MAX_SLOTS_SHOWN = 200


def _booked(slots: list[ResearchVisitSlot]) -> dict[int, ResearchRequest]:
    """The live request of each booked slot among ``slots``, by slot id."""
    found = ResearchRequest.objects.filter(
        slot__in=[s.pk for s in slots], status__in=ResearchRequest.HOLDING
    )
    return {r.slot_id: r for r in found if r.slot_id is not None}


def slot_booked(slot: ResearchVisitSlot) -> bool:
    """Whether a live request holds ``slot``."""
    return ResearchRequest.objects.filter(
        slot=slot, status__in=ResearchRequest.HOLDING
    ).exists()


def lent_days(item: ResearchItem, first: date, last: date) -> set[date]:
    """Days between ``first`` and ``last`` the item is held for whole days (a loan,
    or a visit made before slots existed) by a live request."""
    days: set[date] = set()
    held = ResearchRequest.objects.filter(
        item=item,
        slot__isnull=True,
        status__in=ResearchRequest.HOLDING,
        start_date__lte=last,
        end_date__gte=first,
    ).values_list("start_date", "end_date")
    for start, end in held:
        day = start
        while day <= end:
            days.add(day)
            day += timedelta(days=1)
    return days


def free_slots(item: ResearchItem) -> list[ResearchVisitSlot]:
    """The slots of ``item`` a teacher may request now."""
    if item.not_requestable:
        return []
    earliest = clock.today() + timedelta(days=LEAD_DAYS)
    slots = list(
        ResearchVisitSlot.objects.filter(
            item=item, cancelled_at__isnull=True, date__gte=earliest
        ).order_by("date", "start_time", "pk")[:MAX_SLOTS_SHOWN]
    )
    if not slots:
        return []
    booked = _booked(slots)
    lent = lent_days(item, slots[0].date, slots[-1].date)
    return [s for s in slots if s.pk not in booked and s.date not in lent]


def live_slots(item: ResearchItem) -> list[ResearchVisitSlot]:
    """Every live slot of ``item`` from today on, each with ``slot.booking``, its live
    request or None (what the staff of the central bank that keeps it see)."""
    slots = list(
        ResearchVisitSlot.objects.filter(
            item=item, cancelled_at__isnull=True, date__gte=clock.today()
        ).order_by("date", "start_time", "pk")[:MAX_SLOTS_SHOWN]
    )
    booked = _booked(slots)
    for s in slots:
        s.booking = booked.get(s.pk)  # type: ignore[attr-defined]
    return slots


def research_slot_list(*, actor: User, item_id: int) -> list[ResearchVisitSlot]:
    """Staff of the central bank that keeps the item: every live slot from today on
    (``slot.booking`` is its live request or None). Everyone else who may see the
    item: its free slots. Another tenant's item: ``NotFound``."""
    central = central_bank_ids(actor)
    item = research_item_get(
        actor=actor, item_id=item_id, hidden=central is None or bool(central)
    )
    if central is None or item.bank_id in central:
        return live_slots(item)
    slots = free_slots(item)
    for s in slots:
        s.booking = None  # type: ignore[attr-defined]
    return slots


def research_slot_get(*, actor: User, item_id: int, slot_id: int) -> ResearchVisitSlot:
    """A slot ``actor`` may cancel: staff of the central bank that keeps the item
    (``PermissionDenied`` for everyone else, ``NotFound`` for another bank's item or
    a slot of another item)."""
    item = research_conditions_item(actor=actor, item_id=item_id)
    slot = ResearchVisitSlot.objects.filter(pk=slot_id, item=item).first()
    if slot is None:
        raise NotFound()
    return slot
