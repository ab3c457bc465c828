"""K-STEM Bank data: catalogue, assets, reservations, allocations, circulation.

The heart is :class:`Allocation`: one asset held for one reservation over a blocked
period (loan period plus preparation, transit and inspection buffers). On PostgreSQL
an exclusion constraint (added by migration 0002) makes two active allocations of
one asset with overlapping blocked periods impossible, whatever the application does.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.models import BilingualName, Organisation, Tenant


class Category(models.TextChoices):
    SCIENCE = "science", _("Science")
    MATHS = "maths", _("Maths")
    AI_SW = "ai_sw", _("AI·SW")
    ADVANCED = "advanced", _("Advanced equipment")


class EquipmentModel(BilingualName):
    """A kind of equipment that can be booked: a microscope model, a class kit."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=60)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    maker = models.CharField(_("maker"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    specs = models.JSONField(_("specifications"), default=dict, blank=True)
    photo = models.ImageField(_("photo"), upload_to="lending/photos/", blank=True)
    manual = models.FileField(_("manual"), upload_to="lending/manuals/", blank=True)
    safety_notes = models.TextField(_("safety notes"), blank=True)
    min_grade = models.PositiveSmallIntegerField(_("lowest grade"), default=1)
    max_grade = models.PositiveSmallIntegerField(_("highest grade"), default=12)
    requires_training = models.BooleanField(
        _("safety training required"), default=False
    )
    requires_approval = models.BooleanField(_("approval required"), default=False)
    prep_days = models.PositiveSmallIntegerField(_("preparation days"), default=1)
    inspection_days = models.PositiveSmallIntegerField(_("inspection days"), default=1)
    transit_days = models.PositiveSmallIntegerField(_("transit days"), default=1)
    max_loan_days = models.PositiveSmallIntegerField(
        _("longest loan (days)"), default=14
    )
    replacement_value = models.PositiveIntegerField(
        _("replacement value (KRW)"), default=0
    )
    kit_parts = models.JSONField(
        _("kit parts"),
        default=list,
        blank=True,
        help_text=_("For class kits: the parts checked at return, e.g. 30 micro:bit."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "name_ko"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "code"], name="lending_model_code"
            ),
            models.CheckConstraint(
                condition=Q(min_grade__gte=1)
                & Q(max_grade__lte=12)
                & Q(min_grade__lte=models.F("max_grade")),
                name="lending_model_grades",
            ),
            models.CheckConstraint(
                condition=Q(max_loan_days__gte=1), name="lending_model_max_loan"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "category"])]
        verbose_name = _("equipment model")
        verbose_name_plural = _("equipment models")

    @property
    def is_kit(self) -> bool:
        return bool(self.kit_parts)


