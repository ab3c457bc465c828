""" "Open" services: staff (or a pair's own mentor and mentee) open a person's
mentoring data. Each one does the look-up, the permission check and the access-log
row, and returns what the page and its API twin both show (docs/CONVENTIONS.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest

from nanum.core.models import User
from nanum.core.services import access_record
from nanum.core.services.documents import document_stored

from ..models import (
    Match,
    MatchRun,
    MenteeSurvey,
    MentorDocument,
    MentorProfile,
    Message,
    Session,
    UnmatchedStudent,
)
from ..selectors import (
    match_get,
    match_run_get,
    matches_visible,
    mentor_document_get,
    mentor_profile_get,
    survey_get,
)
from .adjust import mentor_options

PairRole = Literal["mentor", "student", "staff"]
MATCHES_LIMIT = 200


def _role(actor: User, match: Match) -> PairRole:
    if actor.pk == match.mentor.user_id:
        return "mentor"
    if actor.pk == match.student_id:
        return "student"
    return "staff"


@dataclass(frozen=True)
class PairView:
    """A pair as its mentor, its mentee or staff of its town see it."""

    match: Match
    role: PairRole
    sessions: list[Session]
    messages: list[Message]


@transaction.atomic
def match_open(
    *, actor: User, match_id: int, request: HttpRequest | None = None
) -> PairView:
    """A pair with its sessions and messages. Staff opening someone else's pair are
    written to the access log; a pair ``actor`` may not see is ``NotFound``."""
    match = match_get(actor=actor, match_id=match_id)
    role = _role(actor, match)
    if role == "staff":
        access_record(
            actor=actor,
            action="view",
            subject=match.student,
            object_type="mentoring.match",
            object_id=str(match.pk),
            tenant=match.tenant,
            request=request,
        )
    return PairView(
        match=match,
        role=role,
        sessions=list(
            match.sessions.select_related("report", "rating").order_by("starts_at")
        ),
        messages=list(match.messages.select_related("sender")),
    )


@transaction.atomic
def match_messages_open(
    *, actor: User, match_id: int, request: HttpRequest | None = None
) -> list[Message]:
    """A pair's messages; staff reading them are written to the access log."""
    match = match_get(actor=actor, match_id=match_id)
    if _role(actor, match) == "staff":
        access_record(
            actor=actor,
            action="view",
            subject=match.student,
            object_type="mentoring.messages",
            object_id=str(match.pk),
            tenant=match.tenant,
            request=request,
        )
    return list(match.messages.select_related("sender"))


@transaction.atomic
def matches_open(*, actor: User, request: HttpRequest | None = None) -> list[Match]:
    """The newest pairs ``actor`` may see; when staff read other people's pairs, one
    access-log row covers the list."""
    matches = list(matches_visible(actor).order_by("-pk")[:MATCHES_LIMIT])
    others = [m for m in matches if _role(actor, m) == "staff"]
    if others:
        access_record(
            actor=actor,
            action="view",
            subject=None,
            object_type="mentoring.match",
            record_count=len(others),
            request=request,
        )
    return matches


@dataclass(frozen=True)
class RunView:
    """A batch run as staff review it: proposed pairs and unmatched students."""

    run: MatchRun
    pairs: list[Match]
    unmatched: list[UnmatchedStudent]


def match_run_view(*, run: MatchRun) -> RunView:
    """The pairs and unmatched students of a run that ``actor`` already holds (just
    created or published by them): no look-up, no access-log row."""
    return RunView(
        run=run,
        pairs=list(
            run.matches.select_related("mentor__user", "student").order_by("pk")
        ),
        unmatched=list(run.unmatched.select_related("survey__student")),
    )


@transaction.atomic
def match_run_open(
    *, actor: User, run_id: int, request: HttpRequest | None = None
) -> RunView:
    """Staff open a batch run of their town (access-logged, one row per opening)."""
    view = match_run_view(run=match_run_get(actor=actor, run_id=run_id))
    run = view.run
    access_record(
        actor=actor,
        action="view",
        subject=None,
        object_type="mentoring.run",
        object_id=str(run.pk),
        tenant=run.tenant,
        record_count=len(view.pairs) + len(view.unmatched),
        request=request,
    )
    return view


@dataclass(frozen=True)
class ChooseView:
    """One student of a run with the mentors staff may choose for them."""

    run: MatchRun
    survey: MenteeSurvey
    match: Match | None
    options: list[tuple[MentorProfile, int, dict[str, Any]]]


@transaction.atomic
def survey_open(
    *,
    actor: User,
    run_id: int,
    survey_id: int,
    request: HttpRequest | None = None,
) -> ChooseView:
    """Staff open one student's survey in a run to choose their mentor by hand."""
    run = match_run_get(actor=actor, run_id=run_id)
    survey = survey_get(actor=actor, term=run.term, survey_id=survey_id)
    options = mentor_options(survey)
    access_record(
        actor=actor,
        action="view",
        subject=survey.student,
        object_type="mentoring.survey",
        object_id=str(survey.pk),
        tenant=run.tenant,
        request=request,
    )
    return ChooseView(
        run=run,
        survey=survey,
        match=run.matches.filter(survey=survey).first(),
        options=options,
    )


@transaction.atomic
def mentor_profile_open(
    *, actor: User, profile_id: int, request: HttpRequest | None = None
) -> MentorProfile:
    """Staff open a mentor's application (documents, checks): access-logged."""
    profile = mentor_profile_get(actor=actor, profile_id=profile_id)
    access_record(
        actor=actor,
        action="view",
        subject=profile.user,
        object_type="mentoring.mentor",
        object_id=str(profile.pk),
        tenant=profile.tenant,
        request=request,
    )
    return profile


def mentor_document_open(
    *, actor: User, document_id: int, request: HttpRequest | None = None
) -> MentorDocument:
    """The mentor opens their own document, or staff of the town open one of an
    application they screen (that download is access-logged). A document whose file
    is gone is not found."""
    doc = mentor_document_get(actor=actor, document_id=document_id)
    document_stored(doc.file.name)
    if doc.mentor.user_id != actor.pk:
        access_record(
            actor=actor,
            action="download",
            subject=doc.mentor.user,
            object_type="mentoring.MentorDocument",
            object_id=str(doc.pk),
            tenant=doc.mentor.tenant,
            request=request,
        )
    return doc
