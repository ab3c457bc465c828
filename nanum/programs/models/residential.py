"""Residential programmes (a town's dormitory service): the stay's nights, rooms, the
roster, a guardian's consent for a minor and emergency contacts.

A residential programme is a ``Programme`` of kind ``residential``; everything else
(applying, the draw, the waiting list) is the programme's own. A place is *confirmed*
only when a minor's guardian has consented and at least one emergency contact is given;
only confirmed participants are put in rooms.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.fields import EncryptedTextField


class ResidentialStay(models.Model):
    """The nights of a residential programme (check-in day to check-out day)."""

    programme = models.OneToOneField(
        "programs.Programme", on_delete=models.CASCADE, related_name="stay"
    )
    check_in = models.DateField(_("check-in day"))
    check_out = models.DateField(_("check-out day"))
    place = models.CharField(_("where the participants stay"), max_length=200)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(check_out__gt=F("check_in")), name="stay_at_least_one_night"
            )
        ]
        verbose_name = _("residential stay")
        verbose_name_plural = _("residential stays")

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.check_in}–{self.check_out}"


class Room(models.Model):
    class Gender(models.TextChoices):
        FREE = "free", _("Any")
        FEMALE = "female", _("Girls")
        MALE = "male", _("Boys")

    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("room"), max_length=60)
    capacity = models.PositiveSmallIntegerField(_("beds"))
    gender = models.CharField(
        _("for"), max_length=6, choices=Gender.choices, default=Gender.FREE
    )

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="one_room_name_per_programme"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=50),
                name="room_capacity_1_50",
            ),
        ]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.name


class RoomAssignment(models.Model):
    """One participant's bed: one room per application."""

    application = models.OneToOneField(
        "programs.Application", on_delete=models.CASCADE, related_name="room_assignment"
    )
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.room} · {self.application_id}"


class GuardianConsent(models.Model):
    """A guardian's consent to a minor's overnight stay (who, when)."""

    application = models.OneToOneField(
        "programs.Application",
        on_delete=models.CASCADE,
        related_name="guardian_consent",
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    given_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"consent {self.application_id}"


class EmergencyContact(models.Model):
    """Who to call during the stay. Name and phone are encrypted at rest; only the
    organiser sees them, and each view is written to the access log."""

    application = models.ForeignKey(
        "programs.Application",
        on_delete=models.CASCADE,
        related_name="emergency_contacts",
    )
    name = EncryptedTextField(_("name"))
    relation = models.CharField(_("relation"), max_length=40)
    phone = EncryptedTextField(_("phone"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")

    def __str__(self) -> str:
        return f"contact {self.application_id}"
