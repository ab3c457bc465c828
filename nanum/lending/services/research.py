"""Requests for research equipment from ZEUS, the owner's decision, transfers.

A teacher requests an item for a loan period (picked up and returned at a bank) or
for an on-site visit with pupils in one of the item's visit slots (a time of day the
central bank published, services/research_slots.py); the central bank reviews and
forwards it to the owner institution's contact, who approves or declines from a signed link (no account
needed). The same no-overlap guarantee as bank units: the item's row is locked while
the check runs (SQLite: IMMEDIATE transactions), and on PostgreSQL an exclusion
constraint refuses two holding requests with overlapping periods (a visit in a slot
holds its slot, not the whole day: one live request per slot, and none on a day a loan
holds the item). The central bank
may also propose a permanent transfer of an idle item into the bank (ZEUS's transfer
programme); once the owner agrees it becomes a bank unit with its provenance kept
(services/research_owner.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, PermissionDenied
from nanum.core.models import Organisation, Role, RoleAssignment, Tenant, User
from nanum.core.services import (
    Message,
    Text,
    audit_record,
    notification_send,
    tasks_enqueue,
)

# services -> tasks is the documented cycle: a module import, resolved at call time.
from nanum.lending import tasks

from .. import selectors
from ..models import ResearchItem, ResearchRequest, ResearchVisitSlot
from ..models.research import NOT_REQUESTABLE

LEAD_DAYS = selectors.LEAD_DAYS
MAX_LOAN_DAYS = 30
S = ResearchRequest.Status


def _refuse(message: Any, code: str, field: str | None = None) -> DomainError:
    return DomainError(
        message,
        code=code,
        status=409 if code in ("item_taken", "slot_taken", "wrong_status") else 422,
        field_errors={field: [message]} if field else None,
    )


def _check_item(item: ResearchItem, mode: str) -> None:
    code = item.not_requestable
    if code:
        raise _refuse(NOT_REQUESTABLE[code], code)
    if mode == ResearchRequest.Mode.LOAN and item.lending != ResearchItem.Lending.LOAN:
        raise _refuse(
            _("This item can only be used on site: request a visit with pupils."),
            "on_site_only",
            "mode",
        )


def _too_soon(earliest: date) -> str:
    """Why a loan or a visit slot before ``earliest`` (``LEAD_DAYS`` ahead) is refused."""
    return _(
        "Request at least %(days)s days ahead: the first possible day is %(date)s."
    ) % {"days": LEAD_DAYS, "date": formats.date_format(earliest, "DATE_FORMAT")}


def _check_dates(start: date, end: date) -> None:
    """A loan's period."""
    errors: dict[str, list[Any]] = {}
    earliest = clock.today() + timedelta(days=LEAD_DAYS)
    if end < start:
        errors["end_date"] = [_("The last day must not be before the first day.")]
    elif start < earliest:
        errors["start_date"] = [_too_soon(earliest)]
    elif (end - start).days + 1 > MAX_LOAN_DAYS:
        errors["end_date"] = [
            _("A loan lasts at most %(days)s days.") % {"days": MAX_LOAN_DAYS}
        ]
    elif any(d.weekday() >= 5 for d in (start, end)):
        errors["start_date" if start.weekday() >= 5 else "end_date"] = [
            _("Not a school day.")
        ]
    if errors:
        raise InvalidInput(field_errors=errors)


def _audit(actor: User | None, action: str, obj: Any, **after: Any) -> None:
    audit_record(
        actor=actor,
        action=f"lending.research_{action}",
        obj=obj,
        tenant=Tenant(pk=obj.tenant_id),
        after={k: str(v) for k, v in after.items()},
    )


SUBJECTS: dict[str, Any] = {
    S.REVIEW: _("Research equipment request received"),
    S.WITH_OWNER: _("Your research equipment request went to the owner"),
    S.APPROVED: _("Your research equipment request is approved"),
    S.DECLINED: _("Your research equipment request was declined"),
    S.REFUSED: _("Your research equipment request was refused"),
    S.CANCELLED: _("Research equipment request cancelled"),
    S.HANDED_OUT: _("Research equipment handed out"),
    S.RETURNED: _("Research equipment returned: thank you"),
}


def _body(r: ResearchRequest) -> Message:
    return Message(
        _("%(item)s (%(owner)s), %(start)s – %(end)s. Status: %(status)s. %(reason)s"),
        item=r.item.name,
        owner=r.item.owner_name,
        start=r.start_date,
        end=r.end_date,
        status=r.get_status_display,
        reason=r.reason,
    )


