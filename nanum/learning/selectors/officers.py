"""What officers read: their towns' applications, documents, seats and usage."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import Tenant, User

from ..models import (
    Application,
    Document,
    RewardCandidate,
    SchoolLevel,
    Seat,
    SeatAllocation,
    Status,
    StudyDay,
)
from ._rules import officer_tenant_ids


def officer_towns(actor: User) -> QuerySet[Tenant]:
    """Towns running Seoul Learn that ``actor`` may see as an officer."""
    ids = officer_tenant_ids(actor)
    qs = Tenant.objects.filter(learning_policy__isnull=False)
    return qs if ids is None else qs.filter(pk__in=ids)


def officer_applications(*, actor: User) -> QuerySet[Application]:
    """Every application of the towns ``actor`` may see as an officer."""
    qs = Application.objects.select_related("tenant")
    ids = officer_tenant_ids(actor)
    return qs if ids is None else qs.filter(tenant_id__in=ids)


def application_list(
    *,
    actor: User,
    tenant_id: int | None = None,
    status: str = "",
    level: str = "",
    district: str = "",
) -> QuerySet[Application]:
    """Applications the officer may see, newest first, filtered."""
    qs = officer_applications(actor=actor)
    if tenant_id:
        qs = qs.filter(tenant_id=tenant_id)
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(school_level=level)
    if district:
        qs = qs.filter(district=district)
    return (
        qs.order_by("priority_rank", "submitted_at") if status == Status.WAITING else qs
    )


def application_get(*, actor: User, application_id: int) -> Application:
    """One application of the officer's towns; another town's id is not found."""
    app = (
        officer_applications(actor=actor)
        .select_related("student", "verified_by", "school")
        .filter(pk=application_id)
        .first()
    )
    if app is None:
        raise NotFound()
    return app


def document_get(*, actor: User, document_id: int) -> Document:
    """A private document of an application of the officer's towns."""
    qs = Document.objects.select_related("application__tenant", "application__student")
    ids = officer_tenant_ids(actor)
    if ids is not None:
        qs = qs.filter(application__tenant_id__in=ids)
    doc = qs.filter(pk=document_id).first()
    if doc is None:
        raise NotFound()
    return doc


def reward_candidate_list(*, actor: User, year: int) -> list[RewardCandidate]:
    """The & Jump shortlist of the officer's towns for ``year``."""
    return list(
        RewardCandidate.objects.filter(
            tenant__in=officer_towns(actor), year=year
        ).select_related("student", "tenant")
    )


def seat_stats(
    *, actor: User, tenant_id: int | None = None, idle_days: int = 14
) -> list[dict[str, Any]]:
    """Seats bought, used and idle per town and provider this year."""
    year = clock.today().year
    allocs = SeatAllocation.objects.filter(year=year).select_related(
        "tenant", "provider"
    )
    ids = officer_tenant_ids(actor)
    if ids is not None:
        allocs = allocs.filter(tenant_id__in=ids)
    if tenant_id:
        allocs = allocs.filter(tenant_id=tenant_id)
    cutoff = clock.today() - timedelta(days=idle_days)
    idle = dict(
        Seat.objects.filter(allocation__in=allocs, state=Seat.State.ACTIVE)
        .filter(Q(last_used_on__lt=cutoff) | Q(last_used_on__isnull=True))
        .values_list("allocation_id")
        .annotate(n=Count("id"))
        .values_list("allocation_id", "n")
    )
    return [
        {
            "tenant": a.tenant,
            "provider": a.provider,
            "seats": a.seats,
            "used": a.used,
            "free": a.free,
            "idle": idle.get(a.pk, 0),
        }
        for a in allocs
    ]


def usage_stats(
    *, actor: User, tenant_id: int | None = None, since: date | None = None
) -> list[dict[str, Any]]:
    """Study minutes of members by town, school level and district (last 30 days)."""
    since = since or clock.today() - timedelta(days=30)
    members = Application.objects.filter(status=Status.APPROVED)
    ids = officer_tenant_ids(actor)
    if ids is not None:
        members = members.filter(tenant_id__in=ids)
    if tenant_id:
        members = members.filter(tenant_id=tenant_id)
    per_student = dict(
        StudyDay.objects.filter(
            student_id__in=members.values("student_id"), day__gte=since
        )
        .values_list("student_id")
        .annotate(m=Sum("nanum_minutes") + Sum("provider_minutes"))
        .values_list("student_id", "m")
    )
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for tname, level, district, sid in members.values_list(
        "tenant__name_ko", "school_level", "district", "student_id"
    ):
        groups[(tname, level, district or "-")].append(per_student.get(sid) or 0)
    return [
        {
            "town": t,
            "level": dict(SchoolLevel.choices).get(lvl, lvl),
            "district": d,
            "members": len(v),
            "minutes": sum(v),
            "average": round(sum(v) / len(v)) if v else 0,
            "active": sum(1 for m in v if m > 0),
        }
        for (t, lvl, d), v in sorted(groups.items())
    ]
