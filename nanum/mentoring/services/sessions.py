"""Weekly sessions, attendance, reports, ratings, missed-session alerts, hours,
messages and problem reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core import clock, spreadsheets
from nanum.core.errors import DomainError, InvalidInput, PermissionDenied
from nanum.core.models import Tenant, User
from nanum.core.services import Message as NoteText
from nanum.core.services import access_record, audit_record, notification_send
from nanum.learning import services as learning_services

from ..models import (
    Match,
    Message,
    ProblemReport,
    Session,
    SessionRating,
    SessionReport,
)
from ..selectors import match_get, mentee_tenants, session_get
from ._common import next_occurrence, notify_staff, require_staff, tz

MAX_WEEKS = 30
MISSED_AFTER = timedelta(hours=24)  # unconfirmed this long after the end: missed
MAX_MESSAGE = 2000


def sessions_schedule(
    match: Match,
    *,
    start: date,
    count: int | None = None,
    hour_of_week: int | None = None,
) -> int:
    """Weekly sessions from ``start`` to the end of the term (or ``count`` of them)."""
    how = match.hour_of_week if hour_of_week is None else hour_of_week
    first = next_occurrence(how, start)
    end = datetime.combine(match.term.ends_on, datetime.max.time(), tzinfo=tz())
    rows: list[Session] = []
    when = first
    while when <= end and len(rows) < (count or MAX_WEEKS):
        rows.append(
            Session(
                match=match,
                tenant_id=match.tenant_id,
                starts_at=when,
                duration_minutes=match.duration_minutes,
            )
        )
        when += timedelta(days=7)
    Session.objects.bulk_create(rows, ignore_conflicts=True)
    # The student's home shows the next session: its stored summary is stale now.
    learning_services.home_touch(student_ids=[match.student_id], steps=False)
    return len(rows)


def _role_in(actor: User, session: Session) -> str:
    if actor.pk == session.match.mentor.user_id:
        return "mentor"
    if actor.pk == session.match.student_id:
        return "student"
    raise PermissionDenied()


def _locked_session(actor: User, session_id: int) -> tuple[Session, str]:
    session = session_get(actor=actor, session_id=session_id)
    role = _role_in(actor, session)
    return Session.objects.select_for_update(of=("self",)).select_related(
        "match__mentor", "match__student"
    ).get(pk=session.pk), role


@transaction.atomic
def session_confirm(*, actor: User, session_id: int) -> Session:
    """Mentor and student each confirm that the session took place."""
    session, role = _locked_session(actor, session_id)
    if session.status in (Session.Status.CANCELLED,):
        raise DomainError(_("This session was cancelled."), code="wrong_state")
    if session.starts_at > clock.now():
        raise DomainError(
            _("You can confirm a session once it has started."), code="not_started"
        )
    now = clock.now()
    if role == "mentor":
        session.mentor_confirmed_at = session.mentor_confirmed_at or now
    else:
        session.student_confirmed_at = session.student_confirmed_at or now
    if session.mentor_confirmed_at and session.student_confirmed_at:
        session.status = Session.Status.HELD
    session.save()
    audit_record(
        actor=actor,
        action="mentoring.session.confirm",
        obj=session,
        tenant=session.match.tenant,
        after={"by": role, "status": session.status},
    )
    return session


@dataclass
class ReportInput:
    topics: str
    learning_report: str
    quiz_title: str = ""
    quiz_score: int | None = None
    concerns: str = ""


@transaction.atomic
def session_report_file(
    *, actor: User, session_id: int, data: ReportInput
) -> SessionReport:
    session, role = _locked_session(actor, session_id)
    if role != "mentor":
        raise PermissionDenied(_("Only the mentor files the session report."))
    if session.mentor_confirmed_at is None:
        raise DomainError(
            _("Confirm the session before filing its report."), code="not_confirmed"
        )
    if SessionReport.objects.filter(session=session).exists():
        raise DomainError(
            _("This session already has a report."), code="duplicate_report"
        )
    errors: dict[str, list] = {}
    if not (data.topics or "").strip():
        errors["topics"] = [_("Enter what you covered.")]
    if not (data.learning_report or "").strip():
        errors["learning_report"] = [_("Write the learning report.")]
    if data.quiz_score is not None and not 0 <= data.quiz_score <= 100:
        errors["quiz_score"] = [_("Enter a result from 0 to 100.")]
    if data.quiz_score is not None and not (data.quiz_title or "").strip():
        errors["quiz_title"] = [_("Name the quiz the result belongs to.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    report = SessionReport.objects.create(
        session=session,
        topics=data.topics.strip()[:2000],
        quiz_title=data.quiz_title[:200],
        quiz_score=data.quiz_score,
        learning_report=data.learning_report.strip()[:4000],
        concerns=(data.concerns or "").strip()[:2000],
    )
    audit_record(
        actor=actor,
        action="mentoring.session.report",
        obj=report,
        tenant=session.match.tenant,
        after={"quiz_score": data.quiz_score},
    )
    if report.concerns:
        notify_staff(
            session.tenant_id,
            kind="mentoring.concern",
            subject=_("A mentor raised a concern in a session report"),
            url=f"/mentoring/pairs/{session.match_id}/",
        )
    return report


@transaction.atomic
def session_rate(
    *, actor: User, session_id: int, stars: int, comment: str = ""
) -> SessionRating:
    session, role = _locked_session(actor, session_id)
    if role != "student":
        raise PermissionDenied(_("Only the mentee rates the session."))
    if session.starts_at > clock.now() or session.status == Session.Status.CANCELLED:
        raise DomainError(
            _("You can rate a session after it has taken place."), code="not_started"
        )
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise InvalidInput(field_errors={"stars": [_("Choose 1 to 5 stars.")]})
    if SessionRating.objects.filter(session=session).exists():
        raise DomainError(
            _("You have already rated this session."), code="duplicate_rating"
        )
    rating = SessionRating.objects.create(
        session=session, stars=stars, comment=(comment or "").strip()[:1000]
    )
    audit_record(
        actor=actor,
        action="mentoring.session.rate",
        obj=rating,
        tenant=session.match.tenant,
        after={"stars": stars},
    )
    return rating


@transaction.atomic
def sessions_check_missed(*, now: datetime | None = None) -> int:
    """Mark unconfirmed past sessions as missed and alert the town's staff."""
    now = now or clock.now()
    count = 0
    due = (
        Session.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=Session.Status.SCHEDULED, starts_at__lt=now - MISSED_AFTER)
        .select_related("match__mentor__user", "match__student")
    )
    for session in due:
        session.status, session.alerted_at = Session.Status.MISSED, now
        session.save(update_fields=["status", "alerted_at"])
        who: dict[str, Any] = {}
        if not session.mentor_confirmed_at:
            who["mentor"] = _("mentor")
        if not session.student_confirmed_at:
            who["student"] = _("student")
        notify_staff(
            session.tenant_id,
            kind="mentoring.missed",
            subject=_("A mentoring session was missed"),
            body=NoteText(
                _("%(mentor)s and %(student)s, %(when)s: not confirmed by %(who)s."),
                mentor=str(session.match.mentor.user),
                student=str(session.match.student),
                when=timezone.localtime(session.starts_at),
                who=NoteText(", ".join(f"%({key})s" for key in who), **who),
            ),
            url=f"/mentoring/pairs/{session.match_id}/",
        )
        audit_record(
            actor=None,
            action="mentoring.session.missed",
            obj=session,
            tenant=session.match.tenant,
        )
        count += 1
    return count


