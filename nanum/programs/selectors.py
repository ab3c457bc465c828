"""Reads with rules: the public listing, my applications, the organiser's view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Avg, Count, Min, Q, QuerySet
from django.utils import timezone

from nanum.core.errors import NotFound
from nanum.core.models import User

from . import rules
from .models import Application, LabBooking, LabSlot, Programme, Session


@dataclass
class ListingFilters:
    q: str = ""
    kind: str = ""
    audience: str = ""
    grade: int | None = None
    organiser: int | None = None
    open_only: bool = False


def programme_list(*, filters: ListingFilters | None = None,
                   now: datetime | None = None) -> QuerySet[Programme]:  # fmt: skip
    """Published programmes anyone may see, with the first session's start."""
    f = filters or ListingFilters()
    now = now or timezone.now()
    qs = (
        Programme.objects.filter(status=Programme.Status.PUBLISHED)
        .select_related("organiser", "tenant")
        .annotate(first_start=Min("sessions__starts_at"))
    )
    if f.q:
        qs = qs.filter(
            Q(name_ko__icontains=f.q) | Q(name_en__icontains=f.q)
            | Q(description_ko__icontains=f.q) | Q(description_en__icontains=f.q)
        )  # fmt: skip
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.audience:
        qs = qs.filter(audience=f.audience)
    if f.grade:
        qs = qs.filter(Q(grade_min__isnull=True) | Q(grade_min__lte=f.grade)).filter(
            Q(grade_max__isnull=True) | Q(grade_max__gte=f.grade)
        )
    if f.organiser:
        qs = qs.filter(organiser_id=f.organiser)
    if f.open_only:
        qs = qs.filter(apply_opens_at__lte=now, apply_closes_at__gt=now)
    return qs.order_by("apply_closes_at", "pk")


def programme_get(*, pk: int) -> Programme:
    p = programme_list().filter(pk=pk).first()
    if p is None:
        raise NotFound()
    return p


def sessions_of(programme: Programme) -> QuerySet[Session]:
    return programme.sessions.order_by("starts_at", "pk")


def seats_taken(programme: Programme) -> int:
    return programme.applications.filter(status__in=Application.HOLDS_PLACE).count()


def my_applications(*, actor: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(Q(participant=actor) | Q(applied_by=actor))
        .select_related("programme__organiser", "child", "participant", "certificate")
        .prefetch_related("survey")
        .order_by("-created_at")
    )


def my_application_for(*, actor: User, programme: Programme) -> list[Application]:
    return list(my_applications(actor=actor).filter(programme=programme))


# --- Organiser ------------------------------------------------------------------------


def organiser_programmes(*, actor: User) -> QuerySet[Programme]:
    """Programmes of the organisations ``actor`` runs; nothing else, ever."""
    qs = Programme.objects.select_related("organiser")
    ids = rules.managed_org_ids(actor)
    if ids is not None:
        qs = qs.filter(organiser_id__in=ids)
    return qs.annotate(
        n_applications=Count("applications", distinct=True),
        n_held=Count(
            "applications",
            filter=Q(applications__status__in=Application.HOLDS_PLACE),
            distinct=True,
        ),
        n_waiting=Count(
            "applications",
            filter=Q(applications__status=Application.Status.WAITLISTED),
            distinct=True,
        ),
    ).order_by("-apply_closes_at", "pk")


def organiser_programme_get(*, actor: User, pk: int) -> Programme:
    p = organiser_programmes(actor=actor).filter(pk=pk).first()
    if p is None:
        raise NotFound()
    return p


def organiser_applications(*, programme: Programme) -> QuerySet[Application]:
    return programme.applications.select_related(
        "participant", "child", "applied_by", "certificate"
    ).order_by("status", "waitlist_position", "draw_rank", "created_at", "pk")


def attendance_grid(programme: Programme) -> dict[str, Any]:
    sessions = list(sessions_of(programme))
    present = set(
        programme.applications.filter(attendance__present=True).values_list(
            "pk", "attendance__session_id"
        )
    )
    return {"sessions": sessions, "present": present}


def survey_results(programme: Programme) -> dict[str, Any]:
    qs = programme.applications.filter(survey__isnull=False)
    agg = qs.aggregate(
        n=Count("survey"), overall=Avg("survey__overall"), content=Avg("survey__content"),
        instructor=Avg("survey__instructor"),
    )  # fmt: skip
    comments = [
        c for c in qs.order_by("-survey__submitted_at").values_list("survey__comment", flat=True)
        if c
    ][:50]  # fmt: skip
    return {**agg, "comments": comments}


def dashboard_totals(programmes: QuerySet[Programme]) -> dict[str, int]:
    rows = list(programmes)
    return {
        "programmes": len(rows),
        "applications": sum(p.n_applications for p in rows),
        "places": sum(p.capacity for p in rows),
        "held": sum(p.n_held for p in rows),
        "waiting": sum(p.n_waiting for p in rows),
    }


def attendance_rates(
    programmes: list[Programme], now: datetime | None = None
) -> dict[int, int]:
    """Per programme: present records ÷ (confirmed participants × sessions held), in %."""
    now = now or timezone.now()
    ids = [p.pk for p in programmes]
    held = dict(
        Session.objects.filter(programme_id__in=ids, starts_at__lte=now)
        .values_list("programme_id")
        .annotate(n=Count("pk"))
    )
    present = dict(
        Application.objects.filter(programme_id__in=ids, attendance__present=True)
        .values_list("programme_id")
        .annotate(n=Count("attendance"))
    )
    rates = {}
    for p in programmes:
        expected = held.get(p.pk, 0) * p.n_held
        if expected:
            rates[p.pk] = round(100 * present.get(p.pk, 0) / expected)
    return rates


# --- Labs ---------------------------------------------------------------------------------


def lab_slots_open(*, actor: User, now: datetime | None = None) -> QuerySet[LabSlot]:
    """Future slots in the teacher's town with no active booking."""
    now = now or timezone.now()
    qs = (
        LabSlot.objects.filter(cancelled=False, starts_at__gt=now)
        .exclude(bookings__status=LabBooking.Status.BOOKED)
        .select_related("lab", "lab__district")
    )
    if actor.is_authenticated and actor.home_tenant_id:
        qs = qs.filter(lab__tenant_id=actor.home_tenant_id)
    return qs.order_by("starts_at", "pk")


def my_lab_bookings(*, actor: User) -> QuerySet[LabBooking]:
    return (
        LabBooking.objects.filter(teacher=actor)
        .select_related("slot__lab")
        .order_by("-slot__starts_at")
    )


def organiser_lab_slots(*, actor: User) -> QuerySet[LabSlot]:
    ids = rules.managed_org_ids(actor)
    qs = LabSlot.objects.select_related("lab").prefetch_related("bookings__school")
    if ids is not None:
        qs = qs.filter(lab_id__in=ids)
    return qs.order_by("-starts_at")
