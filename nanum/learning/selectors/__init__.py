"""Reads of Seoul Learn that have rules (town, role). Other apps use these too.

For the mentoring app: ``member_users``, ``is_active_member`` and
``TenantPolicy.offers_mentoring``. For the learner model: ``interactions_for`` and the
``skills`` of ``Lesson``/``Item`` (achievement-standard codes such as [9수01-01]).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import NotFound, PermissionDenied
from nanum.core.models import Notification, Organisation, Role, Tenant, User
from nanum.core.tenancy import organisation_ids_for

from ..models import (
    SERVICE_CHOICES,
    Application,
    Category,
    ChangeWindow,
    Course,
    Document,
    GuardianLink,
    Interaction,
    Lesson,
    LessonProgress,
    PlanEntry,
    ProviderCourse,
    RewardCandidate,
    SchoolLevel,
    Seat,
    SeatAllocation,
    Status,
    StudyDay,
    TenantNotice,
    TenantPolicy,
    WeeklyGoal,
)
from ._rules import MINUTES_PER_MILEAGE, is_officer, mileage_of, officer_tenant_ids

__all__ = [
    "MINUTES_PER_MILEAGE",
    "application_get",
    "application_list",
    "child_get",
    "child_links",
    "course_list",
    "document_get",
    "interactions_for",
    "is_active_member",
    "is_officer",
    "lesson_get",
    "member_users",
    "mileage_of",
    "my_application_get",
    "my_applications",
    "offered_providers",
    "officer_applications",
    "officer_tenant_ids",
    "officer_towns",
    "open_policies",
    "provider_get",
    "provider_seats",
    "reward_candidate_list",
    "seat_stats",
    "streak",
    "student_home",
    "tenant_offers_mentoring",
    "tenant_policy_get",
    "town_page",
    "town_policy_get",
    "usage_stats",
]

# --- For other apps ------------------------------------------------------------


def _live_members(tenant: Tenant | int) -> QuerySet[Application]:
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    return Application.objects.filter(
        tenant_id=tenant_id, status=Status.APPROVED
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=clock.today()))


def member_users(*, tenant: Tenant | int) -> QuerySet[User]:
    """Students with an approved, live membership in ``tenant``."""
    return User.objects.filter(
        pk__in=_live_members(tenant).values("student_id"), is_active=True
    )


def is_active_member(*, user: User | None, tenant: Tenant | int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return _live_members(tenant).filter(student=user).exists()


def tenant_offers_mentoring(*, tenant: Tenant | int) -> bool:
    """Whether ``tenant``'s Seoul Learn rules include university-student mentoring."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    return TenantPolicy.objects.filter(
        tenant_id=tenant_id, offers_mentoring=True
    ).exists()


def interactions_for(*, student: User | int) -> QuerySet[Interaction]:
    """A student's answers, oldest first (uses the (student, answered_at) index)."""
    sid = student if isinstance(student, int) else student.pk
    return Interaction.objects.filter(student_id=sid).order_by("answered_at", "id")


# --- Towns ---------------------------------------------------------------------


def tenant_policy_get(*, tenant: Tenant | int) -> TenantPolicy:
    """The Seoul Learn rules of ``tenant``; NotFound when the town does not run it."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    policy = (
        TenantPolicy.objects.select_related("tenant")
        .filter(tenant_id=tenant_id)
        .first()
    )
    if policy is None:
        raise NotFound(_("This town does not run the programme."))
    return policy


def town_policy_get(*, slug: str) -> TenantPolicy:
    """A town's rules by its slug, as the public sees them (ended towns are gone)."""
    policy = (
        TenantPolicy.objects.select_related("tenant")
        .filter(tenant__slug=slug)
        .exclude(tenant__status=Tenant.Status.ENDED)
        .first()
    )
    if policy is None:
        raise NotFound()
    return policy


