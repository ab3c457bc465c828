"""The "open" services: staff open participants' personal data (applicant and attendance
lists). Each does the look-up, the permission check and the access-log row, and returns
what the page and its API twin both show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nanum.core import spreadsheets
from nanum.core.errors import InvalidInput
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
    return _listing(p, apps)


def _listing(p: Programme, apps: list[Application]) -> ApplicantList:
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


@dataclass(frozen=True)
class ExportFile:
    body: bytes
    content_type: str
    filename: str


EXPORTS = ("participants", "attendance")


def _yes(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def _participants_table(listing: ApplicantList) -> tuple[list[Any], list[list[Any]]]:
    header = [
        _("Participant"),
        _("Applied by"),
        _("Route"),
        _("Status"),
        _("Priority"),
        _("Applied at"),
        _("Sessions attended"),
        _("Completed"),
    ]
    rows = [
        [
            r.application.person_name,
            str(r.application.applied_by),
            r.application.get_route_display(),
            r.application.get_status_display(),
            _yes(r.application.priority),
            timezone.localtime(r.application.created_at).strftime("%Y-%m-%d %H:%M"),
            r.attended,
            _yes(r.complete),
        ]
        for r in listing.rows
    ]
    return [str(h) for h in header], rows


def _attendance_table(listing: ApplicantList) -> tuple[list[Any], list[list[Any]]]:
    p = listing.programme
    sessions = list(selectors.sessions_of(p))
    present = selectors.attendance_grid(p)["present"]
    header = [str(_("Participant"))] + [
        timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M") for s in sessions
    ]
    header += [str(_("Sessions attended"))]
    rows = [
        [r.application.person_name]
        + [("O" if (r.application.pk, s.pk) in present else "X") for s in sessions]
        + [r.attended]
        for r in listing.rows
        if r.application.status in Application.HOLDS_PLACE
    ]
    return header, rows


def programme_export_open(
    *,
    actor: User,
    programme_id: int,
    what: str,
    fmt: str,
    request: HttpRequest | None = None,
) -> ExportFile:
    """The participant list or the attendance sheet of a programme ``actor`` runs, as
    a formula-safe CSV or Excel file; one access-log row ("export") per download."""
    if what not in EXPORTS:
        raise InvalidInput(
            field_errors={"what": [gettext_lazy("Choose what to export.")]}
        )
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(
            field_errors={"format": [gettext_lazy("Choose CSV or Excel.")]}
        )
    p = selectors.organiser_programme_get(actor=actor, pk=programme_id)
    listing = _listing(p, list(selectors.organiser_applications(programme=p)))
    header, rows = (
        _participants_table(listing)
        if what == "participants"
        else _attendance_table(listing)
    )
    access_record(
        actor=actor,
        action="export",
        subject=None,
        tenant=p.tenant,
        object_type="programs.Attendance"
        if what == "attendance"
        else "programs.Application",
        object_id=f"programme:{p.pk}",
        record_count=len(rows),
        request=request,
        purpose=f"organiser {what} export",
    )
    body, content_type = spreadsheets.spreadsheet_bytes(
        header, rows, fmt=fmt, sheet_title=what
    )
    return ExportFile(
        body=body,
        content_type=content_type,
        filename=f"programme-{p.pk}-{what}.{fmt}",
    )
