"""The platform's one notion of "today" and "now".

Stored times are UTC; "today" is the date in Asia/Seoul (``TIME_ZONE``), which is
what a school day, a loan's first day or a membership's end date mean. Every app
uses these two functions, so tests can freeze time in one place.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def today() -> date:
    """Today's date in Seoul."""
    return timezone.localdate()


def now() -> datetime:
    """The current moment (aware, UTC)."""
    return timezone.now()
