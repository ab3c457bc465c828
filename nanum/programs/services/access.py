"""The "open" services: staff open participants' personal data (applicant and attendance
lists). Each does the look-up, the permission check and the access-log row, and returns
what the page and its API twin both show.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from nanum.core.models import User
from nanum.core.services import access_record

from .. import selectors
from ..models import Application, Programme, Session


@dataclass(frozen=True)
class ApplicantRow:
    application: Application
    attended: int
    complete: bool


@dataclass(frozen=True)
class ApplicantList:
    programme: Programme
    rows: list[ApplicantRow]
    total_sessions: int


@dataclass(frozen=True)
class AttendanceSheet:
    session: Session
    applications: list[Application]
    present: set[int]


def programme_applicants_open(
    *, actor: User, programme_id: int, request: HttpRequest | None = None
) -> ApplicantList:
    """The applicants of a programme ``actor`` runs, with attendance and completion.

    ``NotFound`` for a programme ``actor`` does not run (whether it exists or not).
    """
    p = selectors.organiser_programme_get(actor=actor, pk=programme_id)
    apps = list(selectors.organiser_applications(programme=p))
    access_record(
        actor=actor,
        action="view",
        subject=None,
        tenant=p.tenant,
        object_type="programs.Application",
        object_id=f"programme:{p.pk}",
        record_count=len(apps),
        request=request,
        purpose="organiser applicant list",
    )
    counts = selectors.attendance_counts(p)
    total = p.sessions.count()
    rows = [
        ApplicantRow(
            application=a,
            attended=counts.get(a.pk, 0),
            complete=selectors.completed(
                counts.get(a.pk, 0), total, p.completion_percent
            ),
        )
        for a in apps
    ]
    return ApplicantList(programme=p, rows=rows, total_sessions=total)


def session_attendance_open(
    *,
    actor: User,
    programme_id: int,
    session_id: int,
    request: HttpRequest | None = None,
) -> AttendanceSheet:
    """The confirmed participants of one session of a programme ``actor`` runs, and
    who was present. ``NotFound`` for anyone else's programme or session."""
    s = selectors.organiser_session_get(
        actor=actor, programme_id=programme_id, session_id=session_id
    )
    apps = list(
        selectors.organiser_applications(programme=s.programme).filter(
            status=Application.Status.SELECTED
        )
    )
    present = set(
        s.attendance.filter(present=True).values_list("application_id", flat=True)
    )
    access_record(
        actor=actor,
        action="view",
        subject=None,
        tenant=s.programme.tenant,
        object_type="programs.Attendance",
        object_id=f"session:{s.pk}",
        record_count=len(apps),
        request=request,
        purpose="attendance list",
    )
    return AttendanceSheet(session=s, applications=apps, present=present)
