"""Career and admissions counselling: slots and bookings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.fields import EncryptedTextField
from nanum.core.models import Tenant

from .choices import USER


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
