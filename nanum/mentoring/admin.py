"""Admin: read-mostly views for administrators; writes go through the pages/services."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    CounsellingBooking,
    CounsellingSlot,
    Match,
    MatchRun,
    MenteeSurvey,
    MentorProfile,
    ProblemReport,
    Term,
)


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "tenant", "university", "status", "capacity")
    list_filter = ("tenant", "status")
    search_fields = ("user__username", "user__display_name")
    readonly_fields = (
        "checks",
        "screened_by",
        "screened_at",
        "activated_at",
        "created_at",
    )
    raw_id_fields = ("user",)


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("name", "tenant", "starts_on", "ends_on")
    list_filter = ("tenant",)


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ("term", "status", "objective", "certified", "created_at")
    list_filter = ("status",)
    readonly_fields = ("stats", "objective", "certified", "upper_bound")


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("mentor", "student", "term", "status", "kind", "score")
    list_filter = ("status", "kind", "tenant")
    raw_id_fields = ("mentor", "student", "survey", "run")
    readonly_fields = ("why",)


@admin.register(MenteeSurvey)
class MenteeSurveyAdmin(admin.ModelAdmin):
    list_display = ("student", "term", "level", "mode")
    raw_id_fields = ("student",)


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ("reporter", "tenant", "status", "created_at")
    list_filter = ("status", "tenant")
    raw_id_fields = ("reporter", "match")


@admin.register(CounsellingSlot)
class CounsellingSlotAdmin(admin.ModelAdmin):
    list_display = ("counsellor", "starts_at", "ends_at", "topic", "is_cancelled")


@admin.register(CounsellingBooking)
class CounsellingBookingAdmin(admin.ModelAdmin):
    """Notes are private to the counsellor and the student: not shown here."""

    list_display = ("student", "slot", "topic", "status")
    exclude = ("notes",)
    raw_id_fields = ("student", "slot")
