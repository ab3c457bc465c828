"""Reads for the insights app (equity dashboards, research exports). Never a write."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Count, Q

from nanum.programs.models import Application, Attendance, Programme

PLACED = (
    Application.Status.SELECTED,
    Application.Status.OFFERED,
)


def equity_programme_rows() -> Iterator[dict[str, Any]]:
    """Every application for a place in a student programme: tenant, participant,
    programme kind, date, whether a place was held and whether they attended."""
    attended = set(
        Attendance.objects.filter(present=True)
        .values_list("application_id", flat=True)
        .distinct()
    )
    rows = (
        Application.objects.filter(
            participant__isnull=False,
            programme__audience=Programme.Audience.STUDENTS,
        )
        .exclude(status=Application.Status.WITHDRAWN)
        .values_list(
            "id",
            "programme__tenant_id",
            "participant_id",
            "programme__kind",
            "programme__apply_closes_at",
            "status",
        )
    )
    for app_id, tenant_id, user_id, kind, closes, status in rows.iterator(
        chunk_size=5000
    ):
        placed = status in PLACED
        yield {
            "tenant_id": tenant_id,
            "school_id": None,
            "person_id": user_id,
            "category": kind,
            "day": closes.date(),
            "requested": 1,
            "allocated": 1 if placed else 0,
            "used": 1 if placed and app_id in attended else 0,
        }


def participation_rows(student_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Programme applications of these students, with sessions attended."""
    return [
        dict(r)
        for r in Application.objects.filter(participant_id__in=list(student_ids))
        .values("participant_id", "programme__kind", "status")
        .annotate(attended=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("participant_id", "programme__kind")
    ]


def equity_category_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in Programme.Kind.choices}
