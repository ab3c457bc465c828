from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    AccessLog,
    ApiToken,
    AuditLog,
    CalendarDay,
    District,
    Organisation,
    RoleAssignment,
    Tenant,
    User,
)

admin.site.site_header = _("Nanum administration")
admin.site.site_title = _("Nanum administration")


class PlatformAdminOnly(admin.ModelAdmin):
    """The admin is for platform administrators (superusers) only; towns use Nanum's
    own pages, which apply tenant rules."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(Tenant)
class TenantAdmin(PlatformAdminOnly):
    list_display = ("name_ko", "name_en", "slug", "kind", "status", "is_home")
    search_fields = ("name_ko", "name_en", "slug")


@admin.register(Organisation)
class OrganisationAdmin(PlatformAdminOnly):
    list_display = (
        "name_ko",
        "kind",
        "school_level",
        "district",
        "tenant",
        "need_index",
    )
    list_filter = ("kind", "school_level", "bank_type", "point_type", "tenant")
    search_fields = ("name_ko", "name_en", "code")
    list_select_related = ("district", "tenant")
    raw_id_fields = ("parent",)


@admin.register(District)
class DistrictAdmin(PlatformAdminOnly):
    list_display = ("name_ko", "name_en", "district_office", "need_index")


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("organisation",)
    fk_name = "user"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "email", "home_tenant", "is_active")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Nanum"), {"fields": ("display_name", "preferred_language", "home_tenant")}),
    )
    inlines = [RoleInline]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(CalendarDay)
class CalendarDayAdmin(PlatformAdminOnly):
    list_display = ("date", "kind", "name_ko", "name_en", "organisation")
    list_filter = ("kind",)
    date_hierarchy = "date"


class ReadOnlyLogAdmin(PlatformAdminOnly):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyLogAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "tenant")
    list_filter = ("action",)
    search_fields = ("object_type", "object_id")


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyLogAdmin):
    list_display = (
        "at",
        "actor",
        "action",
        "object_type",
        "subject",
        "record_count",
        "ip",
    )
    list_filter = ("action",)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyLogAdmin):
    list_display = ("user", "name", "prefix", "created_at", "expires_at", "revoked_at")
