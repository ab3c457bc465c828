"""1:1 mentoring and career/admissions counselling: data and invariants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.fields import EncryptedTextField
from nanum.core.models import District, Organisation, Tenant

USER = settings.AUTH_USER_MODEL


class Subject(models.TextChoices):
    """Subjects in bit order for the matcher (at most 10)."""

    KOREAN = "korean", _("Korean")
    ENGLISH = "english", _("English")
    MATHS = "maths", _("Maths")
    SCIENCE = "science", _("Science")
    SOCIAL = "social", _("Social studies")
    CODING = "coding", _("Coding")


SUBJECT_INDEX = {code: i for i, code in enumerate(Subject.values)}


class Level(models.TextChoices):
    ELEMENTARY = "elementary", _("Elementary school")
    MIDDLE = "middle", _("Middle school")
    HIGH = "high", _("High school")


LEVEL_INDEX = {code: i for i, code in enumerate(Level.values)}


class Mode(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("In person")
    EITHER = "either", _("Online or in person")


MODE_BITS = {Mode.ONLINE: 1, Mode.OFFLINE: 2, Mode.EITHER: 3}


def subject_labels(codes: list[str]) -> str:
    """Translated subject names, comma-separated, for pages."""
    labels = dict(Subject.choices)
    return ", ".join(str(labels.get(c, c)) for c in codes or [])


def level_labels(codes: list[str]) -> str:
    labels = dict(Level.choices)
    return ", ".join(str(labels.get(c, c)) for c in codes or [])


class Gender(models.TextChoices):
    UNSTATED = "", _("Not stated")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class MentorProfile(models.Model):
    """A university student's application to mentor in one town, and its screening."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Screened, awaiting activation")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")
        LEFT = "left", _("Left")

    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="mentor_profiles"
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    university = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.UNIVERSITY},
        verbose_name=_("university"),
    )
    major = models.CharField(_("major"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year of study"))
    subjects = models.JSONField(_("subjects"), default=list)
    levels = models.JSONField(_("levels"), default=list)
    availability = models.JSONField(
        _("weekly availability (hours of the week)"), default=list
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="+",
        verbose_name=_("districts you can reach"),
    )
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, blank=True
    )
    capacity = models.PositiveSmallIntegerField(_("mentees at most"), default=4)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    checks = models.JSONField(_("screening checks"), default=dict, blank=True)
    training_completed_on = models.DateField(
        _("training completed on"), null=True, blank=True
    )
    screened_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=10),
                name="mentoring_mentor_capacity_1_10",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1) & Q(year__lte=8),
                name="mentoring_mentor_year_1_8",
            ),
            models.UniqueConstraint(
                fields=["user", "tenant"], name="mentoring_one_mentor_profile_per_town"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status"])]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def subject_text(self) -> str:
        return subject_labels(self.subjects)

    @property
    def level_text(self) -> str:
        return level_labels(self.levels)


class MentorDocument(models.Model):
    class Kind(models.TextChoices):
        ENROLMENT = "enrolment", _("Certificate of enrolment")
        RECORD_CHECK = "record_check", _("Criminal record check consent")
        TRAINING = "training", _("Training certificate")
        OTHER = "other", _("Other")

    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="mentoring/documents/%Y/")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}"