def _notify(r: ResearchRequest, *, teacher: bool = True, bank_ids: tuple = ()) -> None:
    """Tell the teacher and the staff of ``bank_ids``, each in their own language."""
    subject: Text = SUBJECTS[r.status]
    url = reverse("lending:research_request", args=[r.pk])
    if teacher:
        notification_send(
            user=r.requested_by,
            kind=f"lending.research_{r.status}",
            subject=subject,
            body=_body(r),
            url=url,
        )
    staff = User.objects.filter(
        pk__in=RoleAssignment.objects.filter(
            organisation_id__in=bank_ids, role=Role.BANK_STAFF, is_active=True
        ).values("user_id"),
        is_active=True,
    )
    for user in staff:
        notification_send(
            user=user,
            kind=f"lending.research_{r.status}",
            subject=subject,
            body=_body(r),
            url=url,
        )


def research_request_create(
    *,
    actor: User,
    item_id: int,
    school_id: int,
    bank_id: int,
    mode: str,
    purpose: str,
    start_date: date | None = None,
    end_date: date | None = None,
    pupils: int = 0,
    slot_id: int | None = None,
) -> ResearchRequest:
    """A teacher asks for a research item: a loan for a period, or a visit with
    pupils in one of the item's free visit slots (``slot_id``). Refused with the
    reason when the item's use scope, conditions, the period or the slot do not
    allow it."""
    schools = selectors.teacher_school_ids(actor)
    if schools is not None and school_id not in schools:
        raise PermissionDenied()
    if mode not in ResearchRequest.Mode.values:
        raise InvalidInput(field_errors={"mode": [_("Choose a kind of use.")]})
    visit = mode == ResearchRequest.Mode.VISIT
    if visit and slot_id is None:
        raise InvalidInput(field_errors={"slot": [_("Choose a free visit slot.")]})
    if not visit:
        if start_date is None or end_date is None:
            raise InvalidInput(
                field_errors={
                    f: [_("Enter a date.")]
                    for f, v in (("start_date", start_date), ("end_date", end_date))
                    if v is None
                }
            )
        _check_dates(start_date, end_date)
    with transaction.atomic():
        item = selectors.research_item_get(actor=actor, item_id=item_id)
        _check_item(item, mode)
        # the item's row is the lock every request (and slot) of it queues on
        item = ResearchItem.objects.select_for_update().get(pk=item.pk)
        slot = _free_slot(item, slot_id, pupils) if visit and slot_id else None
        if slot is not None:
            start_date = end_date = slot.date
        assert start_date is not None and end_date is not None
        school = Organisation.objects.filter(
            pk=school_id, kind=Organisation.Kind.SCHOOL, tenant_id=item.tenant_id
        ).first()
        bank = Organisation.objects.filter(
            pk=bank_id,
            kind__in=selectors.BANK_KINDS,
            is_active=True,
            tenant_id=item.tenant_id,
        ).first()
        if school is None or bank is None:
            raise InvalidInput(
                field_errors={"bank": [_("Choose a bank of your town.")]}
            )
        if slot is not None:
            # other slots of the same day may be booked; a loan holds the whole day
            # (the rule a slot's publishing and the free slots read as well)
            taken = bool(selectors.lent_days(item, slot.date, slot.date))
        else:
            taken = ResearchRequest.objects.filter(
                item=item,
                status__in=ResearchRequest.HOLDING,
                start_date__lte=end_date,
                end_date__gte=start_date,
            ).exists()
        if taken:
            raise _item_taken()
        r = ResearchRequest(
            tenant_id=item.tenant_id,
            item=item,
            school=school,
            bank=bank,
            requested_by=actor,
            mode=mode,
            start_date=start_date,
            end_date=end_date,
            pupils=pupils if visit else 0,
            slot=slot,
            purpose=purpose.strip()[:300],
            status=S.REVIEW,
        )
        r.full_clean()
        try:
            with transaction.atomic():
                r.save()
        except IntegrityError:  # the exclusion or the one-per-slot constraint
            raise (_slot_taken() if slot else _item_taken()) from None
        extra = {"slot": slot.pk} if slot else {}
        _audit(actor, "request", r, status=r.status, item=item.nfec_no, **extra)
        _notify(r, bank_ids=(item.bank_id,))
    return r


