"""K-STEM Bank reservations: rounds, reservations, allocations, check-in.

The heart is :class:`Allocation`: one asset held for one reservation over a blocked
period (loan period plus preparation, transit and inspection buffers). On PostgreSQL
an exclusion constraint (added by migration 0002) makes two active allocations of
one asset with overlapping blocked periods impossible, whatever the application does.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.models import Organisation, Tenant
from nanum.lending.models.catalogue import Asset, Consumable, EquipmentModel


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


def term_of(day: date) -> tuple[date, date]:
    """The Korean school term containing ``day``: Mar–Aug (1학기), Sep–Feb (2학기)."""
    if 3 <= day.month <= 8:
        return date(day.year, 3, 1), date(day.year, 8, 31)
    year = day.year if day.month >= 9 else day.year - 1
    end = date(year + 1, 3, 1)
    return date(year, 9, 1), date.fromordinal(end.toordinal() - 1)
