"""API schemas of mentoring and counselling."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from nanum.core.schemas import Id, Int32


class MentorIn(Schema):
    town: str = Field(..., description="Tenant slug, e.g. seoul")
    university_id: Id
    major: str = Field(..., max_length=100)
    year: Int32
    subjects: list[str]
    levels: list[str]
    availability: list[Int32] = Field(
        ..., description="Hours of the week, Monday 00:00 = 0"
    )
    mode: str
    district_ids: list[Id] = []
    gender: str = ""
    capacity: Int32 = 4


class MentorOut(Schema):
    id: int
    town: str
    status: str
    capacity: int
    subjects: list[str]
    levels: list[str]
    mode: str


class MentoringSurveyIn(Schema):
    """A mentee's survey (not a programme's ``ProgrammeSurveyIn``)."""

    subjects: list[str]
    level: str
    availability: list[Int32]
    mode: str
    district_id: Id | None = None
    place: str = Field("", max_length=200)
    mentor_gender: str = ""
    university_id: Id | None = None
    wants_taster: bool = False
    notes: str = Field("", max_length=1000)


class SurveyOut(Schema):
    id: int
    term_id: int
    subjects: list[str]
    mode: str


class MatchOut(Schema):
    id: int
    status: str
    kind: str
    mentor: str
    student: str
    hour_of_week: int
    second_hour_of_week: int | None
    mode: str
    why: dict
    explanation: str


class MentoringSessionOut(Schema):
    """A mentoring session (not a programme's ``ProgrammeSessionOut``)."""

    id: int
    starts_at: datetime
    duration_minutes: int
    status: str
    mentor_confirmed: bool
    student_confirmed: bool
    has_report: bool
    rating: int | None


class ReportIn(Schema):
    topics: str = Field(..., max_length=2000)
    learning_report: str = Field(..., max_length=4000)
    quiz_title: str = Field("", max_length=200)
    quiz_score: Int32 | None = None
    concerns: str = Field("", max_length=2000)


class RatingIn(Schema):
    stars: Int32
    comment: str = Field("", max_length=1000)


class MessageIn(Schema):
    body: str = Field(..., max_length=2000)


class MessageOut(Schema):
    id: int
    sender: str
    body: str
    sent_at: datetime


class ProblemIn(Schema):
    body: str = Field(..., max_length=4000)
    match_id: Id | None = None


class CreatedOut(Schema):
    id: int


class RunOut(Schema):
    id: int
    status: str
    progress: str  # queued, running, done, failed (the match runs as a task)
    stage: str  # while running: loading, matching, saving
    finished: bool
    note: str  # why it ended without pairs or failed: no_students, no_mentors, ...
    note_message: str  # the same in the user's language
    objective: int
    certified: bool
    stats: dict
    pairs: list[MatchOut]
    unmatched: list[dict]


class AdjustIn(Schema):
    mentor_id: Id


class HoursQuery(Schema):
    town: str
    month: date


class SlotIn(Schema):
    starts_at: datetime
    ends_at: datetime
    topic: str = "both"
    online_link: str = ""


class SlotOut(Schema):
    id: int
    counsellor: str
    starts_at: datetime
    ends_at: datetime
    topic: str
    booked: bool


class BookingIn(Schema):
    slot_id: Id
    topic: str
    question: str = Field(..., max_length=2000)


class BookingOut(Schema):
    id: int
    slot_id: int
    starts_at: datetime
    topic: str
    status: str
    notes: str
