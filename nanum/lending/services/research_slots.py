"""Visit slots of research items: the central bank's staff publish a time of day when
pupils may visit an item at its owner's site, and cancel it.

The same staff who set an item's conditions of use publish its slots
(``selectors.research_conditions_item``), for items a school may request for a visit
(shared use, idle or under-used, lent or on-site only). A slot is one time of day in
Seoul time, not in the past, for 1 to 200 pupils; two live slots of one item never
overlap, and no slot is published on a day the item is held for whole days (lent out).
Both checks run under a lock on the item's row (SQLite: IMMEDIATE transactions); on
PostgreSQL an exclusion constraint refuses overlapping live slots as well (migration
0011). A teacher books a slot with a visit request (``services/research.py``).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput
from nanum.core.models import Tenant, User
from nanum.core.services import audit_record

from .. import selectors
from ..models import ResearchItem, ResearchVisitSlot
from ..models.research import NOT_REQUESTABLE
from .research_conditions import item_for_update

MAX_PUPILS = ResearchVisitSlot.MAX_PUPILS


def _conflict(message: Any, code: str, field: str = "start_time") -> DomainError:
    return DomainError(message, code=code, status=409, field_errors={field: [message]})


def _clean(day: date, start: time, end: time, max_pupils: int) -> None:
    errors: dict[str, list[Any]] = {}
    begins = datetime.combine(day, start, tzinfo=ZoneInfo(settings.TIME_ZONE))
    if end <= start:
        errors["end_time"] = [
            _("The end time must be after the start time on the same day.")
        ]
    if begins <= clock.now():
        errors["date"] = [_("A visit slot cannot start in the past.")]
    if not 1 <= max_pupils <= MAX_PUPILS:
        errors["max_pupils"] = [
            _("A visit slot takes between 1 and %(n)s pupils.") % {"n": MAX_PUPILS}
        ]
    if errors:
        raise InvalidInput(field_errors=errors)


def _audit(actor: User, action: str, slot: ResearchVisitSlot) -> None:
    audit_record(
        actor=actor,
        action=f"lending.research_slot_{action}",
        obj=slot,
        tenant=Tenant(pk=slot.tenant_id),
        after={
            "item": str(slot.item_id),
            "date": str(slot.date),
            "start_time": f"{slot.start_time:%H:%M}",
            "end_time": f"{slot.end_time:%H:%M}",
            "max_pupils": str(slot.max_pupils),
        },
    )


def research_slot_create(
    *,
    actor: User,
    item_id: int,
    date: date,
    start_time: time,
    end_time: time,
    max_pupils: int,
) -> ResearchVisitSlot:
    """Publish a visit slot of a research item (central bank staff)."""
    with transaction.atomic():
        item = item_for_update(actor, item_id)
        code = item.not_requestable
        if code:
            raise DomainError(NOT_REQUESTABLE[code], code=code, status=422)
        _clean(date, start_time, end_time, max_pupils)
        if ResearchVisitSlot.objects.filter(
            item=item,
            cancelled_at__isnull=True,
            date=date,
            start_time__lt=end_time,
            end_time__gt=start_time,
        ).exists():
            raise _slot_overlap()
        if selectors.lent_days(item, date, date):
            raise _conflict(
                _("The item is lent out (or booked for the whole day) on that date."),
                "item_lent",
                "date",
            )
        slot = ResearchVisitSlot(
            tenant_id=item.tenant_id,
            item=item,
            date=date,
            start_time=start_time,
            end_time=end_time,
            max_pupils=max_pupils,
            created_by=actor,
        )
        slot.full_clean()
        try:
            with transaction.atomic():
                slot.save()
        except IntegrityError:  # the exclusion constraint (PostgreSQL)
            raise _slot_overlap() from None
        _audit(actor, "create", slot)
    return slot


def _slot_overlap() -> DomainError:
    return _conflict(
        _("Another visit slot of this item overlaps that time."), "slot_overlap"
    )


def research_slot_cancel(
    *, actor: User, item_id: int, slot_id: int
) -> ResearchVisitSlot:
    """Withdraw a slot (central bank staff). A slot a teacher has booked with a live
    request is refused: the request is refused or cancelled first."""
    with transaction.atomic():
        slot = selectors.research_slot_get(
            actor=actor, item_id=item_id, slot_id=slot_id
        )
        ResearchItem.objects.select_for_update().filter(pk=slot.item_id).first()
        slot.refresh_from_db()
        if slot.cancelled_at is not None:
            return slot
        if selectors.slot_booked(slot):
            raise DomainError(
                _(
                    "A teacher has booked this slot: refuse the request (or the "
                    "teacher cancels it) before cancelling the slot."
                ),
                code="slot_booked",
                status=409,
            )
        slot.cancelled_at = clock.now()
        slot.save(update_fields=["cancelled_at"])
        _audit(actor, "cancel", slot)
    return slot
