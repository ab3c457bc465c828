"""Class requests: N units of a model for one class, filled from the nearest banks.

One request becomes one reservation per bank (the same ``class_request`` id), all made
in one transaction with the ordinary booking primitive (``reservation_create``), so
the no-overlap guarantee, the quota, approval and scarcity rounds hold for every part.
All parts or none: when the banks together cannot fill it, nothing is created and the
error says how many units are missing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import DomainError, InvalidInput, PermissionDenied
from nanum.core.models import User

from .. import selectors
from ..models import Asset, Reservation
from ..selectors import teacher_school_ids
from . import booking
from ._common import audit, check_dates
from .reservations import (
    _validate_input,
    reservation_cancel,
    reservation_create,
    waitlist_offer_next,
)


class ClassRequestShort(DomainError):
    status = 409
    code = "class_request_short"
    default_message = _(
        "Not enough units are free across the banks: nothing was booked."
    )


@dataclass
class ClassRequest:
    """The reservations (one per bank) that together fill a class request."""

    id: uuid.UUID
    reservations: list[Reservation]

    @property
    def quantity(self) -> int:
        return sum(r.quantity for r in self.reservations)


def _lock_model_units(*equipment_ids: int) -> None:
    """Lock every bookable unit of the models, in primary-key order.

    Two class requests then queue up instead of each taking part of the last units,
    and never deadlock (every booking locks units in the same order).
    """
    if not connection.features.has_select_for_update:
        return  # SQLite: BEGIN IMMEDIATE serialises writers already
    list(
        Asset.objects.filter(equipment_id__in=equipment_ids, status__in=Asset.BOOKABLE)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class BasketItem:
    equipment_id: int
    quantity: int


@transaction.atomic
def class_request_create(
    *,
    actor: User,
    equipment_id: int,
    school_id: int,
    quantity: int,
    start_date: date | None,
    end_date: date | None,
    fulfilment: str = Reservation.Fulfilment.PICKUP,
    purpose: str,
) -> ClassRequest:
    """Book ``quantity`` units for a class from the nearest banks, all or nothing."""
    return class_basket_create(
        actor=actor,
        items=[BasketItem(equipment_id=equipment_id, quantity=quantity)],
        school_id=school_id,
        start_date=start_date,
        end_date=end_date,
        fulfilment=fulfilment,
        purpose=purpose,
    )


@transaction.atomic
def class_basket_create(
    *,
    actor: User,
    items: list[BasketItem],
    school_id: int,
    start_date: date | None,
    end_date: date | None,
    fulfilment: str = Reservation.Fulfilment.PICKUP,
    purpose: str,
    group: uuid.UUID | None = None,
) -> ClassRequest:
    """Book several models (each N units) for one class, as one request: all or nothing.

    Each model is filled from the nearest banks; every part is an ordinary booking.
    ``group`` keeps an existing request's id (a change books the parts anew).
    """
    if not items or len(items) > 20:
        raise InvalidInput(field_errors={"items": [_("Choose from 1 to 20 models.")]})
    if len({i.equipment_id for i in items}) != len(items):
        raise InvalidInput(
            field_errors={"items": [_("Each model may appear only once.")]}
        )
    for item in items:
        _validate_input(item.quantity, fulfilment, purpose)
    check_dates(start_date, end_date)
    assert start_date is not None and end_date is not None
    schools = teacher_school_ids(actor)
    if schools is not None and school_id not in schools:
        raise PermissionDenied(_("You can only book for your own school."))
    for item in items:  # NotFound if a model is not the actor's to book
        selectors.model_get(actor=actor, model_id=item.equipment_id)
    _lock_model_units(*(i.equipment_id for i in items))
    group = group or uuid.uuid4()
    made = []
    for item in items:
        # read again under the locks: what is free now, nearest banks first
        plan = selectors.class_request_plan(
            actor=actor,
            equipment_id=item.equipment_id,
            school_id=school_id,
            start=start_date,
            end=end_date,
            quantity=item.quantity,
            fulfilment=fulfilment,
        )
        if plan.missing:
            raise ClassRequestShort(
                _(
                    "Only %(free)s of the %(wanted)s units of %(model)s are free across "
                    "the banks for these dates: %(missing)s are missing. Nothing was "
                    "booked."
                )
                % {
                    "free": plan.free_total,
                    "wanted": item.quantity,
                    "model": plan.model.name,
                    "missing": plan.missing,
                },
                field_errors={"quantity": [_("Not enough units free on these dates.")]},
                extra={
                    "equipment_id": item.equipment_id,
                    "free": plan.free_total,
                    "missing": plan.missing,
                },
            )
        for part in plan.parts:
            # each part is an ordinary booking: rules, quota (counting the parts
            # before it), approval, rounds; a refusal of any part rolls back all
            made.append(
                reservation_create(
                    actor=actor,
                    equipment_id=item.equipment_id,
                    bank_id=part.bank.pk,
                    school_id=school_id,
                    quantity=part.quantity,
                    start_date=start_date,
                    end_date=end_date,
                    fulfilment=fulfilment,
                    purpose=purpose,
                    class_request=group,
                )
            )
    return ClassRequest(id=group, reservations=made)


def _open_parts(actor: User, group: uuid.UUID) -> list[Reservation]:
    """Lock the request's open parts (all the actor's); refuse if one is out on loan."""
    parts = selectors.class_request_parts(actor=actor, group=group)
    locked = list(
        Reservation.objects.select_for_update(of=("self",))
        .select_related("equipment", "bank")
        .filter(pk__in=[p.pk for p in parts], status__in=Reservation.OPEN)
        .order_by("pk")
    )
    if not locked:
        raise DomainError(
            _("No part of this class request is open any more: nothing to change."),
            code="wrong_status",
        )
    out = [r for r in locked if r.status == Reservation.Status.CHECKED_OUT]
    if out:
        raise DomainError(
            _(
                "Part of this class request is already checked out (%(banks)s): "
                "it can no longer be changed or cancelled as a whole. Nothing was "
                "changed."
            )
            % {"banks": ", ".join(sorted({str(r.bank.name) for r in out}))},
            code="wrong_status",
        )
    return locked


@transaction.atomic
def class_request_cancel(
    *, actor: User, group: uuid.UUID, reason: str = ""
) -> list[Reservation]:
    """Cancel every open part of a class request together: all or none."""
    parts = _open_parts(actor, group)
    return [
        reservation_cancel(actor=actor, reservation_id=r.pk, reason=reason)
        for r in parts
    ]


@transaction.atomic
def class_request_change(
    *,
    actor: User,
    group: uuid.UUID,
    start_date: date | None,
    end_date: date | None,
    quantities: dict[int, int] | None = None,
) -> ClassRequest:
    """New dates and/or units per model for a whole class request: all or none.

    The open parts are released and the request is filled again from the nearest
    banks under the same id, with every rule of a new booking (no overlap, quota,
    approval, rounds). If it cannot be filled entirely, nothing changes. Units that
    the request no longer needs go to the waitlists afterwards.
    """
    check_dates(start_date, end_date)
    parts = _open_parts(actor, group)
    wanted: dict[int, int] = {}
    for r in parts:
        wanted[r.equipment_id] = wanted.get(r.equipment_id, 0) + r.quantity
    for model_id, n in (quantities or {}).items():
        if model_id not in wanted:
            raise InvalidInput(
                field_errors={"items": [_("That model is not part of this request.")]}
            )
        wanted[model_id] = n
    first = parts[0]
    for n in wanted.values():
        _validate_input(n, first.fulfilment, first.purpose)
    # lock the units before releasing, in the order every booking locks them
    _lock_model_units(*wanted)
    freed = {(r.equipment_id, r.bank_id) for r in parts}
    for r in parts:
        booking.release(r)
        r.status = Reservation.Status.CANCELLED
        r.reason = str(_("Replaced by the changed class request."))
        r.save(update_fields=["status", "reason", "updated_at"])
    made = class_basket_create(
        actor=actor,
        items=[BasketItem(equipment_id=m, quantity=n) for m, n in wanted.items()],
        school_id=first.school_id,
        start_date=start_date,
        end_date=end_date,
        fulfilment=first.fulfilment,
        purpose=first.purpose,
        group=group,
    )
    replaced_by = ",".join(str(r.pk) for r in made.reservations)
    for r in parts:
        audit(actor, "lending.class_request.change", r, replaced_by=replaced_by)
    for equipment_id, bank_id in sorted(freed):
        waitlist_offer_next(equipment_id=equipment_id, bank_id=bank_id)
    return made
