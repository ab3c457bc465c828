"""Read-only admin views: every write goes through the services and their pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import NeedIndexRecord, ResearchExport, ResearchProject


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NeedIndexRecord)
class NeedIndexRecordAdmin(ReadOnly):
    list_display = ("school", "year", "index", "benefit_pct", "students", "source")
    list_filter = ("year",)
    search_fields = ("school__name_ko", "school__code")


@admin.register(ResearchProject)
class ResearchProjectAdmin(ReadOnly):
    list_display = ("title", "institution", "status", "starts_on", "ends_on", "irb_ref")


@admin.register(ResearchExport)
class ResearchExportAdmin(ReadOnly):
    list_display = (
        "project",
        "dataset",
        "created_at",
        "row_count",
        "min_k",
        "expires_at",
    )
    exclude = ("content",)
