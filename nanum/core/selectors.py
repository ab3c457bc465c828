"""Reads in core that have rules: calendar, organisations, notifications."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from .models import CalendarDay, Notification, Organisation, Role, User
from .tenancy import organisation_ids_for, scope_to_actor


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


def school_days_between(
    start: date, end: date, *, organisation_id: int | None = None
) -> list[date]:
    """School days from start to end inclusive (weekdays minus calendar closures)."""
    if end < start:
        return []
    closed = closed_days(start=start, end=end, organisation_id=organisation_id)
    days = []
    d = start
    while d <= end:
        if d.weekday() < 5 and d not in closed:
            days.append(d)
        d += timedelta(days=1)
    return days


def organisation_list(
    *, actor: User | None, kind: str | None = None
) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(is_active=True).select_related(
        "district", "tenant"
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def organisations_of(actor: User, *roles: str) -> QuerySet[Organisation]:
    """Organisations where ``actor`` holds one of ``roles`` (all for administrators)."""
    ids = organisation_ids_for(actor, *roles)
    qs = Organisation.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


def staff_users_list(*, actor: User) -> QuerySet[User]:
    """Users the actor may see in staff lists: same tenants, unless administrator."""
    qs = User.objects.filter(is_active=True)
    return scope_to_actor(qs, actor, Role.TENANT_OFFICER, field="home_tenant")


def notification_list(
    *, actor: User, unread_only: bool = False
) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=actor)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).count()
