"""The insights API under /api/v1/insights/: thin, services and selectors only."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from nanum.core.http import ApiRequest
from nanum.core.idempotency import run_idempotent
from nanum.core.schemas import IDEMPOTENT, Id, Page, PageQuery, page_of
from nanum.core.spreadsheets import file_response

from . import selectors, services
from .schemas import (
    EquityOut,
    EquityQuery,
    ExportIn,
    ExportOut,
    GroupOut,
    NeedImportOut,
    ProjectOut,
    SchoolNeedOut,
    equity_out,
    export_out,
    need_record_out,
    project_out,
)

router = Router()


@router.get("/equity", response=EquityOut, summary="Equity dashboard figures")
def equity(request: ApiRequest, q: Query[EquityQuery]) -> dict[str, Any]:
    board = selectors.equity_dashboard(
        actor=request.auth, filters=selectors.EquityFilters(**q.dict())
    )
    return equity_out(board)


@router.get(
    "/schools/{school_id}/need-index",
    response=SchoolNeedOut,
    summary="A school's need index and how each year was computed",
)
def school_need(request: ApiRequest, school_id: Id) -> dict[str, Any]:
    school = selectors.school_get(actor=request.auth, school_id=school_id)
    return {
        "school": school.pk,
        "name": school.name,
        "need_index": float(school.need_index)
        if school.need_index is not None
        else None,
        "history": [need_record_out(r) for r in selectors.need_history(school=school)],
    }


@router.post(
    "/need-index/imports",
    response={201: NeedImportOut},
    summary="Import a year's need index figures (CSV or Excel; all rows or none)",
    openapi_extra=IDEMPOTENT,
)
def need_import(
    request: ApiRequest, file: File[UploadedFile], source: Form[str] = ""
) -> Status:
    data = file.read(services.NEED_INDEX_LIMITS.max_bytes + 1)

    def create() -> tuple[int, Any]:
        result = services.need_index_import_file(
            actor=request.auth, filename=file.name or "", data=data, source=source
        )
        return 201, result.__dict__

    body = {"file": hashlib.sha256(data).hexdigest(), "source": source}
    return Status(*run_idempotent(request, body, create))


@router.get(
    "/research/projects", response=Page[ProjectOut], summary="My research projects"
)
def projects(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(selectors.project_list(actor=request.auth), page, project_out)


@router.get(
    "/research/projects/{project_id}/exports",
    response=Page[ExportOut],
    summary="A project's exports",
)
def exports(
    request: ApiRequest, project_id: Id, page: Query[PageQuery]
) -> dict[str, Any]:
    project = selectors.project_get(actor=request.auth, project_id=project_id)
    return page_of(selectors.export_list(project=project), page, export_out)


@router.post(
    "/research/projects/{project_id}/exports",
    response={201: ExportOut},
    summary="Make a de-identified export",
    openapi_extra=IDEMPOTENT,
)
def export_create(request: ApiRequest, project_id: Id, payload: ExportIn) -> Status:
    def create() -> tuple[int, Any]:
        export = services.research_export_create(
            actor=request.auth,
            project_id=project_id,
            dataset=payload.dataset,
            fmt=payload.fmt,
            request=request,
        )
        return 201, export_out(export)

    body = {"project": project_id, **payload.dict()}
    return Status(*run_idempotent(request, body, create))


@router.get(
    "/research/exports/{export_id}/file",
    summary="Download an export (CSV or Parquet, as it was made)",
)
def export_file(request: ApiRequest, export_id: Id) -> HttpResponse:
    export = services.research_export_download(
        actor=request.auth, export_id=export_id, request=request
    )
    return file_response(
        bytes(export.content or b""),
        content_type=export.content_type,
        filename=export.filename,
    )


@router.get(
    "/research/projects/{project_id}/aggregate",
    response=Page[GroupOut],
    summary="People and rows per group (groups under k hidden), a page with the total",
)
def aggregate(
    request: ApiRequest,
    project_id: Id,
    dataset: str,
    by: str,
    page: Query[PageQuery],
) -> dict[str, Any]:
    groups = services.research_aggregate(
        actor=request.auth,
        project_id=project_id,
        dataset=dataset,
        by=by,
        request=request,
    )
    return page_of(groups, page, lambda g: g.__dict__)
