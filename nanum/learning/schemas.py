"""API schemas of Seoul Learn."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema

from nanum.core.schemas import Count, Id, Int32


class LearningApplyIn(Schema):
    """An application to Seoul Learn (not a programme's ``ProgrammeApplyIn``)."""

    town: str
    full_name: str
    birth_year: Int32
    school_level: str
    category: str
    consent_collection: bool
    phone: str = ""
    address: str = ""
    district: str = ""
    lives_in_town: bool = False
    school_name: str = ""
    grade: Int32 | None = None
    income_pct: Int32 | None = None
    family_status: str = ""
    guardian_consent: bool = False
    student_id: Id | None = None
    preferred_provider_id: Id | None = None


class LearningApplicationOut(Schema):
    id: int
    town: str
    status: str
    status_label: str
    reason: str
    school_level: str
    grade: int | None
    submitted_at: datetime
    decided_at: datetime | None
    valid_until: date | None


class ApplicationStaffOut(LearningApplicationOut):
    district: str
    school_name: str
    birth_year: int


class DecisionIn(Schema):
    action: str
    reason: str = ""
    verified_on: date | None = None
    verified_until: date | None = None


class SeatChoiceIn(Schema):
    provider_id: Id


class SeatOut(Schema):
    ref: str
    town: str
    school_level: str
    grade: int | None
    assigned_at: datetime
    last_used_on: date | None


class UsageRowIn(Schema):
    ref: str
    date: str
    minutes: Int32 | str


class UsageIn(Schema):
    rows: list[UsageRowIn]


class LectureRowIn(Schema):
    """One catalogue row, as in the file: level elementary/middle/high, standards as
    bracketed codes ("[9수01-01] [9수01-02]")."""

    title: str
    subject: str
    level: str
    grade: Int32 | str | None = None
    standards: str
    url: str
    active: bool = True


class LecturesIn(Schema):
    rows: list[LectureRowIn]


class LectureOut(Schema):
    id: int
    title: str
    subject: str
    school_level: str
    grade: int | None
    standards: list[str]
    url: str
    active: bool


class VerifyIn(Schema):
    token: str


class AnswerIn(Schema):
    item_id: Id
    answer: Int32
    duration_ms: Count = 0


class RecommendationIn(Schema):
    town: str
    student_id: Id
    note: str = ""


class ChildOut(Schema):
    id: int
    display_name: str
    birth_year: int | None
    confirmed: bool


class ChildSeatOut(Schema):
    ref: str
    provider_id: int
    provider: str
    town: str


class ChildProgressOut(Schema):
    id: int
    display_name: str
    confirmed: bool
    membership: str | None
    seat: ChildSeatOut | None
    this_week_minutes: int
    year_minutes: int
    streak_days: int
    mileage: int
    notifications: int


class ChildHandoffIn(Schema):
    seat_id: Id


class HandoffOut(Schema):
    url: str
