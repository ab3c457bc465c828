"""The student's home, "what's next": the next mentoring session and the next
recommended lesson come from the apps above learning, which register a *home source*
here (the composition root ``nanum/home.py`` does it); learning never imports them.

A source may write (the learner model logs each recommendation it shows), hence a
service. The slow-changing summary of the home and what the sources give are kept
ready in the student's ``HomeSummary`` row, one row shared by every web process: a
visit reads it (one query) instead of some twenty-five. Every write that changes what
the home shows calls :func:`home_touch`, which raises the row's version; a stored part
is used only under the version, day, membership state and language it was made for,
so the student's own writes show at the next visit in every process.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F
from django.utils.translation import get_language

from nanum.core import clock
from nanum.core.models import User

from ..models import HomeSummary
from ..selectors.students import (
    home_applications,
    home_cache_seconds,
    home_camps,
    home_stored,
    home_summary,
    home_unread,
)

logger = logging.getLogger(__name__)
#: Part of every stamp: raise it when what is stored changes shape (a deploy then
#: makes every home again instead of reading the old shape).
_FORMAT = "1"


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
#: Seconds a source's answer is kept per student (instead of the summary's minute): a
#: recommendation changes only when the student answers (the version changes then).
_KEEP: dict[str, int] = {}


def home_source_register(
    *, name: str, source: HomeSource, keep_seconds: int = 0
) -> None:
    """Add (or replace) the source of one "what's next" card: ``"session"`` (the next
    mentoring session) or ``"lesson"`` (the next recommended lesson). With
    ``keep_seconds``, its answer is kept that long per student and language, until the
    student's next write (:func:`home_touch`); without, it is kept with the summary."""
    _SOURCES[name] = source
    _KEEP[name] = keep_seconds


def next_steps(*, student: User, kept: bool | None = None) -> dict[str, NextStep]:
    """Each registered source's next step for ``student`` (only the sources kept on
    their own, or only the others, with ``kept``); a source that fails is logged and
    left out, so one app's fault never takes the home page down."""
    steps: dict[str, NextStep] = {}
    for name, source in _SOURCES.items():
        if kept is not None and bool(_KEEP.get(name, 0)) != kept:
            continue
        try:
            step = source(student)
        except Exception:  # a panel of another app, never the whole page
            logger.exception("home source %s failed", name)
            continue
        if step is not None:
            steps[name] = step
    return steps


def home_touch(
    *, student_ids: Iterable[int], steps: bool = True, create: bool = True
) -> None:
    """What the home of these students shows has changed: their stored summaries are
    not used again, nor (with ``steps``) the stored next steps (the recommendation).
    Call it in the transaction of the write. ``create`` also makes the row of a
    student who has none yet (so that a visit computing the home at the same moment
    cannot store what it read before the write); bulk writes of other people pass
    False and rely on ``NANUM_HOME_CACHE_SECONDS`` for that rare overlap."""
    ids = sorted({int(i) for i in student_ids})
    if not ids:
        return
    bump: dict[str, Any] = {"version": F("version") + 1}
    if steps:
        bump["steps_version"] = F("steps_version") + 1
    for i in range(0, len(ids), 900):
        chunk = ids[i : i + 900]
        n = HomeSummary.objects.filter(student_id__in=chunk).update(**bump)
        if create and n < len(chunk):
            HomeSummary.objects.bulk_create(
                [HomeSummary(student_id=s, version=1, steps_version=1) for s in chunk],
                ignore_conflicts=True,
            )


def _load(
    blob: bytes | memoryview,
    stamp: str,
    at: datetime | None,
    want: str,
    since: datetime,
) -> dict[str, Any] | None:
    if stamp != want or at is None or at < since or not blob:
        return None
    try:
        data: dict[str, Any] = pickle.loads(bytes(blob))  # noqa: S301 (our own row)
    except Exception:  # a row of an older code version: made again
        logger.warning("home summary unreadable, made again", exc_info=True)
        return None
    return data


def _store(student: User, row: HomeSummary | None, changes: dict[str, Any]) -> None:
    """Keep what was computed, unless a write raised the versions meanwhile."""
    if row is None:
        HomeSummary.objects.bulk_create(
            [HomeSummary(student=student, **changes)], ignore_conflicts=True
        )
    else:
        HomeSummary.objects.filter(
            student_id=student.pk,
            version=row.version,
            steps_version=row.steps_version,
        ).update(**changes)


def student_home_show(*, student: User) -> dict[str, Any]:
    """Everything on the student's home: the applications, the membership and the
    unread messages read fresh; the summary (study time, streak, mileage, seat, sites,
    goal, plan, lessons in progress) and the other apps' next steps from the stored
    row when it is current, else computed and stored."""
    today = clock.today()
    apps, member = home_applications(student=student)
    fresh = {
        "today": today,
        "applications": apps,
        "member": member,
        "camps": home_camps(student=student, member=member, today=today),
    }
    seconds = home_cache_seconds()
    if seconds <= 0:
        everything = home_summary(student, member, today)
        everything["steps"] = next_steps(student=student)
        return {
            **fresh,
            **everything,
            "unread": home_unread(student=student),
            "summary_key": "",
            "summary_seconds": 0,
        }
    row = home_stored(student=student)
    version = row.version if row else 0
    lang = get_language() or "ko"
    state = f"{member.pk}.{member.updated_at.timestamp()}" if member else "none"
    stamp = f"{_FORMAT}:{today.isoformat()}:{state}:{lang}:{version}"
    steps_stamp = f"{_FORMAT}:{lang}:{row.steps_version if row else 0}"
    keep = min([k for k in _KEEP.values() if k] or [0])
    now = clock.now()
    summary: dict[str, Any] | None = None
    kept: dict[str, Any] | None = None
    summary_at = steps_at = now
    if row is not None:
        summary = _load(
            row.summary,
            row.summary_stamp,
            row.summary_at,
            stamp,
            now - timedelta(seconds=seconds),
        )
        summary_at = row.summary_at if summary is not None and row.summary_at else now
        if keep:
            kept = _load(
                row.steps,
                row.steps_stamp,
                row.steps_at,
                steps_stamp,
                now - timedelta(seconds=keep),
            )
            steps_at = row.steps_at if kept is not None and row.steps_at else now
    changes: dict[str, Any] = {}
    if summary is None:
        summary = home_summary(student, member, today)
        summary["steps"] = next_steps(student=student, kept=False)
        changes.update(
            summary=pickle.dumps(summary), summary_stamp=stamp, summary_at=now
        )
    if not keep:
        kept = {}  # no source kept on its own: nothing to store
    elif kept is None:
        kept = next_steps(student=student, kept=True)
        changes.update(steps=pickle.dumps(kept), steps_stamp=steps_stamp, steps_at=now)
    if changes:
        _store(student, row, changes)
    return {
        **fresh,
        **summary,
        "steps": {**summary["steps"], **kept},
        "unread": home_unread(student=student),
        # What the stored parts were made for: the page caches its rendered parts
        # under the same key.
        "summary_key": (
            f"learning:home:{student.pk}:{stamp}:{summary_at.timestamp()}"
            f":{steps_at.timestamp()}"
        ),
        "summary_seconds": seconds,
    }
