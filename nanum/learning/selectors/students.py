"""What students and guardians read: their applications, children, courses, home."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import Notification, User
from nanum.core.prepared import PreparedRead

from ..models import (
    Application,
    Course,
    GuardianLink,
    HomeSummary,
    Lesson,
    LessonProgress,
    PlanEntry,
    Seat,
    Status,
    StudyDay,
    WeeklyGoal,
)
from ._rules import mileage_of
from .towns import offered_providers, service_page_url


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


def home_cache_seconds() -> int:
    """How long the home's stored summary is used before it is read again (0: never
    stored). The student's own writes show at once whatever this is (see
    ``services.home``); it bounds how late others' changes show (provider minutes,
    a site becoming full)."""
    return int(getattr(settings, "NANUM_HOME_CACHE_SECONDS", 60))


def home_stored(*, student: User) -> HomeSummary | None:
    """The student's stored home summary row (one query), if there is one."""
    rows = _STORED(student_id=student.pk)
    return rows[0] if rows else None


_STORED: PreparedRead[HomeSummary] = PreparedRead(
    lambda student_id: HomeSummary.objects.filter(student_id=student_id).order_by("pk")[
        :1
    ],
    student_id=int,
)


def home_applications(*, student: User) -> tuple[list[Application], Application | None]:
    """The student's latest applications (always read fresh) and their membership;
    the town's service switches come in the same query (:func:`home_camps`)."""
    apps = _APPLICATIONS(student_id=student.pk)
    return apps, next((a for a in apps if a.status == Status.APPROVED), None)


#: Always read fresh, on every visit of the home: compiled once (nanum.core.prepared).
_APPLICATIONS: PreparedRead[Application] = PreparedRead(
    lambda student_id: (
        Application.objects.filter(
            Q(student_id=student_id) | Q(applicant_id=student_id)
        )
        .select_related("tenant", "tenant__learning_policy")
        .only(  # what the home shows and keys on, and the town's programme name
            "status",
            "updated_at",
            "valid_until",
            "seat_wait_since",
            "submitted_at",
            "student_id",
            "tenant__slug",
            "tenant__programme_name_ko",
            "tenant__programme_name_en",
            "tenant__learning_policy__services",
        )
        .order_by("-submitted_at")[:5]
    ),
    student_id=int,
)


def home_camps(
    *, student: User, member: Application | None, today: date
) -> list[dict[str, str]]:
    """The camps card of the home: the student's town, when it is a live membership
    of the student's own and the town's switches offer camps, and where its camps
    are listed (``/programs/?kind=camp&town=<path>``); else nothing. Read from the
    row :func:`home_applications` loaded (no query), so a town that switches camps on
    or off shows at the student's next visit."""
    if member is None or member.student_id != student.pk:
        return []
    if member.valid_until is not None and member.valid_until < today:
        return []
    try:
        policy = member.tenant.learning_policy
    except ObjectDoesNotExist:  # a town without Seoul Learn rules offers nothing
        return []
    url = (
        service_page_url("camp", town=member.tenant.slug)
        if policy.offers("camp")
        else ""
    )
    return [{"town": member.tenant.programme_name, "url": url}] if url else []


def home_summary(
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


def student_home(*, student: User) -> dict[str, Any]:
    """Everything of learning's own on the student's home, read now in a fixed, small
    number of queries (``services.home.student_home_show`` keeps it ready)."""
    today = clock.today()
    apps, member = home_applications(student=student)
    return {
        "today": today,
        "applications": apps,
        "member": member,
        **home_summary(student, member, today),
        "unread": home_unread(student=student),
    }


def home_unread(*, student: User) -> list[dict[str, Any]]:
    """The student's unread notifications, newest first (at most five)."""
    return _UNREAD(user_id=student.pk)


_UNREAD: PreparedRead[dict[str, Any]] = PreparedRead(
    lambda user_id: (
        Notification.objects.filter(user_id=user_id, read_at__isnull=True)
        .order_by("-created_at")
        .values("subject", "url", "created_at")[:5]
    ),
    user_id=int,
)
