"""The student's home "what's next": the composition root hands learning the reads of
the apps above it (learning may not import them; see ``.importlinter``).

- ``session``: the next scheduled mentoring session (mentoring's public selectors).
- ``lesson``: the learner model's first recommended lesson with its reason, shown
  through its ``recommendations_show`` service (which logs what was shown, so that
  following it from the home is measured like following it anywhere else).

``NanumConfig.ready`` calls :func:`register` once.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from nanum.core.models import User
from nanum.learner_model import services as learner_model_services
from nanum.learning.services.home import NextStep, home_source_register
from nanum.mentoring import selectors as mentoring_selectors


def next_session(student: User) -> NextStep | None:
    matches = list(mentoring_selectors.my_mentor_matches(student))
    if not matches:
        return None
    upcoming = mentoring_selectors.upcoming_sessions(matches, limit=1)
    if not upcoming:
        return None
    session = upcoming[0]
    return NextStep(
        title=_("Mentoring with %(name)s") % {"name": session.match.mentor.user},
        detail=_("%(minutes)s minutes") % {"minutes": session.duration_minutes},
        url=reverse("mentoring:pair", args=[session.match_id]),
        when=session.starts_at,
    )


def next_lesson(student: User) -> NextStep | None:
    shown = learner_model_services.recommendations_show(actor=student)
    if shown.lessons:
        first = shown.lessons[0]
        return NextStep(
            title=first.ranked.lesson.title,
            detail=first.reason,
            url=reverse("learner_model:follow", args=[first.event.pk]),
            post=True,
        )
    if shown.recs.diagnostic:
        return NextStep(
            title=_("A five-minute quiz"),
            detail=_("So that we know where to start."),
            url=reverse("learner_model:recommendations"),
        )
    return None


def register() -> None:
    home_source_register(name="session", source=next_session)
    # A recommendation changes when the student answers (the home version changes).
    home_source_register(name="lesson", source=next_lesson, keep_seconds=900)
