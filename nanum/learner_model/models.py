"""The skill graph, trained model artefacts and the recommendation log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Standard(models.Model):
    """A Korean curriculum achievement standard, e.g. [9수01-01], as a skill."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    subject = models.CharField(_("subject"), max_length=40)
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    requires = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        verbose_name=_("prerequisites"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("achievement standard")
        verbose_name_plural = _("achievement standards")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        if (get_language() or "ko").startswith("en") and self.name_en:
            return self.name_en
        return self.name_ko


class ModelArtefact(models.Model):
    """A trained learner model file the app can load (NumPy inference)."""

    path = models.CharField(_("file"), max_length=500)
    model_version = models.CharField(max_length=60)
    dataset = models.CharField(max_length=60)
    data_sha256 = models.CharField(max_length=64)
    settings = models.JSONField(default=dict)
    metrics = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="one_active_model",
            )
        ]
        verbose_name = _("model artefact")
        verbose_name_plural = _("model artefacts")

    def __str__(self) -> str:
        return f"{self.model_version} {self.dataset} {self.created_at:%Y-%m-%d}"


class RecommendationEvent(models.Model):
    """One recommendation shown to a student, and whether they followed it."""

    class Kind(models.TextChoices):
        LESSON = "lesson", _("Lesson")
        ITEM = "item", _("Practice question")
        DIAGNOSTIC = "diagnostic", _("Diagnostic quiz")

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    lesson = models.ForeignKey(
        "learning.Lesson",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    item = models.ForeignKey(
        "learning.Item",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reason = models.JSONField(default=dict)
    estimator = models.CharField(max_length=60)
    shown_at = models.DateTimeField(default=timezone.now)
    followed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-shown_at", "rank"]
        indexes = [models.Index(fields=["student", "shown_at"])]
        verbose_name = _("recommendation shown")
        verbose_name_plural = _("recommendations shown")

    def __str__(self) -> str:
        return f"{self.student_id} {self.kind} #{self.rank}"
