"""Career and admissions counselling: slots, bookings, reminders, private notes."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import Role, RoleAssignment, User
from nanum.core.services import Message, audit_record, notification_send

from ..models import CounsellingBooking, CounsellingSlot
from ..selectors import booking_get, counselling_eligible, counselling_offered

CANCEL_CUTOFF = timedelta(hours=24)  # students cannot cancel later than this
REMIND_BEFORE = timedelta(hours=24)
MIN_MINUTES, MAX_MINUTES = 20, 120


def _counsellor_tenant(actor: User) -> int:
    ra = RoleAssignment.objects.filter(
        user=actor, role=Role.COUNSELLOR, is_active=True
    ).first()
    if ra is None:
        raise PermissionDenied(_("Only counsellors publish counselling slots."))
    return ra.tenant_id


def _when(value: datetime) -> Message:
    """The time, shown in the reader's language when the notification is rendered."""
    return Message("%(when)s", when=timezone.localtime(value))


@transaction.atomic
def slot_publish(
    *,
    actor: User,
    starts_at: datetime,
    ends_at: datetime,
    topic: str = "both",
    online_link: str = "",
) -> CounsellingSlot:
    tenant_id = _counsellor_tenant(actor)
    if not counselling_offered(tenant_id):
        raise DomainError(
            _("Your town does not offer counselling: an officer can switch it on."),
            code="service_off",
        )
    if timezone.is_naive(starts_at):  # a time without zone is Seoul time
        starts_at = timezone.make_aware(starts_at)
    if timezone.is_naive(ends_at):
        ends_at = timezone.make_aware(ends_at)
    errors: dict[str, list] = {}
    if starts_at <= clock.now():
        errors["starts_at"] = [_("Choose a time in the future.")]
    minutes = (ends_at - starts_at).total_seconds() / 60
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors["ends_at"] = [_("A consultation lasts 20 to 120 minutes.")]
    if topic not in CounsellingSlot.Topic.values:
        errors["topic"] = [_("Choose from the list.")]
    if online_link and not online_link.startswith("https://"):
        errors["online_link"] = [_("Enter an https:// link.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    User.objects.select_for_update().filter(
        pk=actor.pk
    ).first()  # serialise one counsellor
    if CounsellingSlot.objects.filter(
        counsellor=actor,
        is_cancelled=False,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).exists():
        raise DomainError(
            _("You already have a slot at this time."), code="slot_overlap"
        )
    try:
        with transaction.atomic():
            slot = CounsellingSlot.objects.create(
                tenant_id=tenant_id,
                counsellor=actor,
                starts_at=starts_at,
                ends_at=ends_at,
                topic=topic,
                online_link=online_link[:200],
            )
    except IntegrityError as exc:
        raise DomainError(
            _("You already have a slot at this time."), code="slot_overlap"
        ) from exc
    audit_record(
        actor=actor,
        action="mentoring.slot.publish",
        obj=slot,
        tenant=slot.tenant,
        after={"starts_at": str(starts_at)},
    )
    return slot


@transaction.atomic
def slot_cancel(*, actor: User, slot_id: int) -> CounsellingSlot:
    slot = (
        CounsellingSlot.objects.select_for_update()
        .filter(pk=slot_id, counsellor=actor)
        .first()
    )
    if slot is None:
        raise NotFound()
    if slot.is_cancelled:
        raise DomainError(_("This slot is already cancelled."), code="wrong_state")
    slot.is_cancelled = True
    slot.save(update_fields=["is_cancelled"])
    for booking in slot.bookings.filter(status=CounsellingBooking.Status.BOOKED):
        booking.status, booking.cancelled_at = (
            CounsellingBooking.Status.CANCELLED,
            clock.now(),
        )
        booking.save(update_fields=["status", "cancelled_at"])
        notification_send(
            user=booking.student,
            kind="mentoring.counselling.cancelled",
            subject=_("Your counsellor cancelled the consultation"),
            body=_when(slot.starts_at),
            url="/mentoring/counselling/",
        )
    audit_record(
        actor=actor, action="mentoring.slot.cancel", obj=slot, tenant=slot.tenant
    )
    return slot


@transaction.atomic
def booking_create(
    *, actor: User, slot_id: int, topic: str, question: str
) -> CounsellingBooking:
    """Book a free slot. The slot row is locked and a partial unique index forbids a
    second live booking, so two students racing for one slot get one booking."""
    slot = CounsellingSlot.objects.select_for_update().filter(pk=slot_id).first()
    if slot is None or not counselling_eligible(actor, slot.tenant_id):
        raise NotFound(_("This slot does not exist or is not open to you."))
    if slot.is_cancelled or slot.starts_at <= clock.now():
        raise DomainError(
            _("This slot is no longer available."), code="slot_unavailable"
        )
    errors: dict[str, list] = {}
    allowed = (
        [CounsellingSlot.Topic.CAREER, CounsellingSlot.Topic.ADMISSIONS]
        if slot.topic == CounsellingSlot.Topic.BOTH
        else [slot.topic]
    )
    if topic not in allowed:
        errors["topic"] = [_("This slot is not for that topic.")]
    if not (question or "").strip():
        errors["question"] = [
            _("Tell the counsellor what you would like to talk about.")
        ]
    if errors:
        raise InvalidInput(field_errors=errors)
    if slot.bookings.filter(status=CounsellingBooking.Status.BOOKED).exists():
        raise DomainError(
            _("Someone else has just booked this slot."), code="slot_taken"
        )
    if CounsellingBooking.objects.filter(
        student=actor,
        status=CounsellingBooking.Status.BOOKED,
        slot__starts_at__lt=slot.ends_at,
        slot__ends_at__gt=slot.starts_at,
    ).exists():
        raise DomainError(
            _("You already have a consultation at this time."), code="student_overlap"
        )
    try:
        with transaction.atomic():
            booking = CounsellingBooking.objects.create(
                slot=slot,
                tenant_id=slot.tenant_id,
                student=actor,
                topic=topic,
                question=question.strip()[:2000],
            )
    except IntegrityError as exc:
        raise DomainError(
            _("Someone else has just booked this slot."), code="slot_taken"
        ) from exc
    notification_send(
        user=slot.counsellor,
        kind="mentoring.counselling.booked",
        subject=_("A student booked a consultation"),
        body=_when(slot.starts_at),
        url="/mentoring/counselling/",
    )
    audit_record(
        actor=actor,
        action="mentoring.booking.create",
        obj=booking,
        tenant=slot.tenant,
        after={"slot": slot.pk, "topic": topic},
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor: User, booking_id: int) -> CounsellingBooking:
    booking = booking_get(actor=actor, booking_id=booking_id)
    booking = (
        CounsellingBooking.objects.select_for_update(of=("self",))
        .select_related("slot__counsellor", "student")
        .get(pk=booking.pk)
    )
    if booking.status != CounsellingBooking.Status.BOOKED:
        raise DomainError(_("This booking is not active."), code="wrong_state")
    is_student = actor.pk == booking.student_id
    if is_student and booking.slot.starts_at - clock.now() < CANCEL_CUTOFF:
        raise DomainError(
            _(
                "Bookings can be cancelled until 24 hours before the start. "
                "Please contact your counsellor."
            ),
            code="too_late_to_cancel",
        )
    booking.status, booking.cancelled_at = (
        CounsellingBooking.Status.CANCELLED,
        clock.now(),
    )
    booking.save(update_fields=["status", "cancelled_at"])
    other = booking.slot.counsellor if is_student else booking.student
    notification_send(
        user=other,
        kind="mentoring.counselling.cancelled",
        subject=_("A consultation was cancelled"),
        body=_when(booking.slot.starts_at),
        url="/mentoring/counselling/",
    )
    audit_record(
        actor=actor,
        action="mentoring.booking.cancel",
        obj=booking,
        tenant=booking.slot.tenant,
    )
    return booking


@transaction.atomic
def booking_notes_save(
    *, actor: User, booking_id: int, notes: str
) -> CounsellingBooking:
    """The counsellor's notes (encrypted; only the counsellor and the student see them)."""
    booking = booking_get(actor=actor, booking_id=booking_id)
    if actor.pk != booking.slot.counsellor_id:
        raise PermissionDenied(_("Only the counsellor writes the notes."))
    if booking.status == CounsellingBooking.Status.CANCELLED:
        raise DomainError(_("This booking was cancelled."), code="wrong_state")
    if len(notes or "") > 10000:
        raise InvalidInput(
            field_errors={"notes": [_("Notes are at most 10,000 characters.")]}
        )
    booking = CounsellingBooking.objects.select_for_update().get(pk=booking.pk)
    booking.notes = (notes or "").strip()
    if booking.slot.starts_at <= clock.now():
        booking.status = CounsellingBooking.Status.DONE
    booking.save(update_fields=["notes", "status"])
    audit_record(
        actor=actor,
        action="mentoring.booking.notes",
        obj=booking,
        tenant=booking.slot.tenant,
        after={"length": len(booking.notes)},
    )
    return booking


@transaction.atomic
def counselling_reminders_send(*, now: datetime | None = None) -> int:
    """Remind students of consultations within the next 24 hours (once each)."""
    now = now or clock.now()
    due = (
        CounsellingBooking.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            status=CounsellingBooking.Status.BOOKED,
            reminded_at__isnull=True,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + REMIND_BEFORE,
        )
        .select_related("slot__tenant", "student")
    )
    count = 0
    for booking in due:
        notification_send(
            user=booking.student,
            kind="mentoring.counselling.reminder",
            subject=_("Reminder: your consultation is coming up"),
            body=_when(booking.slot.starts_at),
            url="/mentoring/counselling/",
        )
        booking.reminded_at = now
        booking.save(update_fields=["reminded_at"])
        audit_record(
            actor=None,
            action="mentoring.booking.remind",
            obj=booking,
            tenant=booking.slot.tenant,
        )
        count += 1
    return count