def mentor_hours(*, actor: User, tenant_id: int, month: date) -> list[dict]:
    """Held sessions and hours per mentor in a month (stipends, volunteer hours)."""
    require_staff(actor, tenant_id)
    first = month.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz())
    end = datetime.combine(nxt, datetime.min.time(), tzinfo=tz())
    rows: dict[int, dict[str, Any]] = {}
    for s in Session.objects.filter(
        tenant_id=tenant_id,
        status=Session.Status.HELD,
        starts_at__gte=start,
        starts_at__lt=end,
    ).select_related("match__mentor__user", "match__mentor__university"):
        profile = s.match.mentor
        row = rows.setdefault(
            profile.pk,
            {
                "mentor": profile.user.display_name or profile.user.username,
                "username": profile.user.username,
                "university": profile.university.name,
                "sessions": 0,
                "minutes": 0,
                "mentees": set(),
            },
        )
        row["sessions"] += 1
        row["minutes"] += s.duration_minutes
        row["mentees"].add(s.match.student_id)
    out = []
    for row in sorted(rows.values(), key=lambda r: r["username"]):
        row["mentees"] = len(row["mentees"])
        row["hours"] = round(row.pop("minutes") / 60, 2)
        out.append(row)
    return out


def mentor_hours_export(
    *,
    actor: User,
    tenant_id: int,
    month: date,
    fmt: str,
    request: HttpRequest | None = None,
) -> tuple[bytes, str, str]:
    """The month's hours as CSV or Excel; the export is written to the access log."""
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(field_errors={"format": [_("Choose CSV or Excel.")]})
    rows = mentor_hours(actor=actor, tenant_id=tenant_id, month=month)
    header = [
        str(_("Mentor")),
        str(_("User name")),
        str(_("University")),
        str(_("Sessions held")),
        str(_("Mentees")),
        str(_("Hours")),
    ]
    table = [
        [
            r["mentor"],
            r["username"],
            r["university"],
            r["sessions"],
            r["mentees"],
            r["hours"],
        ]
        for r in rows
    ]
    access_record(
        actor=actor,
        action="export",
        subject=None,
        object_type="mentoring.hours",
        object_id=month.strftime("%Y-%m"),
        tenant=Tenant.objects.get(pk=tenant_id),
        record_count=len(rows),
        request=request,
        purpose="mentor stipends and volunteer certificates",
    )
    name = f"mentor-hours-{month:%Y-%m}.{fmt}"
    body, content_type = spreadsheets.spreadsheet_bytes(
        header, table, fmt=fmt, sheet_title=month.strftime("%Y-%m")
    )
    return body, content_type, name


