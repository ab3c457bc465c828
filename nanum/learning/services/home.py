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


def home_source_register(*, name: str, source: HomeSource) -> None:
    """Add (or replace) the source of one "what's next" card: ``"session"`` (the next
    mentoring session) or ``"lesson"`` (the next recommended lesson)."""
    _SOURCES[name] = source


def next_steps(*, student: User) -> dict[str, NextStep]:
    """Each registered source's next step for ``student``; a source that fails is
    logged and left out, so one app's fault never takes the home page down."""
    steps: dict[str, NextStep] = {}
    for name, source in _SOURCES.items():
        try:
            step = source(student)
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
        extra=lambda: {"steps": next_steps(student=student)},
    )
