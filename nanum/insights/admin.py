"""Read-only admin views: every write goes through the services and their pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.admin import OrganisationAdmin
from nanum.core.models import Organisation

from . import selectors
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


class SchoolNeedIndexAdmin(OrganisationAdmin):
    """Core's organisation admin, with the need index of a school that has imported
    figures read-only: the next import (or the turn of the school year) would put
    the imported value back, so an edit here would silently revert."""

    def _imported(self, obj: Organisation | None) -> bool:
        return (
            obj is not None
            and obj.kind == Organisation.Kind.SCHOOL
            and bool(selectors.need_history(school=obj))
        )

    def get_readonly_fields(
        self, request: HttpRequest, obj: Organisation | None = None
    ) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.kind == Organisation.Kind.SCHOOL:
            fields.append("need_index_source")
            if self._imported(obj):
                fields.append("need_index")
        return fields

    @admin.display(description=_("Where the need index comes from"))
    def need_index_source(self, obj: Organisation) -> str:
        history = selectors.need_history(school=obj)
        if not history:
            return gettext(
                "Typed in by hand: no need index has been imported for this school. "
                "The first yearly import ('nanum need_index import FILE') replaces it."
            )
        this_year = clock.today().year
        current = next((r for r in history if r.year <= this_year), history[-1])
        return gettext(
            "Imported for %(year)s from %(source)s: it cannot be edited here, as the "
            "next import would put it back. Correct the source file and import it "
            "again ('nanum need_index import FILE')."
        ) % {"year": current.year, "source": current.source}


admin.site.unregister(Organisation)
admin.site.register(Organisation, SchoolNeedIndexAdmin)