@transaction.atomic
def message_send(*, actor: User, match_id: int, body: str) -> Message:
    """Mentor and mentee write to each other inside Nanum; messages are kept."""
    match = match_get(actor=actor, match_id=match_id)
    if actor.pk not in (match.student_id, match.mentor.user_id):
        raise PermissionDenied()
    if match.status != Match.Status.ACTIVE:
        raise DomainError(_("This pair is no longer active."), code="wrong_state")
    body = (body or "").strip()
    if not body:
        raise InvalidInput(field_errors={"body": [_("Write a message.")]})
    if len(body) > MAX_MESSAGE:
        raise InvalidInput(
            field_errors={"body": [_("A message has at most 2000 characters.")]}
        )
    message = Message.objects.create(match=match, sender=actor, body=body)
    other = match.mentor.user if actor.pk == match.student_id else match.student
    notification_send(
        user=other,
        kind="mentoring.message",
        email=False,
        subject=NoteText(_("New message from %(name)s"), name=str(actor)),
        url=f"/mentoring/pairs/{match.pk}/",
    )
    audit_record(
        actor=actor, action="mentoring.message.send", obj=message, tenant=match.tenant
    )
    return message


@transaction.atomic
def problem_report(
    *, actor: User, body: str, match_id: int | None = None
) -> ProblemReport:
    """A student (or mentor) tells staff about a problem; staff are alerted."""
    body = (body or "").strip()
    if not body:
        raise InvalidInput(field_errors={"body": [_("Tell us what happened.")]})
    match = None
    if match_id:
        match = match_get(actor=actor, match_id=match_id)
        if actor.pk not in (match.student_id, match.mentor.user_id):
            raise PermissionDenied()
        tenant_id = match.tenant_id
    else:
        towns = mentee_tenants(actor)
        if not towns:
            raise PermissionDenied()
        tenant_id = towns[0].pk
    report = ProblemReport.objects.create(
        tenant_id=tenant_id, reporter=actor, match=match, body=body[:4000]
    )
    notify_staff(
        tenant_id,
        kind="mentoring.problem",
        subject=_("A problem was reported in mentoring"),
        url="/mentoring/staff/",
    )
    audit_record(
        actor=actor, action="mentoring.problem.report", obj=report, tenant=report.tenant
    )
    return report


def held_counts(match_ids: list[int]) -> dict[int, int]:
    return dict(
        Session.objects.filter(match_id__in=match_ids, status=Session.Status.HELD)
        .values_list("match_id")
        .annotate(n=Count("id"))
        .values_list("match_id", "n")
    )
