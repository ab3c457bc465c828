"""Admin for platform administrators. Towns use Nanum's own pages; as a second line,
every queryset is scoped to the towns the user may see as an officer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from nanum.core.models import User

from .models import (
    SERVICE_CHOICES,
    Application,
    ChangeWindow,
    Course,
    GuardianLink,
    Item,
    Lesson,
    ProviderCourse,
    ProviderProfile,
    Seat,
    SeatAllocation,
    TenantNotice,
    TenantPolicy,
)
from .selectors import officer_tenant_ids


class TownScopedAdmin(admin.ModelAdmin):
    tenant_field = "tenant"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    has_change_permission = has_view_permission
    has_add_permission = has_view_permission
    has_delete_permission = has_view_permission

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        ids = officer_tenant_ids(
            request.user if isinstance(request.user, User) else None
        )
        if ids is None or not self.tenant_field:
            return qs
        return qs.filter(**{f"{self.tenant_field}__in": ids})


class TenantPolicyForm(forms.ModelForm):
    """The services as tick boxes (the town's one switchboard: mentoring included),
    never raw JSON; the model's ``clean`` refuses anything else."""

    services = forms.MultipleChoiceField(
        label=_("services offered"),
        choices=SERVICE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = TenantPolicy
        fields = ["services"]  # the admin adds the other fields

    def clean_services(self) -> list[str]:
        chosen: Any = self.cleaned_data.get("services") or []
        return [key for key, _label in SERVICE_CHOICES if key in chosen]


@admin.register(TenantPolicy)
class TenantPolicyAdmin(TownScopedAdmin):
    form = TenantPolicyForm
    list_display = (
        "tenant",
        "is_open",
        "quota_total",
        "income_line_pct",
        "offers_mentoring",
    )

    @admin.display(boolean=True, description=_("offers mentoring"))
    def offers_mentoring(self, obj: TenantPolicy) -> bool:
        return obj.offers_mentoring


@admin.register(TenantNotice)
class TenantNoticeAdmin(TownScopedAdmin):
    list_display = ("title", "tenant", "published_at")


@admin.register(ChangeWindow)
class ChangeWindowAdmin(TownScopedAdmin):
    list_display = ("tenant", "starts_on", "ends_on")


@admin.register(Application)
class ApplicationAdmin(TownScopedAdmin):
    list_display = ("id", "tenant", "status", "school_level", "submitted_at")
    list_filter = ("status", "school_level", "tenant")
    raw_id_fields = ("student", "applicant", "guardian", "school", "renewal_of")
    exclude = ("category", "sensitive", "full_name", "phone", "address")


@admin.register(SeatAllocation)
class SeatAllocationAdmin(TownScopedAdmin):
    list_display = ("tenant", "provider", "year", "seats", "used")


@admin.register(Seat)
class SeatAdmin(TownScopedAdmin):
    list_display = ("ref", "tenant", "provider", "state", "last_used_on")
    raw_id_fields = ("application", "student", "allocation")


@admin.register(ProviderProfile)
class ProviderProfileAdmin(TownScopedAdmin):
    tenant_field = ""
    list_display = ("organisation", "launch_url")


@admin.register(ProviderCourse)
class ProviderCourseAdmin(TownScopedAdmin):
    tenant_field = ""
    list_display = ("title", "provider", "subject", "school_level", "grade")


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0


@admin.register(Lesson)
class LessonAdmin(TownScopedAdmin):
    tenant_field = ""
    inlines = [ItemInline]
    list_display = ("title", "course", "order")


@admin.register(Course)
class CourseAdmin(TownScopedAdmin):
    tenant_field = ""
    list_display = ("title", "subject", "school_level", "grade", "is_published")


@admin.register(GuardianLink)
class GuardianLinkAdmin(TownScopedAdmin):
    """Administrators link a legal guardian to a child after checking the relation."""

    tenant_field = "child__home_tenant"
    list_display = ("guardian", "child", "created_at")
    raw_id_fields = ("guardian", "child", "confirmed_by")
