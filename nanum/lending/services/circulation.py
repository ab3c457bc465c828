"""Running the bank: check-out, check-in with inspection, damage, maintenance, transfers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound
from nanum.core.models import Organisation, User
from nanum.core.services import Message, audit_record, user_language

from ..models import (
    Allocation,
    Asset,
    Consumable,
    ConsumableIssue,
    DamageReport,
    Inspection,
    MaintenanceTicket,
    Reservation,
    Transfer,
)
from ..selectors import BANK_KINDS, require_bank_staff, staff_bank_ids
from . import booking
from ._common import audit, notify, notify_bank_staff
from .reservations import reservation_for_actor, waitlist_offer_next


def _asset_for_staff(
    actor: User, *, tag_code: str = "", asset_id: int | None = None
) -> Asset:
    qs = Asset.objects.select_for_update().select_related("equipment")
    asset = (
        qs.filter(pk=asset_id).first()
        if asset_id
        else qs.filter(tag_code=tag_code.strip()).first()
    )
    banks = staff_bank_ids(actor)
    if asset is None or (
        banks is not None
        and asset.home_bank_id not in banks
        and asset.location_id not in banks
    ):
        raise NotFound(_("No asset with that tag code at your bank."))
    return asset


@transaction.atomic
def checkout(
    *,
    actor: User,
    reservation_id: int,
    tag_codes: list[str],
    consumables: dict[int, int] | None = None,
) -> Reservation:
    """Hand out the reserved units; each scanned tag must be one held for the reservation."""
    r = reservation_for_actor(actor, reservation_id, staff=True)
    if r.status != Reservation.Status.CONFIRMED:
        raise DomainError(
            _("Only confirmed reservations can be checked out."), code="wrong_status"
        )
    codes = sorted({c.strip().upper() for c in tag_codes if c.strip()})
    allocations = {
        a.asset.tag_code.upper(): a
        for a in r.allocations.filter(active=True)
        .select_related("asset")
        .order_by("asset_id")
    }
    unknown = [c for c in codes if c not in allocations]
    if unknown:
        raise InvalidInput(
            field_errors={
                "tag_codes": [
                    _("Not held for this reservation: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                ]
            }
        )
    if len(codes) != len(allocations):
        raise InvalidInput(
            field_errors={
                "tag_codes": [
                    _("Scan all %(n)s units; %(m)s scanned.")
                    % {"n": len(allocations), "m": len(codes)}
                ]
            }
        )
    now = clock.now()
    asset_ids = sorted(a.asset_id for a in allocations.values())
    list(
        Asset.objects.filter(pk__in=asset_ids)
        .order_by("pk")
        .select_for_update()
        .values_list("pk")
    )
    bad = (
        Asset.objects.filter(pk__in=asset_ids)
        .exclude(status=Asset.Status.AVAILABLE)
        .count()
    )
    if bad:
        raise DomainError(
            _("Some units are not back on the shelf yet."), code="asset_unavailable"
        )
    Asset.objects.filter(pk__in=asset_ids).update(
        status=Asset.Status.ON_LOAN, location=r.school_id
    )
    Allocation.objects.filter(reservation=r, active=True).update(checked_out_at=now)
    for consumable_id, qty in (consumables or {}).items():
        consumable_issue(
            actor=actor, reservation=r, consumable_id=consumable_id, quantity=qty
        )
    r.status = Reservation.Status.CHECKED_OUT
    r.save(update_fields=["status", "updated_at"])
    audit(actor, "lending.checkout", r, tags=",".join(codes))
    notify(r, "checked_out")
    return r


def consumable_issue(
    *, actor: User, reservation: Reservation, consumable_id: int, quantity: int
) -> None:
    c = (
        Consumable.objects.select_for_update()
        .filter(pk=consumable_id, bank_id=reservation.bank_id)
        .first()
    )
    if c is None:
        raise NotFound(_("No such consumable at this bank."))
    if quantity < 1 or quantity > c.stock:
        raise InvalidInput(field_errors={"consumables": [_("Not enough in stock.")]})
    Consumable.objects.filter(pk=c.pk).update(stock=F("stock") - quantity)
    ConsumableIssue.objects.create(
        consumable=c, reservation=reservation, quantity=quantity
    )
    if c.stock - quantity <= c.reorder_level:
        notify_bank_staff(
            c.bank_id,
            "lending.reorder",
            Message(
                _("Reorder %(name)s: %(n)s left"), name=c.name, n=c.stock - quantity
            ),
        )


@dataclass
class CheckinItem:
    tag_code: str
    parts_complete: bool
    condition: str
    missing_parts: str = ""
    notes: str = ""
    photo: object = None


def _damage_description(item: CheckinItem) -> str | None:
    """The damage report's text for a returned unit.

    "" when the unit came back complete and undamaged (no report); None when it is
    damaged or incomplete but nobody described it (refused: a report needs a
    description, in the staff's own words, which is also the repair reason).
    """
    damaged = item.condition == Asset.Condition.DAMAGED
    incomplete = not item.parts_complete
    if not (damaged or incomplete):
        return ""
    notes, missing = item.notes.strip(), item.missing_parts.strip()
    if damaged and not notes:
        return None
    text = "\n".join(t for t in (notes, missing) if t)
    return text or None


@transaction.atomic
def checkin(
    *, actor: User, reservation_id: int, items: list[CheckinItem]
) -> Reservation:
    """Take units back with an inspection each; damaged or incomplete units go to repair."""
    r = reservation_for_actor(actor, reservation_id, staff=True)
    if r.status != Reservation.Status.CHECKED_OUT:
        raise DomainError(
            _("Only checked-out reservations can be checked in."), code="wrong_status"
        )
    held = {
        a.asset.tag_code.upper(): a
        for a in r.allocations.filter(
            active=True, returned_at__isnull=True
        ).select_related("asset")
    }
    errors: list[str | Promise] = []
    for item in items:
        if item.tag_code.strip().upper() not in held:
            errors.append(
                _("%(code)s is not out on this reservation.") % {"code": item.tag_code}
            )
        if item.condition not in Asset.Condition.values:
            errors.append(
                _("Choose a condition for %(code)s.") % {"code": item.tag_code}
            )
    undescribed = [
        _("Describe the damage of %(code)s.") % {"code": item.tag_code}
        for item in items
        if _damage_description(item) is None
    ]
    if errors or not items or undescribed:
        field_errors: dict[str, list[str | Promise]] = {}
        if errors or not items:
            field_errors["items"] = errors or [_("Check in at least one unit.")]
        if undescribed:
            field_errors["notes"] = list(undescribed)
        raise InvalidInput(field_errors=field_errors)
    now = clock.now()
    for item in items:
        alloc = held[item.tag_code.strip().upper()]
        asset = alloc.asset
        Inspection.objects.create(
            allocation=alloc,
            inspected_by=actor,
            parts_complete=item.parts_complete,
            missing_parts=item.missing_parts[:1000],
            condition=item.condition,
            notes=item.notes[:2000],
            photo=item.photo or "",
        )
        until = max(
            alloc.blocked_from,
            clock.today() + timedelta(days=r.equipment.inspection_days),
        )
        alloc.returned_at = now
        alloc.blocked_until = min(alloc.blocked_until, until)
        alloc.save(update_fields=["returned_at", "blocked_until"])
        asset.location_id = r.bank_id
        asset.condition = item.condition
        asset.status = Asset.Status.AVAILABLE
        asset.save(update_fields=["location", "condition", "status"])
        description = _damage_description(item)
        if description:
            report = DamageReport.objects.create(
                asset=asset,
                reservation=r,
                kind=DamageReport.Kind.DAMAGE,
                reported_by=actor,
                description=description[:2000],
            )
            audit_record(actor=actor, action="lending.damage", obj=report)
            maintenance_open(actor=actor, asset_id=asset.pk, description=description)
    if not r.allocations.filter(active=True, returned_at__isnull=True).exists():
        r.status = Reservation.Status.RETURNED
        r.save(update_fields=["status", "updated_at"])
        notify(r, "returned")
    audit(actor, "lending.checkin", r, tags=",".join(i.tag_code for i in items))
    waitlist_offer_next(equipment_id=r.equipment_id, bank_id=r.bank_id)
    return r


@transaction.atomic
def damage_report(
    *, actor: User, asset_id: int, kind: str, description: str
) -> DamageReport:
    asset = _asset_for_staff(actor, asset_id=asset_id)
    if kind not in DamageReport.Kind.values or not description.strip():
        raise InvalidInput(
            field_errors={"description": [_("Describe the damage or loss.")]}
        )
    report = DamageReport.objects.create(
        asset=asset, kind=kind, description=description.strip(), reported_by=actor
    )
    audit_record(actor=actor, action="lending.damage", obj=report)
    if kind == DamageReport.Kind.LOSS:
        maintenance_open(
            actor=actor, asset_id=asset.pk, description=description, retire=True
        )
    return report


@transaction.atomic
def maintenance_open(
    *,
    actor: User,
    asset_id: int,
    description: str,
    expected_back: date | None = None,
    retire: bool = False,
) -> MaintenanceTicket:
    """Take an asset out of service; move its future bookings to other units or tell the teachers."""
    asset = _asset_for_staff(actor, asset_id=asset_id)
    if not (description or "").strip():
        raise InvalidInput(field_errors={"description": [_("Describe the problem.")]})
    ticket = MaintenanceTicket.objects.create(
        asset=asset,
        opened_by=actor,
        description=description.strip(),
        expected_back=expected_back,
        retire=retire,
    )
    asset.status = Asset.Status.RETIRED if retire else Asset.Status.IN_REPAIR
    asset.save(update_fields=["status"])
    audit_record(actor=actor, action="lending.maintenance.open", obj=ticket)
    _reassign_affected(asset, ticket)
    return ticket


def _reassign_affected(asset: Asset, ticket: MaintenanceTicket) -> None:
    affected = (
        Allocation.objects.select_related(
            "reservation__equipment", "reservation__requested_by", "reservation__tenant"
        )
        .filter(asset=asset, active=True, checked_out_at__isnull=True)
        .filter(blocked_until__gte=clock.today())
    )
    if ticket.expected_back:
        affected = affected.filter(blocked_from__lte=ticket.expected_back)
    for alloc in affected:
        r = alloc.reservation
        alloc.active = False
        alloc.save(update_fields=["active"])
        one = Reservation(
            pk=r.pk,
            equipment=r.equipment,
            bank_id=r.bank_id,
            start_date=r.start_date,
            end_date=r.end_date,
            fulfilment=r.fulfilment,
            quantity=1,
        )
        try:
            with transaction.atomic():
                booking.allocate(one, exclude_asset_ids={asset.pk})
            notify(
                r,
                "changed",
                _("A unit went to repair; another unit was assigned."),
            )
        except booking.NoUnitsFree:
            # Stored on the reservation, so written in the teacher's language.
            with translation.override(user_language(r.requested_by)):
                r.reason = str(
                    _(
                        "A unit went to repair and no replacement is free. The bank will contact you."
                    )
                )
            r.save(update_fields=["reason", "updated_at"])
            notify(r, "affected")
            notify_bank_staff(
                r.bank_id,
                "lending.affected",
                Message(_("Reservation #%(id)s is short of a unit"), id=r.pk),
            )


@transaction.atomic
def maintenance_close(
    *, actor: User, ticket_id: int, resolution: str
) -> MaintenanceTicket:
    ticket = (
        MaintenanceTicket.objects.select_for_update()
        .filter(pk=ticket_id, status=MaintenanceTicket.Status.OPEN)
        .first()
    )
    if ticket is None:
        raise NotFound()
    asset = _asset_for_staff(actor, asset_id=ticket.asset_id)
    ticket.status = MaintenanceTicket.Status.CLOSED
    ticket.closed_at = clock.now()
    ticket.resolution = (resolution or "").strip()
    ticket.save(update_fields=["status", "closed_at", "resolution"])
    if not ticket.retire:
        asset.status = Asset.Status.AVAILABLE
        asset.save(update_fields=["status"])
        waitlist_offer_next(equipment_id=asset.equipment_id, bank_id=asset.home_bank_id)
    audit_record(actor=actor, action="lending.maintenance.close", obj=ticket)
    return ticket


@transaction.atomic
def transfer_send(
    *, actor: User, asset_id: int, to_org_id: int, rehome: bool = False
) -> Transfer:
    asset = _asset_for_staff(actor, asset_id=asset_id)
    to_org = Organisation.objects.filter(
        pk=to_org_id, kind__in=BANK_KINDS, tenant_id=asset.tenant_id
    ).first()
    if to_org is None or to_org.pk == asset.location_id:
        raise InvalidInput(
            field_errors={"to_org": [_("Choose another bank or lending point.")]}
        )
    if asset.status not in (Asset.Status.AVAILABLE, Asset.Status.IN_REPAIR):
        raise DomainError(
            _("Only units on the shelf can be sent."), code="asset_unavailable"
        )
    t = Transfer.objects.create(
        asset=asset,
        from_org_id=asset.location_id,
        to_org=to_org,
        rehome=rehome,
        sent_by=actor,
        previous_status=asset.status,
    )
    asset.status = Asset.Status.IN_TRANSIT
    asset.save(update_fields=["status"])
    audit_record(actor=actor, action="lending.transfer.send", obj=t)
    return t


@transaction.atomic
def transfer_receive(*, actor: User, transfer_id: int) -> Transfer:
    t = (
        Transfer.objects.select_for_update()
        .filter(pk=transfer_id, status=Transfer.Status.IN_TRANSIT)
        .first()
    )
    if t is None:
        raise NotFound()
    require_bank_staff(actor, t.to_org_id)
    asset = Asset.objects.select_for_update().get(pk=t.asset_id)
    asset.location_id = t.to_org_id
    if t.rehome:
        asset.home_bank_id = t.to_org_id
    asset.status = t.previous_status
    asset.save(update_fields=["location", "home_bank", "status"])
    t.status = Transfer.Status.RECEIVED
    t.received_by = actor
    t.received_at = clock.now()
    t.save(update_fields=["status", "received_by", "received_at"])
    audit_record(actor=actor, action="lending.transfer.receive", obj=t)
    return t


@transaction.atomic
def overdue_remind(*, now: date | None = None, escalate_after: int = 3) -> int:
    """Remind teachers of overdue loans; tell the bank after ``escalate_after`` reminders.

    At most one reminder per loan per day: the day is written with the reminder, in
    the same transaction, so running the task again that day sends nothing.
    """
    day = now or clock.today()
    overdue = (
        Reservation.objects.select_for_update(of=("self",))
        .select_related("equipment", "requested_by", "tenant")
        .filter(status=Reservation.Status.CHECKED_OUT, end_date__lt=day)
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=day))
        .order_by("pk")
    )
    n = 0
    for r in overdue:
        r.reminders_sent += 1
        r.last_reminded_on = day
        r.save(update_fields=["reminders_sent", "last_reminded_on", "updated_at"])
        audit(None, "lending.reservation.remind", r, reminders=r.reminders_sent)
        notify(
            r,
            "overdue",
            Message(_("Due back on %(date)s."), date=r.end_date),
        )
        if r.reminders_sent >= escalate_after:
            notify_bank_staff(
                r.bank_id,
                "lending.overdue",
                Message(
                    _("Reservation #%(id)s is %(days)s days overdue"),
                    id=r.pk,
                    days=(day - r.end_date).days,
                ),
            )
        n += 1
    return n
