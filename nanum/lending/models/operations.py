"""K-STEM Bank operations: bank policies, damage, maintenance, transfers, feeds, imports."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Organisation, Tenant
from nanum.lending.models.catalogue import Asset
from nanum.lending.models.reservations import Reservation


class BankPolicy(models.Model):
    """Lending rules of one bank; banks without a row use the defaults."""

    def __str__(self) -> str:
        return f"{self.bank_id} policy"

    bank = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=3)
    term_quota_units = models.PositiveSmallIntegerField(
        _("units per school per term"), default=60
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("waitlist offer valid (hours)"), default=48
    )

    DEFAULTS = {"lead_time_days": 3, "term_quota_units": 60, "offer_hours": 48}

    class Meta:
        verbose_name = _("bank policy")
        verbose_name_plural = _("bank policies")


class DamageReport(models.Model):
    def __str__(self) -> str:
        return f"{self.kind} · asset {self.asset_id}"

    class Kind(models.TextChoices):
        DAMAGE = "damage", _("Damage")
        LOSS = "loss", _("Loss")

    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="damage_reports"
    )
    reservation = models.ForeignKey(
        Reservation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("description"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)


class MaintenanceTicket(models.Model):
    def __str__(self) -> str:
        return f"ticket {self.pk} · asset {self.asset_id}"

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="tickets")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    expected_back = models.DateField(_("expected back"), null=True, blank=True)
    description = models.TextField(_("problem"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    retire = models.BooleanField(_("retire the asset"), default=False)


class Transfer(models.Model):
    """An asset moving between banks or lending points; in transit until received."""

    def __str__(self) -> str:
        return f"transfer {self.pk} · asset {self.asset_id}"

    class Status(models.TextChoices):
        IN_TRANSIT = "in_transit", _("In transit")
        RECEIVED = "received", _("Received")

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="transfers")
    from_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    rehome = models.BooleanField(_("new home bank"), default=False)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.IN_TRANSIT
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(null=True, blank=True)
    previous_status = models.CharField(max_length=20, default=Asset.Status.AVAILABLE)


class CalendarFeed(models.Model):
    """The secret address of a teacher's iCal feed."""

    def __str__(self) -> str:
        return f"feed of {self.user_id}"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(default=timezone.now)


class ImportJob(models.Model):
    """A large catalogue import run by the worker, and its progress (all rows or none).

    The uploaded file is kept in private storage until the job ends.
    """

    class Kind(models.TextChoices):
        MODELS = "models", _("Equipment models")
        ASSETS = "assets", _("Assets")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Nothing was imported")

    def __str__(self) -> str:
        return f"import {self.pk} ({self.kind}, {self.status})"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    filename = models.CharField(_("file"), max_length=200)
    stored_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_read = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    imported = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    row_errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
