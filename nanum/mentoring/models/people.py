"""Mentors, their documents, terms and mentee surveys."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.models import District, Organisation, Tenant

from .choices import USER, Gender, Level, Mode, level_labels, subject_labels


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
