"""Reads for the insights app (equity dashboards, research exports). Never a write.

Rows are plain dicts of ids and codes, so that insights needs none of lending's models.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Sum

from nanum.lending.models import Category, Reservation

ALLOCATED = (
    Reservation.Status.CONFIRMED,
    Reservation.Status.OFFERED,
    Reservation.Status.CHECKED_OUT,
    Reservation.Status.RETURNED,
)
USED = (Reservation.Status.CHECKED_OUT, Reservation.Status.RETURNED)


def equity_equipment_rows() -> Iterator[dict[str, Any]]:
    """Every request made in a scarcity round (an allocation round's window):
    tenant, school, requester, equipment category, date, units asked/held/used."""
    rows = (
        Reservation.objects.filter(round__isnull=False)
        .exclude(status=Reservation.Status.CANCELLED)
        .values_list(
            "tenant_id",
            "school_id",
            "requested_by_id",
            "equipment__category",
            "start_date",
            "quantity",
            "status",
        )
    )
    for tenant_id, school_id, user_id, category, day, qty, status in rows.iterator(
        chunk_size=5000
    ):
        yield {
            "tenant_id": tenant_id,
            "school_id": school_id,
            "person_id": user_id,
            "category": category or "",
            "day": day,
            "requested": qty,
            "allocated": qty if status in ALLOCATED else 0,
            "used": qty if status in USED else 0,
        }


def equipment_use_by_school() -> list[dict[str, Any]]:
    """Units borrowed and reservations completed per school (for research exports)."""
    return [
        dict(r)
        for r in Reservation.objects.filter(status__in=USED)
        .values("school_id")
        .annotate(reservations=Count("id"), units=Sum("quantity"))
        .order_by("school_id")
    ]


def equity_category_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in Category.choices}