def open_policies() -> QuerySet[TenantPolicy]:
    return (
        TenantPolicy.objects.select_related("tenant")
        .filter(tenant__status=Tenant.Status.ACTIVE, is_open=True)
        .order_by("-tenant__is_home", "tenant__name_ko")
    )


def offered_providers(
    *, tenant_id: int, year: int | None = None
) -> list[SeatAllocation]:
    year = year or clock.today().year
    return list(
        SeatAllocation.objects.filter(tenant_id=tenant_id, year=year)
        .select_related("provider")
        .order_by("provider__name_ko")
    )


def town_page(policy: TenantPolicy) -> dict[str, Any]:
    allocs = offered_providers(tenant_id=policy.tenant_id)
    courses: defaultdict[int, list[ProviderCourse]] = defaultdict(list)
    for c in ProviderCourse.objects.filter(
        provider_id__in=[a.provider_id for a in allocs]
    ):
        courses[c.provider_id].append(c)
    levels = dict(SchoolLevel.choices)
    cats = dict(Category.choices)
    services = dict(SERVICE_CHOICES)
    return {
        "policy": policy,
        "level_labels": [levels[v] for v in policy.school_levels or [] if v in levels],
        "category_labels": [cats[v] for v in policy.categories or [] if v in cats],
        "service_labels": [services[v] for v in policy.services or [] if v in services],
        "min_hours": round(policy.min_monthly_minutes / 60, 1),
        "notices": list(TenantNotice.objects.filter(tenant_id=policy.tenant_id)[:5]),
        "providers": [(a, courses.get(a.provider_id, [])[:6]) for a in allocs],
        "members": _live_members(policy.tenant_id).count(),
        "windows": list(
            ChangeWindow.objects.filter(
                tenant_id=policy.tenant_id, ends_on__gte=clock.today()
            )[:3]
        ),
    }


# --- Officers ------------------------------------------------------------------


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


# --- Providers -----------------------------------------------------------------


def provider_get(*, actor: User, provider_id: int | None = None) -> Organisation:
    """The provider organisation ``actor`` works for (or ``provider_id`` among them)."""
    ids = organisation_ids_for(actor, Role.PROVIDER)
    qs = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    if provider_id is not None:
        qs = qs.filter(pk=provider_id)
    org = qs.order_by("pk").first()
    if org is None:
        raise PermissionDenied()
    return org


def provider_seats(*, provider: Organisation) -> QuerySet[Seat]:
    return (
        Seat.objects.filter(provider=provider, state=Seat.State.ACTIVE)
        .select_related("tenant", "application")
        .order_by("tenant__slug", "assigned_at")
    )


# --- Students ------------------------------------------------------------------


def my_applications(*, actor: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(Q(student=actor) | Q(applicant=actor))
        .select_related("tenant", "student")
        .order_by("-submitted_at")
    )


def my_application_get(*, actor: User, application_id: int) -> Application:
    """One of the actor's own applications (as student or applicant), with documents."""
    app = (
        my_applications(actor=actor)
        .prefetch_related("documents")
        .filter(pk=application_id)
        .first()
    )
    if app is None:
        raise NotFound()
    return app


def child_links(*, actor: User) -> QuerySet[GuardianLink]:
    """The guardian's links to their children, oldest first, with the child."""
    return (
        GuardianLink.objects.filter(guardian=actor)
        .select_related("child")
        .order_by("pk")
    )


def child_get(*, actor: User, child_id: int) -> User:
    """One of the guardian's children; someone else's child is simply not found."""
    link = child_links(actor=actor).filter(child_id=child_id).first()
    if link is None:
        raise NotFound()
    return link.child


def course_list() -> QuerySet[Course]:
    """Published courses with their lessons."""
    return Course.objects.filter(is_published=True).prefetch_related("lessons")


def lesson_get(*, lesson_id: int) -> Lesson:
    """A lesson of a published course, with its course and items."""
    lesson = (
        Lesson.objects.select_related("course")
        .prefetch_related("items")
        .filter(pk=lesson_id, course__is_published=True)
        .first()
    )
    if lesson is None:
        raise NotFound()
    return lesson


