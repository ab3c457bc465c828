"""& Jump reward programmes: what members, guardians and officers may read."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet, Sum

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import User

from ..models import (
    GuardianLink,
    Recommendation,
    RewardApplication,
    RewardProgramme,
    StudyDay,
    TenantPolicy,
)
from ._rules import mileage_of, officer_tenant_ids
from .members import _live_members


def student_mileage(*, student_id: int, year: int | None = None) -> int:
    year = year or clock.today().year
    row = StudyDay.objects.filter(
        student_id=student_id, day__gte=date(year, 1, 1), day__lte=date(year, 12, 31)
    ).aggregate(n=Sum("nanum_minutes"), p=Sum("provider_minutes"))
    return mileage_of((row["n"] or 0) + (row["p"] or 0))


def _jump_town_ids() -> list[int]:
    return [
        p.tenant_id
        for p in TenantPolicy.objects.only("tenant_id", "services")
        if p.offers("jump")
    ]


def reward_programmes_for_officer(actor: User) -> QuerySet[RewardProgramme]:
    qs = RewardProgramme.objects.select_related("tenant")
    ids = officer_tenant_ids(actor)
    return qs if ids is None else qs.filter(tenant_id__in=ids)


def reward_programme_officer_get(*, actor: User, programme_id: int) -> RewardProgramme:
    programme = reward_programmes_for_officer(actor).filter(pk=programme_id).first()
    if programme is None:
        raise NotFound()
    return programme


def reward_applications_for_officer(
    programme: RewardProgramme,
) -> list[RewardApplication]:
    """Applications, best mileage first, each with whether a mentor recommended."""
    apps = list(programme.applications.select_related("student"))
    recommended = set(
        Recommendation.objects.filter(
            tenant_id=programme.tenant_id, year=programme.closes_on.year
        ).values_list("student_id", flat=True)
    )
    for a in apps:
        a.recommended = a.student_id in recommended  # type: ignore[attr-defined]
    return apps


def member_town_ids(user: User) -> list[int]:
    """Towns where ``user`` is a live member and which offer & Jump."""
    if not user.is_authenticated:
        return []
    return [
        tid
        for tid in _jump_town_ids()
        if _live_members(tid).filter(student=user).exists()
    ]


def reward_programmes_open_to(user: User) -> QuerySet[RewardProgramme]:
    today = clock.today()
    return RewardProgramme.objects.filter(
        tenant_id__in=member_town_ids(user), opens_on__lte=today, closes_on__gte=today
    ).select_related("tenant")


def reward_programmes_to_apply(user: User) -> QuerySet[RewardProgramme]:
    """The open programmes of ``user``'s towns they have not applied to yet."""
    return reward_programmes_open_to(user).exclude(applications__student=user)


def reward_programme_member_get(*, actor: User, programme_id: int) -> RewardProgramme:
    programme = (
        RewardProgramme.objects.select_related("tenant")
        .filter(pk=programme_id, tenant_id__in=member_town_ids(actor))
        .first()
    )
    if programme is None:
        raise NotFound()
    return programme


def my_reward_applications(user: User) -> QuerySet[RewardApplication]:
    return RewardApplication.objects.filter(student=user).select_related(
        "programme__tenant"
    )


def travel_consents_pending(guardian: User) -> QuerySet[RewardApplication]:
    """Selected places of the guardian's children that wait for travel consent."""
    children = GuardianLink.objects.filter(guardian=guardian).values("child_id")
    return RewardApplication.objects.filter(
        Q(student_id__in=children),
        state=RewardApplication.State.SELECTED,
        programme__involves_travel=True,
        travel_consent_at__isnull=True,
    ).select_related("programme", "student")
