"""API schemas of insights."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from .models import NeedIndexRecord, ResearchExport, ResearchProject
from .selectors import MIN_CELL, Dashboard


class EquityQuery(Schema):
    resource: str = ""
    term: str = ""
    district_office: int | None = Field(None, ge=1, le=2**63 - 1)
    school_level: str = ""
    by: str = "quintile"


class CellOut(Schema):
    group: str
    label: str
    people: int | None
    requested: int | None
    allocated: int | None
    used: int | None
    allocation_rate: float | None
    utilisation: float | None
    suppressed: bool


class ResourceOut(Schema):
    resource: str
    label: str
    people: int | None
    requested: int | None
    allocated: int | None
    used: int | None
    suppressed: bool
    utilisation: float | None
    priority_share: float | None
    cells: list[CellOut]


class EquityOut(Schema):
    scope: str
    suppressed_below: int | None
    terms: list[str]
    resources: list[ResourceOut]


class NeedRecordOut(Schema):
    year: int
    index: float
    benefit_pct: float
    multicultural_pct: float
    students: int
    district_need: float
    source: str


class NeedImportOut(Schema):
    created: int
    updated: int
    current_changed: int


class SchoolNeedOut(Schema):
    school: int
    name: str
    need_index: float | None
    history: list[NeedRecordOut]


class ProjectOut(Schema):
    id: int
    title: str
    institution: str
    principal_investigator: str
    purpose: str
    irb_ref: str
    status: str
    starts_on: date
    ends_on: date
    datasets: list[str]
    k: int


class ExportIn(Schema):
    dataset: str
    fmt: Literal["csv", "parquet"] = "csv"


class ExportOut(Schema):
    id: int
    project: int
    dataset: str
    fmt: str
    created_at: datetime
    expires_at: datetime
    row_count: int
    people: int
    min_k: int
    suppressed: int
    sha256: str
    download: str


class GroupOut(Schema):
    group: str
    people: int | None
    rows: int | None
    suppressed: bool


def equity_out(board: Dashboard) -> dict[str, Any]:
    return {
        "scope": board.scope.level,
        "suppressed_below": MIN_CELL if board.scope.suppress else None,
        "terms": board.terms,
        "resources": [
            {
                "resource": v.resource,
                "label": v.label,
                "people": v.people,
                "requested": v.requested,
                "allocated": v.allocated,
                "used": v.used,
                "suppressed": v.suppressed,
                "utilisation": v.utilisation,
                "priority_share": v.priority_share,
                "cells": [
                    {
                        "group": c.key,
                        "label": c.label,
                        "people": c.people,
                        "requested": c.requested,
                        "allocated": c.allocated,
                        "used": c.used,
                        "allocation_rate": c.allocation_rate,
                        "utilisation": c.utilisation,
                        "suppressed": c.suppressed,
                    }
                    for c in v.cells
                ],
            }
            for v in board.resources
        ],
    }


def need_record_out(r: NeedIndexRecord) -> dict[str, Any]:
    return {
        "year": r.year,
        "index": float(r.index),
        "benefit_pct": float(r.benefit_pct),
        "multicultural_pct": float(r.multicultural_pct),
        "students": r.students,
        "district_need": float(r.district_need),
        "source": r.source,
    }


def project_out(p: ResearchProject) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "institution": p.institution.name,
        "principal_investigator": p.principal_investigator,
        "purpose": p.purpose,
        "irb_ref": p.irb_ref,
        "status": p.status,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "datasets": p.datasets,
        "k": p.k,
    }


def export_out(e: ResearchExport) -> dict[str, Any]:
    return {
        "id": e.pk,
        "project": e.project_id,
        "dataset": e.dataset,
        "fmt": e.fmt,
        "created_at": e.created_at,
        "expires_at": e.expires_at,
        "row_count": e.row_count,
        "people": e.people,
        "min_k": e.min_k,
        "suppressed": e.suppressed,
        "sha256": e.sha256,
        "download": f"/api/v1/insights/research/exports/{e.pk}/file",
    }