def _free_slot(item: ResearchItem, slot_id: int, pupils: int) -> ResearchVisitSlot:
    """The live slot ``slot_id`` of ``item`` if a visit of ``pupils`` may book it
    (the caller holds the item's lock)."""
    slot = ResearchVisitSlot.objects.filter(
        pk=slot_id, item=item, cancelled_at__isnull=True
    ).first()
    if slot is None:
        raise InvalidInput(
            field_errors={"slot": [_("This visit slot is no longer offered.")]}
        )
    earliest = clock.today() + timedelta(days=LEAD_DAYS)
    if slot.date < earliest:
        raise InvalidInput(field_errors={"slot": [_too_soon(earliest)]})
    if not 1 <= pupils <= slot.max_pupils:
        raise InvalidInput(
            field_errors={
                "pupils": [
                    _("This visit slot takes between 1 and %(n)s pupils.")
                    % {"n": slot.max_pupils}
                ]
            }
        )
    if selectors.slot_booked(slot):
        raise _slot_taken()
    return slot


def _slot_taken() -> DomainError:
    return _refuse(
        _("Another school has already asked for this visit slot."),
        "slot_taken",
        "slot",
    )


def _item_taken() -> DomainError:
    return _refuse(
        _("Someone else has asked for this item for part of that period."),
        "item_taken",
        "start_date",
    )


def _for_central(actor: User, request_id: int) -> ResearchRequest:
    r = selectors.research_request_get(actor=actor, request_id=request_id)
    central = selectors.central_bank_ids(actor)
    if central is not None and r.item.bank_id not in central:
        raise PermissionDenied()
    ResearchRequest.objects.select_for_update().filter(pk=r.pk).first()
    r.refresh_from_db()
    return r


def _move(r: ResearchRequest, allowed: tuple[str, ...], to: str) -> None:
    if r.status not in allowed:
        raise _refuse(
            _("This request is %(status)s: that step is not possible now.")
            % {"status": r.get_status_display()},
            "wrong_status",
        )
    r.status = to


def research_request_forward(*, actor: User, request_id: int) -> ResearchRequest:
    """The central bank sends the request to the owner's contact (signed link)."""
    with transaction.atomic():
        r = _for_central(actor, request_id)
        _move(r, (S.REVIEW,), S.WITH_OWNER)
        r.save()
        _audit(actor, "forward", r, status=r.status)
        if r.item.contact_email:
            tasks_enqueue(tasks.research_owner_email, "r", r.pk)
        _notify(r)
    return r


def research_request_refuse(
    *, actor: User, request_id: int, reason: str
) -> ResearchRequest:
    if not reason.strip():
        raise InvalidInput(field_errors={"reason": [_("Give the teacher a reason.")]})
    with transaction.atomic():
        r = _for_central(actor, request_id)
        _move(r, (S.REVIEW, S.WITH_OWNER), S.REFUSED)
        r.reason = reason.strip()
        r.save()
        _audit(actor, "refuse", r, status=r.status, reason=r.reason)
        _notify(r)
    return r


def research_request_cancel(*, actor: User, request_id: int) -> ResearchRequest:
    with transaction.atomic():
        r = selectors.research_request_get(actor=actor, request_id=request_id)
        if r.requested_by_id != actor.pk:
            raise PermissionDenied()
        ResearchRequest.objects.select_for_update().filter(pk=r.pk).first()
        r.refresh_from_db()
        _move(r, (S.REVIEW, S.WITH_OWNER, S.APPROVED), S.CANCELLED)
        r.save()
        _audit(actor, "cancel", r, status=r.status)
        _notify(r, teacher=False, bank_ids=(r.item.bank_id,))
    return r


def research_request_hand_over(
    *, actor: User, request_id: int, step: str
) -> ResearchRequest:
    """The pickup bank hands a lent item out (``out``) or takes it back (``back``)."""
    with transaction.atomic():
        r = selectors.research_request_get(actor=actor, request_id=request_id)
        banks = selectors.staff_bank_ids(actor)
        if banks is not None and r.bank_id not in banks:
            raise PermissionDenied()
        ResearchRequest.objects.select_for_update().filter(pk=r.pk).first()
        r.refresh_from_db()
        if r.mode != ResearchRequest.Mode.LOAN:
            raise _refuse(_("A visit is not handed out."), "wrong_status")
        if step == "out":
            _move(r, (S.APPROVED,), S.HANDED_OUT)
        else:
            _move(r, (S.HANDED_OUT,), S.RETURNED)
        r.save()
        _audit(actor, f"hand_{step}", r, status=r.status)
        _notify(r)
    return r
