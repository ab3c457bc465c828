"""API schemas of Seoul Learn."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from nanum.core.schemas import INT32_MAX, Count, Id, Int32


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
    services: list[str] = Field(
        description="Services the child's towns offer (mentoring, counselling, ...)"
    )


class ChildHandoffIn(Schema):
    seat_id: Id


class ChildIn(Schema):
    """A child under 14 added by their guardian (no e-mail, no sign-in yet)."""

    display_name: str = Field(max_length=100)
    birth_year: Annotated[int, Field(ge=2000, le=2030)]


class ChildPasswordIn(Schema):
    """The child's own username and password; ``consent`` is the guardian's."""

    username: str = Field(max_length=30)
    password: str = Field(max_length=128)
    consent: bool = False


class ChildConsentIn(Schema):
    consent: bool = False


class ChildSignInOut(Schema):
    id: int
    username: str


class ChildCodeOut(Schema):
    """A one-time sign-in code, shown once (only its hash is kept)."""

    code: str
    expires_in_minutes: int


class HandoffOut(Schema):
    url: str


# --- Town self-service (services.towns) ----------------------------------------------

#: A town's address in a path: what the page's URL accepts (``<slug:slug>``).
TownSlug = Annotated[
    str, Field(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
]
#: A whole number stored in a small column: the service checks the lower bound with a
#: message of its own.
SmallInt = Annotated[int, Field(ge=-INT32_MAX - 1, le=32767)]
Choices = Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=20)]


class TownRulesIn(Schema):
    """Eligibility, quotas and services, as on the rules form (no bounds here: the
    service refuses contradictions on the field, in the caller's language)."""

    min_age: SmallInt
    max_age: SmallInt
    school_levels: Choices
    categories: Choices
    income_line_pct: SmallInt
    residence_required: bool
    services: Choices
    quota_total: Int32 | None = None
    quota_elementary: Int32 | None = None
    quota_middle: Int32 | None = None
    quota_high: Int32 | None = None
    quota_other: Int32 | None = None
    min_monthly_minutes: Int32 = 0
    is_open: bool


class TownPageIn(Schema):
    """The town's page (the logo has its own endpoint: POST or DELETE .../logo)."""

    tagline_ko: str = Field("", max_length=1000)
    tagline_en: str = Field("", max_length=1000)
    page_text_ko: str = Field("", max_length=20000)
    page_text_en: str = Field("", max_length=20000)
    primary_colour: str = Field(..., max_length=20)


class SeatIn(Schema):
    provider_id: Id
    seats: Int32


class SeatsIn(Schema):
    """This year's seats per provider; a provider left out has none (as on the page)."""

    seats: list[SeatIn] = Field(..., max_length=500)


class TownCreateIn(TownRulesIn, TownPageIn):
    name_ko: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    slug: str = Field(..., max_length=40)
    kind: str = Field(..., max_length=20)
    programme_name_ko: str = Field(..., max_length=100)
    programme_name_en: str = Field("", max_length=100)
    officer_username: str = Field("", max_length=150)
    seats: list[SeatIn] = Field([], max_length=500)


class NoticeIn(Schema):
    title: str = Field(..., max_length=200)
    body: str = Field("", max_length=20000)


class NoticeOut(Schema):
    id: int
    title: str
    body: str
    published_at: datetime


class TownSeatOut(Schema):
    provider_id: int
    provider: str
    seats: int
    used: int


class TownRulesOut(Schema):
    min_age: int
    max_age: int
    school_levels: list[str]
    categories: list[str]
    income_line_pct: int
    residence_required: bool
    services: list[str]
    quota_total: int | None
    quota_elementary: int | None
    quota_middle: int | None
    quota_high: int | None
    quota_other: int | None
    min_monthly_minutes: int
    is_open: bool


class TownOut(Schema):
    slug: str
    name_ko: str
    name_en: str
    kind: str
    status: str
    programme_name_ko: str
    programme_name_en: str
    primary_colour: str
    tagline_ko: str
    tagline_en: str
    page_text_ko: str
    page_text_en: str
    has_logo: bool
    rules: TownRulesOut


class TownEditorOut(TownOut):
    """What the town's edit page shows: the town, this year's seats, latest notices."""

    year: int
    seats: list[TownSeatOut]
    notices: list[NoticeOut]


# --- & Jump reward programmes (services.jump) ----------------------------------------


class RewardProgrammeIn(Schema):
    town_id: Id
    title_ko: str = Field(..., max_length=200)
    title_en: str = Field("", max_length=200)
    description: str = Field("", max_length=20000)
    criteria: str = Field("", max_length=20000)
    essay_prompt: str = Field(..., max_length=300)
    places: SmallInt
    min_mileage: Int32 = 0
    opens_on: date
    closes_on: date
    involves_travel: bool = False


class RewardProgrammeOut(Schema):
    id: int
    town: str
    title: str
    title_ko: str
    title_en: str
    description: str
    criteria: str
    essay_prompt: str
    places: int
    min_mileage: int
    opens_on: date
    closes_on: date
    involves_travel: bool


class RewardProgrammeOfficerOut(RewardProgrammeOut):
    applications: int
    selected: int


class EssayIn(Schema):
    """The essay (30 to 2000 characters; the service says so in the caller's
    language)."""

    essay: str = Field(..., max_length=20000)


class RewardApplicationOut(Schema):
    id: int
    programme_id: int
    programme: str
    town: str
    state: str
    state_label: str
    mileage: int
    essay: str
    submitted_at: datetime
    decided_at: datetime | None
    travel_consent_at: datetime | None


class RewardApplicantOut(RewardApplicationOut):
    """An application as the town's officer sees it."""

    student_id: int
    student: str
    recommended: bool


class RewardDecisionIn(Schema):
    decision: Literal["select", "decline"]


class ShortlistOut(Schema):
    shortlisted: int


class TravelConsentOut(Schema):
    application_id: int
    programme: str
    student: str
    travel_consent_at: datetime | None


class MileageOut(Schema):
    mileage: int


# --- A town's providers (services.town_providers) -----------------------------------


class TownProviderIn(Schema):
    """The providers page's fields; the service checks them (name, https:// address,
    telephone, seats from 0) with messages in the caller's language."""

    name_ko: str = Field(..., max_length=400)
    name_en: str = Field("", max_length=400)
    launch_url: str = Field(..., max_length=600, description="https://…")
    phone: str = Field("", max_length=80)
    seats: Int32 | None = Field(
        None, description="This year's seats; null keeps them as they are."
    )


class TownProviderOut(Schema):
    id: int
    name_ko: str
    name_en: str
    launch_url: str
    phone: str
    seats: int
    used: int
    shared: bool = Field(
        ..., description="Other towns buy seats here: only the seats may change."
    )


class ProviderStaffIn(Schema):
    """A staff account for a provider the town added: a name and a username."""

    name: str = Field(..., max_length=400)
    username: str = Field(..., max_length=200)


class ProviderStaffOut(Schema):
    """The new account; ``password`` is shown once (only its hash is kept)."""

    id: int
    username: str
    name: str
    provider: int
    password: str = Field(..., description="One-time password, shown only here.")


class ProviderStaffStateOut(Schema):
    """A staff account after it was deactivated or reactivated."""

    id: int
    username: str
    name: str
    provider: int
    active: bool = Field(
        ...,
        description="false: it cannot sign in, and its API tokens were revoked "
        "(they stay revoked after a reactivation).",
    )


class ProviderSecretIn(Schema):
    new: bool = Field(
        False,
        description="false: show the current secret (once only); true: make a new "
        "one; the old one stops verifying at once.",
    )


class ProviderSecretOut(Schema):
    """The provider's hand-off secret, shown only here."""

    secret: str
    new: bool
