"""Read-mostly admin: writes go through the services (the web pages and the API)."""

from __future__ import annotations

from django.contrib import admin

from .models import Application, LabBooking, LabSlot, Programme, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name_ko", "organiser", "kind", "audience", "selection", "status")
    list_filter = ("kind", "audience", "selection", "status")
    search_fields = ("name_ko", "name_en")
    inlines = [SessionInline]
    readonly_fields = ("lottery_seed", "drawn_at", "draw_digest")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("pk", "programme", "route", "status", "via", "waitlist_position")
    list_filter = ("status", "route")
    exclude = ("vulnerability_declaration",)
    readonly_fields = ("programme", "participant", "child", "applied_by")


@admin.register(LabSlot)
class LabSlotAdmin(admin.ModelAdmin):
    list_display = ("lab", "room", "starts_at", "ends_at", "cancelled")


@admin.register(LabBooking)
class LabBookingAdmin(admin.ModelAdmin):
    list_display = ("slot", "school", "class_name", "students", "status")
