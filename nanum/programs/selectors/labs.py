"""Reads of open-lab visits: free slots, my bookings, the labs a member of staff runs."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import Organisation, User

from ..models import LabBooking, LabSlot
from ._rules import managed_org_ids


def lab_slots_open(*, actor: User, now: datetime | None = None) -> QuerySet[LabSlot]:
    """Future slots in the teacher's town with no active booking."""
    now = now or clock.now()
    qs = (
        LabSlot.objects.filter(cancelled=False, starts_at__gt=now)
        .exclude(bookings__status=LabBooking.Status.BOOKED)
        .select_related("lab", "lab__district")
    )
    if actor.is_authenticated and actor.home_tenant_id:
        qs = qs.filter(lab__tenant_id=actor.home_tenant_id)
    return qs.order_by("starts_at", "pk")


def lab_slot_open_get(*, actor: User, pk: int) -> LabSlot:
    """One free future slot in the actor's town; ``NotFound`` otherwise."""
    slot = lab_slots_open(actor=actor).filter(pk=pk).first()
    if slot is None:
        raise NotFound()
    return slot


def my_lab_bookings(*, actor: User) -> QuerySet[LabBooking]:
    return (
        LabBooking.objects.filter(teacher=actor)
        .select_related("slot__lab")
        .order_by("-slot__starts_at")
    )


def labs_managed(actor: User) -> QuerySet[Organisation]:
    """The open labs ``actor`` runs (every open lab for a platform admin)."""
    qs = Organisation.objects.filter(
        point_type=Organisation.PointType.OPEN_LAB, is_active=True
    )
    ids = managed_org_ids(actor)
    return qs if ids is None else qs.filter(pk__in=ids)


def lab_managed_get(*, actor: User, pk: int) -> Organisation:
    lab = labs_managed(actor).filter(pk=pk).first()
    if lab is None:
        raise NotFound()
    return lab


def organiser_lab_slots(*, actor: User) -> QuerySet[LabSlot]:
    ids = managed_org_ids(actor)
    qs = LabSlot.objects.select_related("lab").prefetch_related("bookings__school")
    if ids is not None:
        qs = qs.filter(lab_id__in=ids)
    return qs.order_by("-starts_at")
