from __future__ import annotations

from django.contrib import admin

from nanum.core.admin import PlatformAdminOnly, ReadOnlyLogAdmin

from .models import ModelArtefact, RecommendationEvent, Standard


@admin.register(Standard)
class StandardAdmin(PlatformAdminOnly):
    list_display = ("code", "subject", "name_ko", "name_en")
    search_fields = ("code", "name_ko", "name_en")
    filter_horizontal = ("requires",)


@admin.register(ModelArtefact)
class ModelArtefactAdmin(ReadOnlyLogAdmin):
    list_display = ("model_version", "dataset", "created_at", "is_active")


@admin.register(RecommendationEvent)
class RecommendationEventAdmin(ReadOnlyLogAdmin):
    list_display = (
        "student",
        "kind",
        "rank",
        "score",
        "estimator",
        "shown_at",
        "followed_at",
    )
    list_filter = ("kind", "estimator")
