"""The student's home, "what's next": the next mentoring session and the next
recommended lesson come from the apps above learning, which register a *home source*
here (the composition root ``nanum/home.py`` does it); learning never imports them.

A source may write (the learner model logs each recommendation it shows), hence a
service. What the sources give is cached with the slow-changing summary of the home
(per student, per language, dropped when the student changes their own data).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from nanum.core.models import User

from .. import selectors

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NextStep:
    """One thing to do next, as the home shows it: a title, a line of why or when,
    and where one tap leads (a POST when following it is logged)."""

    title: str
    detail: str = ""
    url: str = ""
    post: bool = False
    when: datetime | None = None


HomeSource = Callable[[User], NextStep | None]
_SOURCES: dict[str, HomeSource] = {}
#: Seconds a source's answer is kept per student (beyond the summary's minute): a
#: recommendation changes only when the student answers (the version changes then).
_KEEP: dict[str, int] = {}


def home_source_register(
    *, name: str, source: HomeSource, keep_seconds: int = 0
) -> None:
    """Add (or replace) the source of one "what's next" card: ``"session"`` (the next
    mentoring session) or ``"lesson"`` (the next recommended lesson). With
    ``keep_seconds``, its answer is cached that long per student, language and home
    version (the student's own writes change the version)."""
    _SOURCES[name] = source
    _KEEP[name] = keep_seconds


def _step(
    name: str, source: HomeSource, student: User, version: str | None
) -> NextStep | None:
    keep = _KEEP.get(name, 0)
    cache_on = int(getattr(settings, "NANUM_HOME_CACHE_SECONDS", 60)) > 0
    if not keep or version is None or not cache_on:
        return source(student)
    key = f"learning:home-step:{name}:{student.pk}:{version}:{get_language()}"
    hit = cache.get(key)
    if hit is not None:
        return hit or None  # False: "nothing next" was cached
    step = source(student)
    cache.set(key, step or False, keep)
    return step


def next_steps(*, student: User, version: str | None = None) -> dict[str, NextStep]:
    """Each registered source's next step for ``student``; a source that fails is
    logged and left out, so one app's fault never takes the home page down."""
    steps: dict[str, NextStep] = {}
    for name, source in _SOURCES.items():
        try:
            step = _step(name, source, student, version)
        except Exception:  # a panel of another app, never the whole page
            logger.exception("home source %s failed", name)
            continue
        if step is not None:
            steps[name] = step
    return steps


def student_home_show(*, student: User, version: str | None) -> dict[str, Any]:
    """Everything on the student's home: the summary (cached, see
    ``selectors.student_home``) with the next steps of the other apps."""
    return selectors.student_home(
        student=student,
        version=version,
        variant=get_language() or "ko",
        extra=lambda: {"steps": next_steps(student=student, version=version)},
    )