def streak(days_studied: set[date], today: date) -> int:
    n = 0
    d = today if today in days_studied else today - timedelta(days=1)
    while d in days_studied:
        n += 1
        d -= timedelta(days=1)
    return n


def _home_cache_seconds() -> int:
    # 0 turns the summary cache off. With several web processes, point CACHES at a
    # shared cache (see README); the default cache lives in each process.
    return int(getattr(settings, "NANUM_HOME_CACHE_SECONDS", 60))


def _home_summary(
    student: User, member: Application | None, today: date
) -> dict[str, Any]:
    """The slow-changing part of the home page: study summary, seat, goal, plan."""
    year_start = today - timedelta(days=365)
    days = list(
        StudyDay.objects.filter(student=student, day__gte=year_start).values_list(
            "day", "nanum_minutes", "provider_minutes"
        )
    )
    minutes_by_day = {d: a + b for d, a, b in days}
    week_start = today - timedelta(days=today.weekday())
    totals: list[tuple[date, int]] = []
    for i in range(7, -1, -1):
        start = week_start - timedelta(weeks=i)
        total = sum(minutes_by_day.get(start + timedelta(days=k), 0) for k in range(7))
        totals.append((start, total))
    peak = max([m for _s, m in totals] + [1])
    weeks = [
        {"start": start, "minutes": m, "pct": round(100 * m / peak)}
        for start, m in totals
    ]
    this_year = sum(m for d, m in minutes_by_day.items() if d.year == today.year)
    seat = (
        Seat.objects.filter(student=student, state=Seat.State.ACTIVE)
        .select_related("provider", "tenant")
        .first()
        if member
        else None
    )
    goal = WeeklyGoal.objects.filter(student=student).first()
    this_week = totals[-1][1]
    return {
        "seat": seat,
        "providers": offered_providers(tenant_id=member.tenant_id) if member else [],
        "weeks": weeks,
        "this_week": this_week,
        "streak": streak({d for d, m in minutes_by_day.items() if m > 0}, today),
        "mileage": mileage_of(this_year),
        "year_minutes": this_year,
        "in_progress": list(
            LessonProgress.objects.filter(student=student, completed_at__isnull=True)
            .order_by("-updated_at")
            .values(
                "lesson_id",
                "answered",
                "correct",
                "lesson__title",
                "lesson__course__title",
            )[:5]
        ),
        "goal": goal,
        "goal_pct": min(100, round(100 * this_week / goal.target_minutes))
        if goal
        else 0,
        "plan": list(PlanEntry.objects.filter(student=student)),
    }


def student_home(*, student: User, version: str | None = None) -> dict[str, Any]:
    """Everything on the student's home page in a fixed, small number of queries.

    With ``version`` (a value the web layer changes whenever the student changes their
    own data), the slow-changing summary is cached for a minute per student; the key
    also holds the membership's state, so an officer's decision or a seat change shows
    at once. Applications and messages are always read fresh.
    """
    today = clock.today()
    apps = list(
        my_applications(actor=student).defer(
            "full_name", "phone", "address", "category", "sensitive"
        )[:5]
    )
    member = next((a for a in apps if a.status == Status.APPROVED), None)
    summary = None
    key = ""
    if version is not None and _home_cache_seconds() > 0:
        state = f"{member.pk}.{member.updated_at.timestamp()}" if member else "none"
        key = f"learning:home:{student.pk}:{today.isoformat()}:{state}:{version}"
        summary = cache.get(key)
    if summary is None:
        summary = _home_summary(student, member, today)
        if key:
            cache.set(key, summary, _home_cache_seconds())
    return {
        "today": today,
        "applications": apps,
        "member": member,
        **summary,
        "inbox": list(
            Notification.objects.filter(user=student)
            .order_by("-created_at")
            .values("subject", "url", "created_at")[:5]
        ),
    }
