"""Providers' lecture catalogues: what a seat at a provider gives access to."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Organisation

from .towns import SchoolLevel


class ProviderLecture(models.Model):
    """One lecture of a provider's catalogue, tagged with achievement standards
    (codes such as [9수01-01]) so the recommender can match it to weak skills.
    A provider keeps it up to date by importing its catalogue (upsert by URL)."""

    provider = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="learning_lectures",
        limit_choices_to={"kind": "provider"},
    )
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject"), max_length=60)
    school_level = models.CharField(
        _("school level"), max_length=20, choices=SchoolLevel.choices
    )
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    standards = models.JSONField(_("achievement standards"), default=list, blank=True)
    url = models.URLField(_("address"), max_length=500)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["provider", "school_level", "grade", "subject", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "url"], name="one_lecture_per_provider_url"
            )
        ]
        indexes = [models.Index(fields=["provider", "active", "school_level"])]
        verbose_name = _("provider lecture")
        verbose_name_plural = _("provider lectures")

    def __str__(self) -> str:
        return self.title
