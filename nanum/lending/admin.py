"""Admin for the K-STEM Bank: catalogue, calendar-like policies, training records.

Writes that have rules (reservations, circulation) go through the pages and the API,
so reservations are read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    AllocationRound,
    Asset,
    BankPolicy,
    Consumable,
    EquipmentModel,
    MaintenanceTicket,
    ResearchItem,
    ResearchRequest,
    Reservation,
    TrainingRecord,
    Transfer,
    ZeusSync,
)


@admin.register(EquipmentModel)
class EquipmentModelAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_ko",
        "category",
        "requires_training",
        "requires_approval",
        "max_loan_days",
    )
    list_filter = ("category", "requires_training", "requires_approval", "tenant")
    search_fields = ("code", "name_ko", "name_en", "maker")


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = (
        "tag_code",
        "equipment",
        "status",
        "condition",
        "home_bank",
        "location",
    )
    list_filter = ("status", "condition", "home_bank")
    search_fields = ("tag_code", "serial")
    raw_id_fields = ("equipment", "home_bank", "location")


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "equipment",
        "quantity",
        "school",
        "bank",
        "start_date",
        "end_date",
        "status",
    )
    list_filter = ("status", "bank")
    date_hierarchy = "start_date"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(BankPolicy)
admin.site.register(
    TrainingRecord, list_display=("user", "equipment", "completed_on", "valid_until")
)
admin.site.register(
    AllocationRound,
    list_display=("name", "bank", "window_start", "window_end", "status", "seed"),
)
admin.site.register(
    Consumable, list_display=("name_ko", "bank", "stock", "reorder_level")
)
admin.site.register(
    MaintenanceTicket, list_display=("asset", "status", "opened_at", "expected_back")
)
admin.site.register(
    Transfer, list_display=("asset", "from_org", "to_org", "status", "sent_at")
)


class _ReadOnly(admin.ModelAdmin):
    """Research equipment comes from ZEUS and its requests have rules: read-only."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ResearchItem)
class ResearchItemAdmin(_ReadOnly):
    list_display = ("nfec_no", "name_ko", "owner_name", "idle_status", "withdrawn_at")
    list_filter = ("idle_status", "use_scope", "lending", "source", "tenant")
    search_fields = ("nfec_no", "name_ko", "name_en", "owner_name")


@admin.register(ResearchRequest)
class ResearchRequestAdmin(_ReadOnly):
    list_display = ("pk", "item", "school", "mode", "start_date", "status")
    list_filter = ("status", "mode", "tenant")


@admin.register(ZeusSync)
class ZeusSyncAdmin(_ReadOnly):
    list_display = ("pk", "bank", "source", "status", "added", "changed", "withdrawn")
    list_filter = ("status", "source")
