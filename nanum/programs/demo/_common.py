"""Shared by the programmes demo: Seoul wall-clock times and the refusal-tolerant call."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from nanum.core.errors import DomainError

from ..models import Programme

K = Programme.Kind
SEOUL = ZoneInfo("Asia/Seoul")


def _seoul(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Seoul (never an hour set on a UTC datetime)."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), SEOUL)


def _try(fn: Any, **kw: Any) -> Any:
    try:
        return fn(**kw)
    except DomainError:
        return None
