"""Nanum's own lessons, quiz items with achievement standards, interactions, study time."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Tenant

from .towns import SchoolLevel

# Korean curriculum achievement-standard codes such as [9수01-01] or [10공수1-01-02].
SKILL_RE = re.compile(r"^\[\d{1,2}[가-힣A-Za-z]+\d?\d{0,2}-\d{2}(-\d{2})?\]$")


def validate_skills(value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(v, str) and SKILL_RE.match(v) for v in value
    ):
        raise ValidationError(_("Use achievement-standard codes such as [9수01-01]."))


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject"), max_length=60)
    school_level = models.CharField(
        _("school level"), max_length=20, choices=SchoolLevel.choices
    )
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: open to every town."),
    )
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["school_level", "grade", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("title"), max_length=200)
    video_url = models.URLField(_("video link"), blank=True)
    reading = models.TextField(_("reading"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("expected minutes"), default=15)
    skills = models.JSONField(default=list, blank=True, validators=[validate_skills])

    class Meta:
        ordering = ["course", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "order"], name="lesson_order_unique"
            )
        ]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    """A multiple-choice quiz item, tagged with achievement standards."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=1)
    prompt = models.TextField(_("question"))
    choices = models.JSONField(_("choices"), default=list)
    answer = models.PositiveSmallIntegerField(_("correct choice (0-based)"))
    explanation = models.TextField(_("explanation"), blank=True)
    explanation_en = models.TextField(
        _("explanation in English"),
        blank=True,
        help_text=_("Shown instead of the explanation when the page is in English."),
    )
    skills = models.JSONField(default=list, validators=[validate_skills])

    class Meta:
        ordering = ["lesson", "order"]
        verbose_name = _("quiz item")
        verbose_name_plural = _("quiz items")

    def __str__(self) -> str:
        return self.prompt[:60]


class Interaction(models.Model):
    """One answer by one student: what the learner model reads. Keep it simple."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions"
    )
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="interactions"
    )
    skills = models.JSONField(default=list)
    correct = models.BooleanField()
    answer = models.SmallIntegerField(null=True)
    answered_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["student", "answered_at"]),
            models.Index(fields=["item"]),
        ]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")

    def __str__(self) -> str:
        return f"{self.student_id} · {self.item_id} · {self.correct}"


class LessonProgress(models.Model):
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    answered = models.PositiveSmallIntegerField(default=0)
    correct = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["student", "lesson"], name="one_progress_per_lesson"
            )
        ]
        indexes = [models.Index(fields=["student", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.lesson_id}"


class StudyDay(models.Model):
    """Minutes studied by one student on one day, in Nanum and at the provider."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    nanum_minutes = models.PositiveIntegerField(default=0)
    provider_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "day"], name="one_study_day")
        ]

    @property
    def minutes(self) -> int:
        return self.nanum_minutes + self.provider_minutes

    def __str__(self) -> str:
        return f"{self.student_id} · {self.day}"


class WeeklyGoal(models.Model):
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    target_minutes = models.PositiveIntegerField(_("minutes a week"), default=300)
    note = models.CharField(_("my goal"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student"], name="one_goal")]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.target_minutes}"


class PlanEntry(models.Model):
    class Weekday(models.IntegerChoices):
        MON = 0, _("Monday")
        TUE = 1, _("Tuesday")
        WED = 2, _("Wednesday")
        THU = 3, _("Thursday")
        FRI = 4, _("Friday")
        SAT = 5, _("Saturday")
        SUN = 6, _("Sunday")

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    subject = models.CharField(_("subject"), max_length=60)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=30)

    class Meta:
        ordering = ["weekday", "id"]
        indexes = [models.Index(fields=["student", "weekday"])]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} · {self.subject}"


class Recommendation(models.Model):
    """A mentor's (or teacher's) recommendation of a student for & Jump."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    recommender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "student", "recommender", "year"],
                name="one_recommendation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.year}"


class RewardCandidate(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    mileage = models.PositiveIntegerField()
    recommended = models.BooleanField(default=False)
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-mileage"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "student", "year"], name="one_candidate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.year} · {self.state}"