class Asset(models.Model):
    """One physical item (or one class kit) with a tag code."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        ON_LOAN = "on_loan", _("On loan")
        IN_TRANSIT = "in_transit", _("In transit")
        IN_REPAIR = "in_repair", _("In repair")
        RETIRED = "retired", _("Retired")

    class Condition(models.TextChoices):
        NEW = "new", _("New")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        DAMAGED = "damaged", _("Damaged")

    BOOKABLE = (Status.AVAILABLE, Status.ON_LOAN, Status.IN_TRANSIT)

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    equipment = models.ForeignKey(
        EquipmentModel,
        on_delete=models.PROTECT,
        related_name="assets",
        verbose_name=_("model"),
    )
    tag_code = models.CharField(_("tag code"), max_length=40, unique=True)
    serial = models.CharField(_("serial number"), max_length=80, blank=True)
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE
    )
    home_bank = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("home bank"),
    )
    location = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("where it is now"),
    )
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["tag_code"]
        indexes = [models.Index(fields=["equipment", "home_bank", "status"])]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self) -> str:
        return f"{self.tag_code} · {self.equipment}"


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


class TrainingRecord(models.Model):
    """A teacher completed the safety training for a model (prerequisite)."""

    def __str__(self) -> str:
        return f"{self.user_id} · {self.equipment_id} until {self.valid_until}"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    equipment = models.ForeignKey(
        EquipmentModel, on_delete=models.CASCADE, related_name="+"
    )
    completed_on = models.DateField(_("completed on"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("safety training record")
        verbose_name_plural = _("safety training records")


class AllocationRound(models.Model):
    """A scarcity round: requests for a booking window are collected, then allocated."""

    class Status(models.TextChoices):
        COLLECTING = "collecting", _("Collecting requests")
        ALLOCATED = "allocated", _("Allocated")

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    window_start = models.DateField(_("window starts"))
    window_end = models.DateField(_("window ends"))
    collect_until = models.DateTimeField(_("requests close"))
    seed = models.BigIntegerField(_("lottery seed"), null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.COLLECTING
    )
    allocated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("allocation round")
        verbose_name_plural = _("allocation rounds")

    def __str__(self) -> str:
        return self.name


class Reservation(models.Model):
    # Tag codes of the units the last ``allocate`` held for it (not stored).
    held_tags: list[str] | None = None

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        OFFERED = "offered", _("Units offered: please accept")
        IN_ROUND = "in_round", _("In the allocation round")
        CHECKED_OUT = "checked_out", _("Checked out")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Offer expired")

    class Fulfilment(models.TextChoices):
        PICKUP = "pickup", _("Pick up at the bank")
        DELIVERY = "delivery", _("Delivery to the school")

    HOLDING = (Status.PENDING, Status.CONFIRMED, Status.OFFERED, Status.CHECKED_OUT)
    OPEN = (*HOLDING, Status.WAITLISTED, Status.IN_ROUND)

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    equipment = models.ForeignKey(
        EquipmentModel,
        on_delete=models.PROTECT,
        related_name="reservations",
        verbose_name=_("model"),
    )
    bank = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("bank")
    )
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("school"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="lending_reservations",
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    fulfilment = models.CharField(
        _("pickup or delivery"),
        max_length=20,
        choices=Fulfilment.choices,
        default=Fulfilment.PICKUP,
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    round = models.ForeignKey(
        AllocationRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    # The day of the last overdue reminder (one a day, however often the task runs).
    last_reminded_on = models.DateField(null=True, blank=True)
    # The class request this reservation is one part of: N units of a model filled
    # from several banks in one transaction (all parts or none). None: a single booking.
    class_request = models.UUIDField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["bank", "status", "start_date"]),
            models.Index(fields=["school", "start_date"]),
            models.Index(fields=["equipment", "bank", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="lending_res_dates",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="lending_res_quantity"
            ),
        ]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")

    def __str__(self) -> str:
        return f"#{self.pk} {self.equipment} ×{self.quantity} {self.start_date}–{self.end_date}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class Allocation(models.Model):
    """One asset held for one reservation over [blocked_from, blocked_until] inclusive."""

    def __str__(self) -> str:
        return f"asset {self.asset_id} {self.blocked_from}–{self.blocked_until}"

    reservation = models.ForeignKey(
        Reservation, on_delete=models.CASCADE, related_name="allocations"
    )
    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="allocations"
    )
    blocked_from = models.DateField()
    blocked_until = models.DateField()
    active = models.BooleanField(default=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["asset", "blocked_until", "blocked_from"],
                condition=Q(active=True),
                name="lending_alloc_active",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(blocked_until__gte=models.F("blocked_from")),
                name="lending_alloc_period",
            )
        ]


class Inspection(models.Model):
    """The check-in checklist for one returned asset."""

    def __str__(self) -> str:
        return f"inspection of allocation {self.allocation_id}"

    allocation = models.OneToOneField(
        Allocation, on_delete=models.CASCADE, related_name="inspection"
    )
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    parts_complete = models.BooleanField(_("all parts present"))
    missing_parts = models.TextField(_("missing parts"), blank=True)
    condition = models.CharField(
        _("condition"), max_length=20, choices=Asset.Condition.choices
    )
    notes = models.TextField(_("damage notes"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="lending/inspections/", blank=True)


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


class Consumable(BilingualName):
    """Stock of a consumable (batteries, slides, filament) at one bank."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(_("unit"), max_length=20, default="ea")
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    reorder_level = models.PositiveIntegerField(_("reorder level"), default=0)

    class Meta:
        verbose_name = _("consumable")
        verbose_name_plural = _("consumables")


class ConsumableIssue(models.Model):
    def __str__(self) -> str:
        return f"{self.quantity} × {self.consumable_id}"

    consumable = models.ForeignKey(
        Consumable, on_delete=models.PROTECT, related_name="issues"
    )
    reservation = models.ForeignKey(
        Reservation, on_delete=models.CASCADE, related_name="consumables"
    )
    quantity = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)


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


def term_of(day: date) -> tuple[date, date]:
    """The Korean school term containing ``day``: Mar–Aug (1학기), Sep–Feb (2학기)."""
    if 3 <= day.month <= 8:
        return date(day.year, 3, 1), date(day.year, 8, 31)
    year = day.year if day.month >= 9 else day.year - 1
    end = date(year + 1, 3, 1)
    return date(year, 9, 1), date.fromordinal(end.toordinal() - 1)