class Term(models.Model):
    """A mentoring term of a town (at least 4 months)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="mentoring_term_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MenteeSurvey(models.Model):
    """What a student wants from a mentor in one term."""

    student = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="mentee_surveys"
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="surveys")
    subjects = models.JSONField(_("subjects"), default=list)
    level = models.CharField(_("school level"), max_length=12, choices=Level.choices)
    availability = models.JSONField(_("weekly availability"), default=list)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district for in-person meetings"),
    )
    place = models.CharField(_("preferred place"), max_length=200, blank=True)
    mentor_gender = models.CharField(
        _("mentor gender preference"), max_length=10, choices=Gender.choices, blank=True
    )
    university = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.UNIVERSITY},
        verbose_name=_("preferred university"),
    )
    wants_taster = models.BooleanField(
        _("start with a taster (2–3 sessions)"), default=False
    )
    notes = models.TextField(_("anything else"), blank=True, max_length=1000)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["student", "term"], name="mentoring_one_survey_per_term"
            )
        ]

    @property
    def subject_text(self) -> str:
        return subject_labels(self.subjects)

    def __str__(self) -> str:
        return f"{self.student} · {self.term}"


class MatchRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    objective = models.IntegerField(default=0)
    upper_bound = models.FloatField(null=True, blank=True)
    certified = models.BooleanField(default=False)
    stats = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.term} · {self.created_at:%Y-%m-%d %H:%M}"


class Match(models.Model):
    """A mentor–mentee pair: proposed in a run, active once published."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        TASTER = "taster", _("Taster")

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="matches")
    run = models.ForeignKey(
        MatchRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
    )
    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.PROTECT, related_name="matches"
    )
    student = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="mentee_matches"
    )
    survey = models.ForeignKey(
        MenteeSurvey, on_delete=models.PROTECT, related_name="matches"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    taster_sessions = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.IntegerField(default=0)
    why = models.JSONField(default=dict, blank=True)
    manual = models.BooleanField(default=False)
    hour_of_week = models.PositiveSmallIntegerField(
        _("weekly session starts (hour of week)")
    )
    second_hour_of_week = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["student", "term"],
                condition=Q(status__in=["proposed", "active"]),
                name="mentoring_one_open_match_per_student_term",
            ),
            models.CheckConstraint(
                condition=Q(hour_of_week__lt=168),
                name="mentoring_match_hour_of_week_range",
            ),
            models.CheckConstraint(
                condition=Q(taster_sessions__isnull=True)
                | (Q(taster_sessions__gte=2) & Q(taster_sessions__lte=3)),
                name="mentoring_match_taster_2_3",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=60),
                name="mentoring_match_at_least_one_hour",
            ),
        ]
        indexes = [models.Index(fields=["mentor", "status"])]

    def __str__(self) -> str:
        return f"{self.mentor} – {self.student}"


class UnmatchedStudent(models.Model):
    run = models.ForeignKey(
        MatchRun, on_delete=models.CASCADE, related_name="unmatched"
    )
    survey = models.ForeignKey(MenteeSurvey, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=30)
    detail = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.survey} · {self.reason}"


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="sessions")
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    mentor_confirmed_at = models.DateTimeField(null=True, blank=True)
    student_confirmed_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "starts_at"], name="mentoring_one_session_per_time"
            )
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.match} · {self.starts_at:%Y-%m-%d %H:%M}"


class SessionReport(models.Model):
    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="report"
    )
    topics = models.TextField(_("topics"), max_length=2000)
    quiz_title = models.CharField(_("weekly quiz"), max_length=200, blank=True)
    quiz_score = models.PositiveSmallIntegerField(
        _("quiz result (%)"), null=True, blank=True
    )
    learning_report = models.TextField(_("learning report"), max_length=4000)
    concerns = EncryptedTextField(_("concerns (seen by staff only)"), blank=True)
    filed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quiz_score__isnull=True) | Q(quiz_score__lte=100),
                name="mentoring_report_quiz_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session}"


class SessionRating(models.Model):
    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="rating"
    )
    stars = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=1) & Q(stars__lte=5), name="mentoring_rating_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.stars}"


class Message(models.Model):
    """Mentor–mentee messages: inside Nanum only, kept for safeguarding."""

    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="messages")
    sender = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("message"))
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["sent_at"]

    def __str__(self) -> str:
        return f"{self.sender} · {self.sent_at:%Y-%m-%d %H:%M}"


class ProblemReport(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    match = models.ForeignKey(
        Match, on_delete=models.PROTECT, null=True, blank=True, related_name="problems"
    )
    body = EncryptedTextField(_("what happened"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.reporter} · {self.created_at:%Y-%m-%d}"


class CounsellingSlot(models.Model):
    class Topic(models.TextChoices):
        CAREER = "career", _("Career")
        ADMISSIONS = "admissions", _("Admissions")
        BOTH = "both", _("Career or admissions")

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    counsellor = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="counselling_slots"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    topic = models.CharField(
        _("topic"), max_length=12, choices=Topic.choices, default=Topic.BOTH
    )
    online_link = models.URLField(_("online link"), blank=True)
    is_cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="mentoring_slot_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["counsellor", "starts_at"],
                name="mentoring_one_slot_per_counsellor_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counsellor} · {self.starts_at:%Y-%m-%d %H:%M}"


class CounsellingBooking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Held")

    slot = models.ForeignKey(
        CounsellingSlot, on_delete=models.PROTECT, related_name="bookings"
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="counselling_bookings"
    )
    topic = models.CharField(
        _("topic"), max_length=12, choices=CounsellingSlot.Topic.choices
    )
    question = models.TextField(
        _("what would you like to talk about?"), max_length=2000
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    notes = EncryptedTextField(_("counselling notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status="booked"),
                name="mentoring_one_booking_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.slot}"
