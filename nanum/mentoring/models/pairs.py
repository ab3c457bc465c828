"""Match runs, pairs, sessions with reports and ratings, messages, problem reports."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.fields import EncryptedTextField
from nanum.core.models import Tenant

from .choices import USER, Mode
from .people import MenteeSurvey, MentorProfile, Term


class MatchRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")

    class Progress(models.TextChoices):
        """Where the background computation of the run stands."""

        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    class Stage(models.TextChoices):
        WAITING = "", _("Waiting")
        LOADING = "loading", _("Reading surveys and mentors")
        MATCHING = "matching", _("Finding the best pairs")
        SAVING = "saving", _("Saving the pairs")

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
    progress = models.CharField(
        max_length=10, choices=Progress.choices, default=Progress.QUEUED
    )
    stage = models.CharField(
        max_length=10, choices=Stage.choices, default=Stage.WAITING, blank=True
    )
    # why a run ended without pairs or failed: a code of ``services.RUN_NOTE_LABELS``
    note = models.CharField(max_length=30, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.progress in (self.Progress.DONE, self.Progress.FAILED)

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
