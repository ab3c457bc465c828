"""Shared helpers of the mentoring services: permissions, time, notifications."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import InvalidInput, PermissionDenied
from nanum.core.models import Role, User
from nanum.core.services import Text, notification_send

from ..models import Level, Mode, Subject
from ..selectors import is_staff_for

DAY_NAMES = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def require_staff(actor: User, tenant_id: int) -> None:
    if not is_staff_for(actor, tenant_id):
        raise PermissionDenied()


def hour_label(hour_of_week: int) -> str:
    return f"{DAY_NAMES[hour_of_week // 24]} {hour_of_week % 24:02d}:00"


def next_occurrence(hour_of_week: int, on_or_after: date) -> datetime:
    weekday, hour = divmod(hour_of_week, 24)
    day = on_or_after + timedelta(days=(weekday - on_or_after.weekday()) % 7)
    return datetime.combine(day, time(hour), tzinfo=tz())


def clean_choices(
    values: object, allowed: list[str], field: str, *, required: bool = True
) -> list[str]:
    if not isinstance(values, list | tuple):
        raise InvalidInput(field_errors={field: [_("Choose from the list.")]})
    out = []
    for v in values:
        if v not in allowed:
            raise InvalidInput(field_errors={field: [_("Choose from the list.")]})
        if v not in out:
            out.append(v)
    if required and not out:
        raise InvalidInput(field_errors={field: [_("Choose at least one.")]})
    return out


def clean_hours(values: Any, field: str = "availability") -> list[int]:
    """Hours of the week from untrusted input (any value; refused unless it is an
    iterable of whole numbers 0-167)."""
    try:
        hours = sorted({int(v) for v in values})
    except (TypeError, ValueError) as exc:
        raise InvalidInput(
            field_errors={field: [_("Choose hours of the week.")]}
        ) from exc
    if not hours or hours[0] < 0 or hours[-1] > 167:
        raise InvalidInput(
            field_errors={field: [_("Choose at least one hour of the week.")]}
        )
    return hours


def clean_subjects(values: object) -> list[str]:
    return clean_choices(values, list(Subject.values), "subjects")


def clean_levels(values: object) -> list[str]:
    return clean_choices(values, list(Level.values), "levels")


def clean_mode(value: object) -> str:
    if value not in Mode.values:
        raise InvalidInput(
            field_errors={"mode": [_("Choose online, in person or either.")]}
        )
    return str(value)


def staff_of(tenant_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.TENANT_OFFICER,
            role_assignments__tenant_id=tenant_id,
            role_assignments__is_active=True,
        ).distinct()
    )


def notify_staff(
    tenant_id: int, *, kind: str, subject: Text, body: Text = "", url: str = ""
) -> int:
    users = staff_of(tenant_id)
    for user in users:
        notification_send(user=user, kind=kind, subject=subject, body=body, url=url)
    return len(users)
