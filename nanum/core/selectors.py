"""Reads in core that have rules: calendar, roles, notifications, API tokens."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from .errors import NotFound
from .models import ApiToken, CalendarDay, Notification, RoleAssignment, User


def closed_days(
    *, start: date, end: date, organisation_id: int | None = None
) -> set[date]:
    """Dates in [start, end] that are holidays, vacations or closures."""
    qs = CalendarDay.objects.filter(date__gte=start, date__lte=end)
    if organisation_id is None:
        qs = qs.filter(organisation__isnull=True)
    else:
        qs = qs.filter(
            Q(organisation__isnull=True) | Q(organisation_id=organisation_id)
        )
    return set(qs.values_list("date", flat=True))


def is_school_day(day: date, *, organisation_id: int | None = None) -> bool:
    if day.weekday() >= 5:
        return False
    return day not in closed_days(start=day, end=day, organisation_id=organisation_id)


def notification_list(
    *, actor: User, unread_only: bool = False
) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=actor)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).count()


def role_assignment_list(*, actor: User) -> QuerySet[RoleAssignment]:
    """The actor's own active roles, with their organisation and town."""
    return actor.role_assignments.filter(is_active=True).select_related(
        "organisation", "tenant"
    )


def token_list(*, actor: User) -> QuerySet[ApiToken]:
    """The actor's own tokens that are not revoked, newest first."""
    return actor.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")


def user_get(*, username: str) -> User:
    """The user with this username, or ``NotFound``."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound()
    return user
