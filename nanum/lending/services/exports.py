"""Catalogue export: models and assets as formula-safe CSV or Excel."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nanum.core import spreadsheets
from nanum.core.models import User

from ..selectors import asset_list_for_staff, model_list

MODEL_COLUMNS = [
    "code",
    "name_ko",
    "name_en",
    "category",
    "maker",
    "min_grade",
    "max_grade",
    "requires_training",
    "requires_approval",
    "prep_days",
    "inspection_days",
    "transit_days",
    "max_loan_days",
    "replacement_value",
    "kit_parts",
    "description",
    "safety_notes",
]
ASSET_COLUMNS = [
    "tag_code",
    "model_code",
    "serial",
    "condition",
    "bank_code",
    "acquired_on",
]


def export_rows(*, kind: str, actor: User) -> tuple[list[str], Iterable[list[Any]]]:
    if kind == "models":
        qs = model_list(actor=actor)
        return MODEL_COLUMNS, (
            [
                m.code,
                m.name_ko,
                m.name_en,
                m.category,
                m.maker,
                m.min_grade,
                m.max_grade,
                "yes" if m.requires_training else "no",
                "yes" if m.requires_approval else "no",
                m.prep_days,
                m.inspection_days,
                m.transit_days,
                m.max_loan_days,
                m.replacement_value,
                ";".join(m.kit_parts),
                m.description,
                m.safety_notes,
            ]
            for m in qs.iterator()
        )
    assets = asset_list_for_staff(actor=actor).select_related("equipment", "home_bank")
    return [*ASSET_COLUMNS, "status", "location_code"], (
        [
            a.tag_code,
            a.equipment.code,
            a.serial,
            a.condition,
            a.home_bank.code,
            a.acquired_on.isoformat() if a.acquired_on else "",
            a.status,
            a.location_id,
        ]
        for a in assets.iterator()
    )


def export_file(*, kind: str, actor: User, fmt: str) -> bytes:
    """The catalogue as formula-safe CSV or Excel (nanum.core.spreadsheets)."""
    header, rows = export_rows(kind=kind, actor=actor)
    body, _content_type = spreadsheets.spreadsheet_bytes(
        header, rows, fmt=fmt, sheet_title=kind
    )
    return body
