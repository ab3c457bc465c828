"""What students and guardians read: their applications, children, courses, home."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import Notification, User

from ..models import (
    Application,
    Course,
    GuardianLink,
    Lesson,
    LessonProgress,
    PlanEntry,
    Seat,
    Status,
    StudyDay,
    WeeklyGoal,
)
from ._rules import mileage_of
from .towns import offered_providers


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


def student_home(
    *,
    student: User,
    version: str | None = None,
    variant: str = "",
    extra: Callable[[], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Everything on the student's home page in a fixed, small number of queries.

    With ``version`` (a value the web layer changes whenever the student changes their
    own data), the slow-changing summary is cached for a minute per student; the key
    also holds the membership's state, so an officer's decision or a seat change shows
    at once. ``extra`` adds to the summary what it returns (computed with it, cached
    with it, per ``variant``: the page's language). Applications and the count of
    unread notifications are always read fresh.
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
        key = (
            f"learning:home:{student.pk}:{today.isoformat()}:{state}:{version}"
            f":{variant}"
        )
        summary = cache.get(key)
    if summary is None:
        summary = _home_summary(student, member, today)
        if extra is not None:
            summary.update(extra())
        if key:
            cache.set(key, summary, _home_cache_seconds())
    return {
        "today": today,
        "applications": apps,
        "member": member,
        **summary,
        "unread": _unread(student),
        # What the cached summary depends on ("" when the cache is off): the page may
        # cache its rendered parts under the same key.
        "summary_key": key,
        "summary_seconds": _home_cache_seconds() if key else 0,
    }


def _unread(student: User) -> list[dict[str, Any]]:
    """The student's unread notifications, newest first (at most five)."""
    return [
        dict(row)
        for row in Notification.objects.filter(user=student, read_at__isnull=True)
        .order_by("-created_at")
        .values("subject", "url", "created_at")[:5]
    ]
