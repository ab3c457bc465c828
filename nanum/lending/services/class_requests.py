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

from nanum.core.errors import DomainError, PermissionDenied
from nanum.core.models import User

from .. import selectors
from ..models import Asset, Reservation
from ..selectors import teacher_school_ids
from ._common import check_dates
from .reservations import _validate_input, reservation_create


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


def _lock_model_units(equipment_id: int) -> None:
    """Lock every bookable unit of the model, in primary-key order.

    Two class requests then queue up instead of each taking part of the last units,
    and never deadlock (every booking locks units in the same order).
    """
    if not connection.features.has_select_for_update:
        return  # SQLite: BEGIN IMMEDIATE serialises writers already
    list(
        Asset.objects.filter(equipment_id=equipment_id, status__in=Asset.BOOKABLE)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )


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
    _validate_input(quantity, fulfilment, purpose)
    check_dates(start_date, end_date)
    assert start_date is not None and end_date is not None
    schools = teacher_school_ids(actor)
    if schools is not None and school_id not in schools:
        raise PermissionDenied(_("You can only book for your own school."))
    selectors.model_get(actor=actor, model_id=equipment_id)  # NotFound if not theirs
    _lock_model_units(equipment_id)
    # read again under the locks: what is free now, nearest banks first
    plan = selectors.class_request_plan(
        actor=actor,
        equipment_id=equipment_id,
        school_id=school_id,
        start=start_date,
        end=end_date,
        quantity=quantity,
        fulfilment=fulfilment,
    )
    if plan.missing:
        raise ClassRequestShort(
            _(
                "Only %(free)s of the %(wanted)s units are free across the banks for "
                "these dates: %(missing)s are missing. Nothing was booked."
            )
            % {
                "free": plan.free_total,
                "wanted": quantity,
                "missing": plan.missing,
            },
            field_errors={"quantity": [_("Not enough units free on these dates.")]},
            extra={"free": plan.free_total, "missing": plan.missing},
        )
    group = uuid.uuid4()
    made = []
    for part in plan.parts:
        # each part is an ordinary booking: rules, quota (counting the parts before
        # it), approval, rounds; a refusal of any part rolls back the whole request
        r = reservation_create(
            actor=actor,
            equipment_id=equipment_id,
            bank_id=part.bank.pk,
            school_id=school_id,
            quantity=part.quantity,
            start_date=start_date,
            end_date=end_date,
            fulfilment=fulfilment,
            purpose=purpose,
            class_request=group,
        )
        made.append(r)
    return ClassRequest(id=group, reservations=made)
