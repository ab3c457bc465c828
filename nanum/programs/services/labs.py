"""Open-lab visits: staff publish slots, a teacher books one for a class, no double booking.

The database refuses a second active booking of a slot (a partial unique constraint);
the service also locks the slot row so two teachers racing get one booking and one
clear refusal.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import Organisation, Role, User
from nanum.core.services import Message, audit_record, snapshot

from .. import selectors
from ..models import LabBooking, LabSlot
from ._common import _notify


@transaction.atomic
def lab_slot_create(
    *,
    actor: User,
    lab: Organisation,
    room: str,
    starts_at: datetime,
    ends_at: datetime,
    instructor: str = "",
    max_students: int = 30,
    equipment_note: str = "",
) -> LabSlot:
    if (
        lab.point_type != Organisation.PointType.OPEN_LAB
        or not selectors.labs_managed(actor).filter(pk=lab.pk).exists()
    ):
        raise PermissionDenied(_("You do not run this lab."))
    slot = LabSlot(
        lab=lab,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        instructor=instructor,
        max_students=max_students,
        equipment_note=equipment_note,
    )
    errors: dict[str, list[Any]] = {}
    if not slot.room:
        errors["room"] = [_("Give the room.")]
    if not slot.starts_at or not slot.ends_at or slot.ends_at <= slot.starts_at:
        errors["ends_at"] = [_("A slot must end after it starts.")]
    elif LabSlot.objects.filter(
        lab=lab,
        room=slot.room,
        cancelled=False,
        starts_at__lt=slot.ends_at,
        ends_at__gt=slot.starts_at,
    ).exists():
        errors["starts_at"] = [_("This room already has a slot at that time.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    try:
        with transaction.atomic():
            slot.save()
    except IntegrityError as exc:
        raise InvalidInput(
            field_errors={
                "starts_at": [_("This room already has a slot at that time.")]
            }
        ) from exc
    audit_record(
        actor=actor,
        action="lab.slot_create",
        obj=slot,
        tenant=lab.tenant,
        after=snapshot(slot),
    )
    return slot


def _teacher_school(actor: User) -> Organisation:
    org = selectors.role_org(actor, Role.TEACHER)
    if org is None:
        raise PermissionDenied(_("Only teachers can book a lab visit for a class."))
    return org


@transaction.atomic
def lab_book(
    *,
    actor: User,
    slot_id: int,
    class_name: str,
    students: int,
    note: str = "",
    now: datetime | None = None,
) -> LabBooking:
    now = now or clock.now()
    school = _teacher_school(actor)
    slot = (
        LabSlot.objects.select_for_update()
        .select_related("lab")
        .filter(pk=slot_id, lab__tenant_id=school.tenant_id)
        .first()
    )
    if slot is None or slot.cancelled:
        raise NotFound()
    errors: dict[str, list[Any]] = {}
    class_name = (class_name or "").strip()
    if not class_name:
        errors["class_name"] = [_("Give the class, e.g. 2-3.")]
    if not isinstance(students, int) or students < 1:
        errors["students"] = [_("Give the number of students.")]
    elif students > slot.max_students:
        errors["students"] = [
            _("This lab takes at most %(n)s students.") % {"n": slot.max_students}
        ]
    if errors:
        raise InvalidInput(field_errors=errors)
    if slot.starts_at <= now:
        raise DomainError(_("This slot has already started."), code="slot_past")
    if slot.bookings.filter(status=LabBooking.Status.BOOKED).exists():
        raise DomainError(
            _("Another class has just booked this slot."), code="slot_taken"
        )
    try:
        with transaction.atomic():
            booking = LabBooking.objects.create(
                slot=slot,
                school=school,
                teacher=actor,
                class_name=class_name[:60],
                students=students,
                note=(note or "")[:300],
            )
    except IntegrityError as exc:
        raise DomainError(
            _("Another class has just booked this slot."), code="slot_taken"
        ) from exc
    audit_record(
        actor=actor,
        action="lab.book",
        obj=booking,
        tenant=slot.lab.tenant,
        after={"slot": slot.pk, "class": class_name},
    )
    _notify(
        actor,
        "programs.lab_booked",
        Message(
            _("Lab visit booked: %(lab)s, %(when)s"),
            lab=slot.lab.name,
            when=timezone.localtime(slot.starts_at),
        ),
        url=reverse("programs:labs"),
    )
    return booking


@transaction.atomic
def lab_booking_cancel(*, actor: User, booking_id: int) -> LabBooking:
    booking = (
        LabBooking.objects.select_for_update()
        .select_related("slot__lab")
        .filter(pk=booking_id, status=LabBooking.Status.BOOKED)
        .first()
    )
    if booking is None:
        raise NotFound()
    is_teacher = booking.teacher_id == actor.pk
    if (
        not is_teacher
        and not selectors.labs_managed(actor).filter(pk=booking.slot.lab_id).exists()
    ):
        raise NotFound()
    booking.status = LabBooking.Status.CANCELLED
    booking.save(update_fields=["status"])
    audit_record(actor=actor, action="lab.cancel", obj=booking)
    if not is_teacher:
        _notify(
            booking.teacher,
            "programs.lab_cancelled",
            Message(
                _("Your lab visit was cancelled by the lab: %(lab)s"),
                lab=booking.slot.lab.name,
            ),
            url=reverse("programs:labs"),
        )
    return booking
