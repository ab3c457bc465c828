"""API schemas for programmes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from nanum.core.schemas import Id, Int32

from . import selectors
from .models import Application, LabSlot, Programme
from .templatetags.programs_tags import why


class ProgrammeSessionOut(Schema):
    """A programme's session (not a mentoring ``MentoringSessionOut``)."""

    id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    online_url: str
    capacity: int
    instructor: str


class ProgrammeOut(Schema):
    id: int
    name: str
    name_ko: str
    name_en: str
    kind: str
    audience: str
    grade_min: int | None
    grade_max: int | None
    organiser_id: int
    organiser: str
    description: str
    prerequisites: str
    capacity: int
    apply_opens_at: datetime
    apply_closes_at: datetime
    selection: str
    priority_share: Decimal
    seed_commitment: str
    lottery_seed: int | None = Field(None, description="Revealed after the draw.")
    draw_digest: str
    completion_percent: int
    hours: Decimal | None
    status: str


class ProgrammeDetailOut(ProgrammeOut):
    sessions: list[ProgrammeSessionOut]


class ProgrammeIn(Schema):
    organiser_id: Id
    name_ko: str = Field(..., min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    kind: str
    description_ko: str = ""
    description_en: str = ""
    audience: str
    grade_min: Int32 | None = None
    grade_max: Int32 | None = None
    prerequisites: str = ""
    capacity: int = Field(..., ge=1, le=100000)
    apply_opens_at: datetime
    apply_closes_at: datetime
    selection: str = "fcfs"
    priority_share: Decimal = Field(Decimal("0"), ge=0, le=1)
    priority_need_index: Decimal = Field(Decimal("0.6"), ge=0, le=1)
    completion_percent: int = Field(80, ge=1, le=100)
    hours: Decimal | None = Field(None, ge=0, le=9999)
    offer_hours: int = Field(48, ge=1, le=720)


class SessionIn(Schema):
    starts_at: datetime
    ends_at: datetime
    place: str = Field("", max_length=200)
    online_url: str = Field("", max_length=200)
    capacity: int = Field(..., ge=1, le=100000)
    instructor: str = Field("", max_length=100)


class StatusIn(Schema):
    status: str


class ProgrammeMessageIn(Schema):
    subject: str
    body: str


class ProgrammeApplyIn(Schema):
    """An application to a programme (not Seoul Learn's ``LearningApplyIn``)."""

    child_id: Id | None = None
    declare_priority: bool = False


class NominateIn(Schema):
    student_ids: list[Id] = Field(..., min_length=1, max_length=200)


class ProgrammeApplicationOut(Schema):
    id: int
    programme_id: int
    programme: str
    participant: str
    route: str
    status: str
    via: str
    draw_rank: int | None
    waitlist_position: int | None
    offer_expires_at: datetime | None
    why: str
    certificate_code: str | None
    sessions_attended: int | None = None  # marked present (the participant's list)
    sessions_held: int | None = None  # sessions begun so far


class OrganiserApplicationOut(ProgrammeApplicationOut):
    priority: bool
    attended: int


class PriorityIn(Schema):
    priority: bool


class AttendanceIn(Schema):
    present_ids: list[Id] = Field(default_factory=list, max_length=5000)


class DrawOut(Schema):
    applications: int
    selected: int
    priority_selected: int
    waitlisted: int
    seed: int
    digest: str


class CertificateOut(Schema):
    valid: bool
    name: str = ""
    programme: str = ""
    organiser: str = ""
    attended: int = 0
    total_sessions: int = 0
    hours: Decimal | None = None
    issued_at: datetime | None = None


class ProgrammeSurveyIn(Schema):
    overall: int = Field(..., ge=1, le=5)
    content: int = Field(..., ge=1, le=5)
    instructor: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=2000)


class LabSlotOut(Schema):
    id: int
    lab_id: int
    lab: str
    room: str
    starts_at: datetime
    ends_at: datetime
    instructor: str
    max_students: int
    equipment_note: str


class LabBookIn(Schema):
    class_name: str = Field(..., max_length=60)
    students: int = Field(..., ge=1, le=200)
    note: str = Field("", max_length=300)


