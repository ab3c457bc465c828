"""Reservations: create, change, cancel, approve, reject, waitlist offers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import Organisation, User

from .. import selectors
from ..models import Allocation, EquipmentModel, Reservation
from ..selectors import (
    BANK_KINDS,
    staff_bank_ids,
    teacher_school_ids,
)
from . import booking
from ._common import (
    audit,
    bank_policy_for,
    check_dates,
    check_rules,
    model_for_booking,
    notify,
)


@dataclass
class ReservationOpened:
    """A reservation as the page and the API show it."""

    reservation: Reservation
    allocations: list[Allocation]  # the active ones, by tag code
    staff: bool  # the actor is staff of the reservation's bank
    # the other parts of its class request (other banks), that the actor may see
    class_parts: list[Reservation] = field(default_factory=list)

    @property
    def tags(self) -> list[str]:
        return [a.asset.tag_code for a in self.allocations]


def reservation_open(
    *, actor: User, reservation_id: int, request: HttpRequest | None = None
) -> ReservationOpened:
    """Open a reservation for its teacher, their school's teachers or its bank's staff.

    The same ``NotFound`` for "not yours" and "does not exist". A reservation holds no
    personal data beyond the school's booking, so no access-log row is written
    (``request`` is accepted for the day one is needed).
    """
    r = selectors.reservation_get(actor=actor, reservation_id=reservation_id)
    banks = selectors.staff_bank_ids(actor)
    return ReservationOpened(
        reservation=r,
        allocations=list(
            r.allocations.filter(active=True)
            .select_related("asset")
            .order_by("asset__tag_code")
        ),
        staff=banks is None or r.bank_id in banks,
        class_parts=list(
            selectors.reservation_list(actor=actor, scope="mine")
            .filter(class_request=r.class_request)
            .exclude(pk=r.pk)
            .select_related("bank")
            .order_by("pk")
        )
        if r.class_request
        else [],
    )


def _validate_input(quantity: Any, fulfilment: str, purpose: str) -> None:
    errors: dict[str, list[Any]] = {}
    if not isinstance(quantity, int) or not 1 <= quantity <= 500:
        errors["quantity"] = [_("Enter a number of units from 1 to 500.")]
    if fulfilment not in Reservation.Fulfilment.values:
        errors["fulfilment"] = [_("Choose pickup or delivery.")]
    if not (purpose or "").strip():
        errors["purpose"] = [_("Say what the class will do with the equipment.")]
    elif len(purpose) > 300:
        errors["purpose"] = [_("At most 300 characters.")]
    if errors:
        raise InvalidInput(field_errors=errors)


def _status_after_hold(equipment: EquipmentModel) -> str:
    return (
        Reservation.Status.PENDING
        if equipment.requires_approval
        else Reservation.Status.CONFIRMED
    )


@transaction.atomic
def reservation_create(
    *,
    actor: User,
    equipment_id: int,
    bank_id: int,
    school_id: int,
    quantity: int,
    start_date: date | None,
    end_date: date | None,
    fulfilment: str = Reservation.Fulfilment.PICKUP,
    purpose: str,
    waitlist: bool = False,
    class_request: uuid.UUID | None = None,
) -> Reservation:
    """Reserve ``quantity`` units of a model at a bank for a school, or refuse and say why.

    ``class_request``: the id of the class request this booking is one part of.
    """
    _validate_input(quantity, fulfilment, purpose)
    check_dates(start_date, end_date)
    assert start_date is not None and end_date is not None
    # One query: the model with the bank's and the school's tenant, whether the actor
    # may book for the school, and the facts the rules need (policy, quota use...).
    check = model_for_booking(
        actor=actor,
        equipment_id=equipment_id,
        bank_id=bank_id,
        school_id=school_id,
        start=start_date,
        end=end_date,
    )
    if check is not None:
        allowed = actor.is_superuser or check.may_book
    else:
        ids = teacher_school_ids(actor)
        allowed = ids is None or school_id in ids
    if not allowed:
        raise PermissionDenied(_("You can only book for your own school."))
    if check is None:
        bank_ok = Organisation.objects.filter(
            pk=bank_id, kind__in=BANK_KINDS, is_active=True
        ).exists()
        raise NotFound(
            _("We could not find that equipment model.")
            if bank_ok
            else _("We could not find that bank.")
        )
    equipment = check.equipment
    bank_tenant = check.bank_tenant
    if bank_tenant is None or bank_tenant != check.school_tenant:
        raise NotFound(_("We could not find that bank."))
    if equipment.tenant_id != bank_tenant:
        raise NotFound(_("We could not find that equipment model."))
    facts = check_rules(
        actor=actor,
        equipment=equipment,
        bank_id=bank_id,
        school_id=school_id,
        start=start_date,
        end=end_date,
        quantity=quantity,
        facts=check.facts,
    )
    reservation = Reservation(
        tenant_id=equipment.tenant_id,
        equipment=equipment,
        bank_id=bank_id,
        school_id=school_id,
        requested_by=actor,
        quantity=quantity,
        start_date=start_date,
        end_date=end_date,
        fulfilment=fulfilment,
        purpose=purpose.strip(),
        class_request=class_request,
    )
    if facts["round_id"] is not None:
        reservation.status = Reservation.Status.IN_ROUND
        reservation.round_id = facts["round_id"]
        reservation.save()
    else:
        reservation.status = _status_after_hold(equipment)
        reservation.save()
        try:
            # without a waitlist a refusal rolls back everything: no savepoint needed
            booking.allocate(reservation, savepoint=waitlist)
        except booking.NoUnitsFree:
            if not waitlist:
                raise
            reservation.status = Reservation.Status.WAITLISTED
            reservation.save(update_fields=["status", "updated_at"])
    audit(actor, "lending.reservation.create", reservation)
    notify(reservation, reservation.status)
    return reservation


def reservation_for_actor(
    actor: User, reservation_id: int, *, staff: bool = False
) -> Reservation:
    """Lock and return a reservation the actor may act on (teacher's own, or staff's bank)."""
    r = (
        Reservation.objects.select_for_update(of=("self",))
        .select_related("equipment", "requested_by", "tenant")
        .filter(pk=reservation_id)
        .first()
    )
    if r is None:
        raise NotFound()
    banks = staff_bank_ids(actor)
    is_staff = banks is None or r.bank_id in banks
    if staff:
        if not is_staff:
            raise NotFound()
        return r
    schools = teacher_school_ids(actor)
    own = r.requested_by_id == actor.pk or (
        schools is not None and r.school_id in schools
    )
    if not (own or is_staff or schools is None):
        raise NotFound()
    return r


def _require_status(r: Reservation, *allowed: str) -> None:
    if r.status not in allowed:
        raise DomainError(
            _("This cannot be done while the reservation is %(status)s.")
            % {"status": r.get_status_display()},
            code="wrong_status",
        )


@transaction.atomic
def reservation_cancel(
    *, actor: User, reservation_id: int, reason: str = ""
) -> Reservation:
    r = reservation_for_actor(actor, reservation_id)
    _require_status(r, *Reservation.OPEN)
    if r.status == Reservation.Status.CHECKED_OUT:
        raise DomainError(
            _("Checked-out equipment must be returned, not cancelled."),
            code="wrong_status",
        )
    booking.release(r)
    r.status = Reservation.Status.CANCELLED
    r.reason = (reason or "").strip()[:500]
    r.save(update_fields=["status", "reason", "updated_at"])
    audit(actor, "lending.reservation.cancel", r)
    notify(r, "cancelled")
    waitlist_offer_next(equipment_id=r.equipment_id, bank_id=r.bank_id)
    return r


@transaction.atomic
def reservation_change(
    *, actor: User, reservation_id: int, start_date: date | None, end_date: date | None
) -> Reservation:
    """Shorten or extend (when the same units are free) or move a reservation."""
    check_dates(start_date, end_date)
    assert start_date is not None and end_date is not None
    r = reservation_for_actor(actor, reservation_id)
    _require_status(r, *Reservation.HOLDING, Reservation.Status.WAITLISTED)
    if r.status == Reservation.Status.CHECKED_OUT and start_date != r.start_date:
        raise InvalidInput(
            field_errors={"start_date": [_("The loan has already started.")]}
        )
    check_rules(
        actor=r.requested_by,
        equipment=r.equipment,
        bank_id=r.bank_id,
        school_id=r.school_id,
        start=start_date,
        end=end_date,
        quantity=r.quantity,
        check_lead_time=start_date != r.start_date,
        exclude_reservation=r.pk,
    )
    shorter = r.start_date <= start_date and end_date <= r.end_date
    before = (r.start_date, r.end_date)
    if r.status != Reservation.Status.WAITLISTED:
        booking.move_period(r, start_date, end_date)
    r.start_date, r.end_date = start_date, end_date
    r.save(update_fields=["start_date", "end_date", "updated_at"])
    audit(actor, "lending.reservation.change", r, before=before)
    notify(r, "changed")
    if shorter:
        waitlist_offer_next(equipment_id=r.equipment_id, bank_id=r.bank_id)
    return r


@transaction.atomic
def reservation_approve(*, actor: User, reservation_id: int) -> Reservation:
    r = reservation_for_actor(actor, reservation_id, staff=True)
    _require_status(r, Reservation.Status.PENDING)
    r.status = Reservation.Status.CONFIRMED
    r.save(update_fields=["status", "updated_at"])
    audit(actor, "lending.reservation.approve", r)
    notify(r, Reservation.Status.CONFIRMED)
    return r


@transaction.atomic
def reservation_reject(*, actor: User, reservation_id: int, reason: str) -> Reservation:
    if not (reason or "").strip():
        raise InvalidInput(field_errors={"reason": [_("Give the teacher a reason.")]})
    r = reservation_for_actor(actor, reservation_id, staff=True)
    _require_status(
        r,
        Reservation.Status.PENDING,
        Reservation.Status.WAITLISTED,
        Reservation.Status.IN_ROUND,
    )
    booking.release(r)
    r.status = Reservation.Status.REJECTED
    r.reason = reason.strip()[:500]
    r.save(update_fields=["status", "reason", "updated_at"])
    audit(actor, "lending.reservation.reject", r)
    notify(r, "rejected")
    waitlist_offer_next(equipment_id=r.equipment_id, bank_id=r.bank_id)
    return r


@transaction.atomic
def reservation_accept_offer(*, actor: User, reservation_id: int) -> Reservation:
    r = reservation_for_actor(actor, reservation_id)
    _require_status(r, Reservation.Status.OFFERED)
    if r.offer_expires_at and r.offer_expires_at < clock.now():
        raise DomainError(_("The offer has expired."), code="offer_expired")
    r.status = _status_after_hold(r.equipment)
    r.offer_expires_at = None
    r.save(update_fields=["status", "offer_expires_at", "updated_at"])
    audit(actor, "lending.reservation.accept_offer", r)
    notify(r, r.status)
    return r


def waitlist_offer_next(*, equipment_id: int, bank_id: int) -> list[Reservation]:
    """Offer freed units to waitlisted requests, first come first served, for a limited time."""
    offered = []
    hours = bank_policy_for(bank_id)["offer_hours"]
    waiting = (
        Reservation.objects.select_related("equipment", "requested_by", "tenant")
        .filter(
            equipment_id=equipment_id,
            bank_id=bank_id,
            status=Reservation.Status.WAITLISTED,
            start_date__gt=clock.today(),
        )
        .order_by("created_at", "pk")
    )
    for r in waiting[:50]:
        try:
            with transaction.atomic():
                booking.allocate(r)
        except booking.NoUnitsFree:
            continue
        r.status = Reservation.Status.OFFERED
        r.offer_expires_at = clock.now() + timedelta(hours=hours)
        with translation.override(r.requested_by.preferred_language or "ko"):
            r.reason = gettext(
                "Units became free. Accept before %(time)s or they go to the next school."
            ) % {
                "time": formats.date_format(
                    timezone.localtime(r.offer_expires_at), "DATETIME_FORMAT"
                )
            }
        r.save(update_fields=["status", "offer_expires_at", "reason", "updated_at"])
        audit(None, "lending.reservation.offer", r)
        notify(r, "offered")
        offered.append(r)
    return offered


@transaction.atomic
def offers_expire() -> int:
    """Expire offers that were not accepted in time and pass the units on."""
    expired = list(
        Reservation.objects.select_for_update(of=("self",))
        .select_related("equipment", "requested_by", "tenant")
        .filter(status=Reservation.Status.OFFERED, offer_expires_at__lt=clock.now())
    )
    for r in expired:
        booking.release(r)
        r.status = Reservation.Status.EXPIRED
        r.save(update_fields=["status", "updated_at"])
        audit(None, "lending.reservation.expire", r)
        notify(r, "expired")
    for equipment_id, bank_id in {(r.equipment_id, r.bank_id) for r in expired}:
        waitlist_offer_next(equipment_id=equipment_id, bank_id=bank_id)
    return len(expired)
