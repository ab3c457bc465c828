"""& Jump reward programmes: places, criteria, applications with an essay, selection."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Tenant


class RewardProgramme(models.Model):
    """One reward a town offers its members (e.g. a summer camp abroad)."""

    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        related_name="reward_programmes",
        verbose_name=_("town"),
    )
    title_ko = models.CharField(_("title (Korean)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    criteria = models.TextField(_("selection criteria"), blank=True)
    essay_prompt = models.CharField(_("essay question"), max_length=300)
    places = models.PositiveSmallIntegerField(_("places"))
    min_mileage = models.PositiveIntegerField(_("minimum mileage"), default=0)
    opens_on = models.DateField(_("applications open"))
    closes_on = models.DateField(_("applications close"))
    involves_travel = models.BooleanField(
        _("involves travel (guardian consent for minors)"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-closes_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="reward_programme_dates",
            ),
            models.CheckConstraint(
                condition=Q(places__gte=1), name="reward_programme_places"
            ),
        ]
        verbose_name = _("reward programme")
        verbose_name_plural = _("reward programmes")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if (get_language() or "ko").startswith("en") and self.title_en:
            return self.title_en
        return self.title_ko


class RewardApplication(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    programme = models.ForeignKey(
        RewardProgramme, on_delete=models.CASCADE, related_name="applications"
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reward_applications",
    )
    essay = models.TextField(_("essay"))
    mileage = models.PositiveIntegerField(_("mileage when applying"), default=0)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    travel_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    travel_consent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-mileage", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "student"], name="one_reward_application"
            )
        ]
        indexes = [models.Index(fields=["programme", "state"])]
        verbose_name = _("reward application")
        verbose_name_plural = _("reward applications")

    def __str__(self) -> str:
        return f"{self.programme} · {self.student}"
