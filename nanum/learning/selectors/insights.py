"""Reads for the insights app (equity dashboards, research exports). Never a write.

Rows are plain dicts of ids and codes; the eligibility category is decrypted here and
only its code leaves (the dashboard counts people per category, never names them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from nanum.learning.models import (
    Application,
    Category,
    GuardianLink,
    Interaction,
    Item,
    Seat,
    Status,
)

ASKED = (
    Status.SUBMITTED,
    Status.MORE_INFO,
    Status.WAITING,
    Status.APPROVED,
    Status.REJECTED,
    Status.EXPIRED,
)


def equity_place_rows() -> Iterator[dict[str, Any]]:
    """Every application for a Seoul Learn place (and, for members, a seat)."""
    seats: dict[int, bool] = {}
    for app_id, last_used in Seat.objects.values_list(
        "application_id", "last_used_on"
    ).iterator(chunk_size=5000):
        seats[app_id] = seats.get(app_id, False) or last_used is not None
    rows = Application.objects.filter(status__in=ASKED).only(
        "id",
        "tenant_id",
        "student_id",
        "school_id",
        "school_level",
        "category",
        "submitted_at",
        "place_since",
        "status",
    )
    for app in rows.iterator(chunk_size=2000):
        placed = app.place_since is not None or app.status == Status.APPROVED
        yield {
            "resource": "learn_place",
            "tenant_id": app.tenant_id,
            "school_id": app.school_id,
            "school_level": app.school_level,
            "person_id": app.student_id,
            "category": str(app.category or "")[:40],
            "day": app.submitted_at.date(),
            "requested": 1,
            "allocated": 1 if placed else 0,
            "used": 1 if app.pk in seats else 0,
        }
        if placed:
            yield {
                "resource": "learn_seat",
                "tenant_id": app.tenant_id,
                "school_id": app.school_id,
                "school_level": app.school_level,
                "person_id": app.student_id,
                "category": str(app.category or "")[:40],
                "day": (app.place_since or app.submitted_at).date(),
                "requested": 1,
                "allocated": 1 if app.pk in seats else 0,
                "used": 1 if seats.get(app.pk) else 0,
            }


def is_guardian_of(*, guardian_id: int, child_id: int) -> bool:
    return GuardianLink.objects.filter(
        guardian_id=guardian_id, child_id=child_id
    ).exists()


def children_of(*, guardian_id: int) -> list[int]:
    return list(
        GuardianLink.objects.filter(guardian_id=guardian_id).values_list(
            "child_id", flat=True
        )
    )


def research_interactions(
    student_ids: Iterable[int], *, chunk_size: int = 20000
) -> Iterator[tuple[int, int, bool, datetime, int]]:
    """(student id, item id, correct, answered at, duration ms) of these students."""
    ids = list(student_ids)
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        rows = (
            Interaction.objects.filter(student_id__in=part)
            .order_by("student_id", "answered_at", "id")
            .values_list(
                "student_id", "item_id", "correct", "answered_at", "duration_ms"
            )
        )
        yield from rows.iterator(chunk_size=chunk_size)


def member_facts(student_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Per student, from their latest application: birth year, school level, school
    and town (the quasi-identifiers a research export generalises)."""
    facts: dict[int, dict[str, Any]] = {}
    rows = (
        Application.objects.filter(student_id__in=list(student_ids))
        .order_by("student_id", "-submitted_at")
        .values_list(
            "student_id", "birth_year", "school_level", "school_id", "tenant_id"
        )
    )
    for student_id, born, level, school_id, tenant_id in rows:
        facts.setdefault(
            student_id,
            {
                "birth_year": born,
                "school_level": level,
                "school_id": school_id,
                "tenant_id": tenant_id,
            },
        )
    return facts


def approved_member_ids(*, tenant_id: int, limit: int) -> list[int]:
    """Students with an approved Seoul Learn membership in a town (demo data)."""
    return list(
        Application.objects.filter(tenant_id=tenant_id, status=Status.APPROVED)
        .order_by("pk")
        .values_list("student_id", flat=True)[:limit]
    )


def published_item_ids(*, limit: int = 50) -> list[int]:
    return list(
        Item.objects.filter(lesson__course__is_published=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def equity_category_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in Category.choices}