class LabBookingOut(Schema):
    id: int
    slot_id: int
    class_name: str
    students: int
    status: str


class LabSlotIn(Schema):
    room: str = Field(..., min_length=1, max_length=100)
    starts_at: datetime
    ends_at: datetime
    instructor: str = Field("", max_length=100)
    max_students: int = Field(30, ge=1, le=200)
    equipment_note: str = Field("", max_length=300)


class AttendanceRowOut(Schema):
    id: int
    participant: str
    present: bool


class AttendanceSheetOut(Schema):
    session_id: int
    participants: list[AttendanceRowOut]


# --- Answers: model -> the dict the Out schemas validate ---------------------------


def programme_out(p: Programme, detail: bool = False) -> dict[str, Any]:
    """The ``ProgrammeOut`` (or, with ``detail``, ``ProgrammeDetailOut``) answer."""
    out: dict[str, Any] = {
        "id": p.pk,
        "name": p.name,
        "name_ko": p.name_ko,
        "name_en": p.name_en,
        "kind": p.kind,
        "audience": p.audience,
        "grade_min": p.grade_min,
        "grade_max": p.grade_max,
        "organiser_id": p.organiser_id,
        "organiser": p.organiser.name,
        "description": p.description,
        "prerequisites": p.prerequisites,
        "capacity": p.capacity,
        "apply_opens_at": p.apply_opens_at,
        "apply_closes_at": p.apply_closes_at,
        "selection": p.selection,
        "priority_share": p.priority_share,
        "seed_commitment": selectors.seed_commitment(p.lottery_seed),
        "lottery_seed": p.lottery_seed if p.drawn_at else None,
        "draw_digest": p.draw_digest,
        "completion_percent": p.completion_percent,
        "hours": p.hours,
        "status": p.status,
    }
    if detail:
        out["sessions"] = [
            ProgrammeSessionOut.from_orm(s).dict() for s in selectors.sessions_of(p)
        ]
    return out


def application_out(a: Application, attended: int | None = None) -> dict[str, Any]:
    """The ``ProgrammeApplicationOut`` answer (``OrganiserApplicationOut`` with
    ``attended``)."""
    cert = getattr(a, "certificate", None)
    out: dict[str, Any] = {
        "id": a.pk,
        "programme_id": a.programme_id,
        "programme": a.programme.name,
        "participant": a.person_name,
        "route": a.route,
        "status": a.status,
        "via": a.via,
        "draw_rank": a.draw_rank,
        "waitlist_position": a.waitlist_position,
        "offer_expires_at": a.offer_expires_at,
        "why": why(a),
        "certificate_code": cert.code if cert else None,
        "sessions_attended": getattr(a, "attended", None),
        "sessions_held": getattr(a, "held", None),
    }
    if attended is not None:
        out.update(priority=a.priority, attended=attended)
    return out


def lab_slot_out(s: LabSlot) -> dict[str, Any]:
    """The ``LabSlotOut`` answer."""
    return {
        "id": s.pk,
        "lab_id": s.lab_id,
        "lab": s.lab.name,
        "room": s.room,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "instructor": s.instructor,
        "max_students": s.max_students,
        "equipment_note": s.equipment_note,
    }


# --- Residential programmes -------------------------------------------------------------


class StayIn(Schema):
    check_in: date
    check_out: date
    place: str = Field(max_length=200)


class StayOut(Schema):
    check_in: date
    check_out: date
    nights: int
    place: str


class RoomIn(Schema):
    name: str = Field(max_length=60)
    capacity: Int32
    gender: str = "free"


class RoomOut(Schema):
    id: Id
    name: str
    capacity: int
    gender: str
    taken: int = 0


class RoomAssignIn(Schema):
    application_id: Id
    room_id: Id | None = None


class EmergencyContactIn(Schema):
    name: str = Field(max_length=60)
    relation: str = Field(max_length=40)
    phone: str = Field(max_length=20)


class EmergencyContactOut(Schema):
    name: str
    relation: str
    phone: str


class RosterRowOut(Schema):
    application_id: Id
    name: str
    minor: bool
    missing: list[str]
    consent_at: datetime | None
    room_id: Id | None
    contacts: list[EmergencyContactOut]
