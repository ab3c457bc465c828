"""Providers' courses, seats bought per town and year, seats held, reported usage."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.fields import EncryptedTextField
from nanum.core.models import Organisation, Tenant

from .applications import Application
from .towns import SchoolLevel


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_ref() -> str:
    return secrets.token_hex(8)


class ProviderProfile(models.Model):
    """How Nanum hands a student over to a provider's site."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="learning_profile",
        limit_choices_to={"kind": "provider"},
    )
    launch_url = models.URLField(_("launch address"), max_length=300)
    handoff_secret = EncryptedTextField(default=new_secret, editable=False)
    handoff_ttl_seconds = models.PositiveIntegerField(default=300)

    class Meta:
        verbose_name = _("provider profile")
        verbose_name_plural = _("provider profiles")

    def __str__(self) -> str:
        return str(self.organisation)


class ProviderCourse(models.Model):
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="learning_courses",
        limit_choices_to={"kind": "provider"},
    )
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject"), max_length=60)
    school_level = models.CharField(
        _("school level"), max_length=20, choices=SchoolLevel.choices
    )
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)

    class Meta:
        ordering = ["provider", "school_level", "grade", "subject"]
        verbose_name = _("provider course")
        verbose_name_plural = _("provider courses")

    def __str__(self) -> str:
        return self.title


class SeatAllocation(models.Model):
    """Seats (licences) a town bought from one provider for one year."""

    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, related_name="seat_allocations"
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="seat_allocations",
        limit_choices_to={"kind": "provider"},
    )
    year = models.PositiveSmallIntegerField(_("year"))
    seats = models.PositiveIntegerField(_("seats bought"))
    used = models.PositiveIntegerField(_("seats in use"), default=0)

    class Meta:
        ordering = ["tenant", "year", "provider"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "provider", "year"], name="one_allocation_per_year"
            ),
            models.CheckConstraint(
                condition=Q(used__lte=models.F("seats")), name="no_oversell"
            ),
        ]
        verbose_name = _("seat allocation")
        verbose_name_plural = _("seat allocations")

    def __str__(self) -> str:
        return f"{self.tenant} · {self.provider} · {self.year}"

    @property
    def free(self) -> int:
        return max(0, self.seats - self.used)


class Seat(models.Model):
    """A member's seat at one provider. ``ref`` is what the provider knows them by."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        RELEASED = "released", _("Released")

    allocation = models.ForeignKey(
        SeatAllocation, on_delete=models.PROTECT, related_name="+"
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="seats"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning_seats",
    )
    ref = models.CharField(max_length=16, unique=True, default=new_ref)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    assigned_at = models.DateTimeField(default=timezone.now)
    last_used_on = models.DateField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state="active"),
                name="one_active_seat_per_membership",
            )
        ]
        indexes = [
            models.Index(fields=["provider", "state"]),
            models.Index(fields=["tenant", "state", "last_used_on"]),
            models.Index(fields=["student", "state"]),
        ]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")

    def __str__(self) -> str:
        return f"{self.provider} · {self.ref}"


class UsageRecord(models.Model):
    """Study minutes a provider reported for one seat on one day."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="usage")
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    minutes = models.PositiveIntegerField()
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "day"], name="one_usage_row_per_day"
            )
        ]
        indexes = [models.Index(fields=["tenant", "day"])]

    def __str__(self) -> str:
        return f"{self.seat_id} · {self.day} · {self.minutes}"
