"""Seoul Learn API, mounted at /api/v1/learning/ (thin: schema in, service, schema out)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from nanum.core import clock
from nanum.core.errors import InvalidInput
from nanum.core.http import ApiRequest
from nanum.core.idempotency import run_idempotent
from nanum.core.schemas import IDEMPOTENT, Id, Page, PageQuery, page_of

from .. import selectors, services
from ..models import Application
from ..schemas import (
    AnswerIn,
    ApplicationStaffOut,
    DecisionIn,
    LearningApplicationOut,
    LearningApplyIn,
    LectureOut,
    LecturesIn,
    RecommendationIn,
    SeatChoiceIn,
    SeatOut,
    UsageIn,
    VerifyIn,
)

router = Router()


def _out(app: Application, staff: bool = False) -> dict[str, Any]:
    data = {
        "id": app.pk,
        "town": app.tenant.slug,
        "status": app.status,
        "status_label": str(app.get_status_display()),
        "reason": app.reason,
        "school_level": app.school_level,
        "grade": app.grade,
        "submitted_at": app.submitted_at,
        "decided_at": app.decided_at,
        "valid_until": app.valid_until,
    }
    if staff:
        data.update(
            district=app.district,
            school_name=app.school_name,
            birth_year=app.birth_year,
        )
    return data


@router.post(
    "/applications",
    response={201: LearningApplicationOut},
    summary="Apply to a town's programme (Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def apply(request: ApiRequest, payload: LearningApplyIn) -> Status:
    def create() -> tuple[int, Any]:
        policy = selectors.town_policy_get(slug=payload.town)
        data = services.ApplicationInput(
            **payload.dict(exclude={"town", "student_id"}),
        )
        app = services.application_submit(
            actor=request.auth,
            tenant=policy.tenant,
            data=data,
            student_id=payload.student_id,
        )
        return 201, _out(app)

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get(
    "/applications/mine",
    response=Page[LearningApplicationOut],
    summary="My applications",
)
def mine(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(selectors.my_applications(actor=request.auth), page, _out)


@router.get(
    "/officer/applications",
    response=Page[ApplicationStaffOut],
    summary="Applications of my towns (officers)",
)
def officer_list(
    request: ApiRequest,
    page: Query[PageQuery],
    status: str = "",
    level: str = "",
) -> dict[str, Any]:
    filters = services.ApplicationFilter(status=status, level=level)
    rows = services.applications_open(
        actor=request.auth,
        filters=filters,
        offset=page.offset,
        limit=page.limit,
        request=request,
    )
    count = selectors.application_list(
        actor=request.auth,
        tenant_id=filters.tenant_id,
        status=filters.status,
        level=filters.level,
        district=filters.district,
    ).count()
    return {
        "count": count,
        "items": [_out(a, staff=True) for a in rows],
        "limit": page.limit,
        "offset": page.offset,
    }


@router.get(
    "/officer/applications/{app_id}",
    response=ApplicationStaffOut,
    summary="One application of my towns (officers; access logged)",
)
def officer_detail(request: ApiRequest, app_id: Id) -> dict[str, Any]:
    app = services.application_open(
        actor=request.auth, application_id=app_id, request=request
    )
    return _out(app, staff=True)


@router.get(
    "/officer/documents/{doc_id}",
    summary="Download one document of an application (officers; access logged)",
)
def officer_document(request: ApiRequest, doc_id: Id) -> FileResponse:
    doc = services.document_open(
        actor=request.auth, document_id=doc_id, request=request
    )
    response = FileResponse(
        default_storage.open(doc.file.name or "", "rb"), content_type=doc.content_type
    )
    response["Content-Disposition"] = f'inline; filename="document-{doc.pk}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "/officer/applications/{app_id}/decision",
    response=ApplicationStaffOut,
    summary="Approve, reject, ask for documents, renew or lift a restriction",
)
def decide(request: ApiRequest, app_id: Id, payload: DecisionIn) -> dict[str, Any]:
    app = services.application_decide(
        actor=request.auth,
        application_id=app_id,
        decision=services.DecisionInput(
            action=payload.action,
            reason=payload.reason,
            verified_on=payload.verified_on,
            verified_until=payload.verified_until,
        ),
        request=request,
    )
    return _out(app, staff=True)


@router.post(
    "/seat",
    response={201: dict, 202: dict},
    summary="Choose a provider",
    openapi_extra=IDEMPOTENT,
)
def choose(request: ApiRequest, payload: SeatChoiceIn) -> Status:
    def create() -> tuple[int, Any]:
        seat = services.seat_choose(actor=request.auth, provider_id=payload.provider_id)
        if seat is None:
            return 202, {"status": "waiting_for_seat"}
        return 201, {"status": "seat", "ref": seat.ref, "provider_id": seat.provider_id}

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get(
    "/provider/seats", response=Page[SeatOut], summary="My active seats (providers)"
)
def provider_seat_list(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    provider = selectors.provider_get(actor=request.auth)
    return page_of(
        selectors.provider_seats(provider=provider),
        page,
        lambda s: {
            "ref": s.ref,
            "town": s.tenant.slug,
            "school_level": s.application.school_level,
            "grade": s.application.grade,
            "assigned_at": s.assigned_at,
            "last_used_on": s.last_used_on,
        },
    )


@router.post(
    "/provider/usage",
    response={201: dict},
    summary="Report study minutes (JSON rows; all or nothing)",
    openapi_extra=IDEMPOTENT,
)
def provider_usage(request: ApiRequest, payload: UsageIn) -> Status:
    rows = [r.dict() for r in payload.rows]

    def create() -> tuple[int, Any]:
        return 201, {"imported": services.usage_import(actor=request.auth, rows=rows)}

    return Status(*run_idempotent(request, {"rows": rows}, create))


@router.post(
    "/provider/usage.csv",
    response={201: dict},
    summary="Report study minutes as a CSV file (ref,date,minutes)",
    openapi_extra=IDEMPOTENT,
)
def provider_usage_csv(request: ApiRequest, file: File[UploadedFile]) -> Status:
    if file.size and file.size > 10 * 1024 * 1024:
        raise InvalidInput(field_errors={"file": ["at most 10 MB"]})
    rows = services.usage_parse_csv(file.read())

    def create() -> tuple[int, Any]:
        return 201, {"imported": services.usage_import(actor=request.auth, rows=rows)}

    return Status(*run_idempotent(request, {"rows": rows}, create))


@router.get(
    "/provider/lectures",
    response=Page[LectureOut],
    summary="My lecture catalogue (providers)",
)
def provider_lecture_list(
    request: ApiRequest, page: Query[PageQuery]
) -> dict[str, Any]:
    provider = selectors.provider_get(actor=request.auth)
    return page_of(
        selectors.provider_lectures(provider=provider),
        page,
        lambda lec: {
            "id": lec.pk,
            "title": lec.title,
            "subject": lec.subject,
            "school_level": lec.school_level,
            "grade": lec.grade,
            "standards": list(lec.standards or []),
            "url": lec.url,
            "active": lec.active,
        },
    )


def _lectures_import(
    request: ApiRequest, rows: list[dict[str, Any]]
) -> Callable[[], tuple[int, Any]]:
    def create() -> tuple[int, Any]:
        done = services.lecture_catalogue_import(actor=request.auth, rows=rows)
        return 201, {"created": done.created, "updated": done.updated}

    return create


@router.post(
    "/provider/lectures",
    response={201: dict},
    summary="Add or update lectures, known by URL (JSON rows; all or nothing)",
    openapi_extra=IDEMPOTENT,
)
def provider_lectures_import(request: ApiRequest, payload: LecturesIn) -> Status:
    rows = [
        {
            **r.dict(),
            "grade": "" if r.grade is None else str(r.grade),
            "active": "yes" if r.active else "no",
        }
        for r in payload.rows
    ]
    return Status(
        *run_idempotent(request, {"rows": rows}, _lectures_import(request, rows))
    )


@router.post(
    "/provider/lectures.file",
    response={201: dict},
    summary="Add or update lectures from a CSV or Excel file "
    "(title,subject,level,grade,standards,url; all or nothing)",
    openapi_extra=IDEMPOTENT,
)
def provider_lectures_file(request: ApiRequest, file: File[UploadedFile]) -> Status:
    if file.size and file.size > 5 * 1024 * 1024:
        raise InvalidInput(field_errors={"file": [_("At most 5 MB.")]})
    rows = [
        dict(r)
        for r in services.lecture_rows_read(file.read(), file.name or "upload.csv")
    ]
    return Status(
        *run_idempotent(request, {"rows": rows}, _lectures_import(request, rows))
    )


@router.post(
    "/handoff/verify", response=dict, summary="Providers: verify a hand-off token"
)
def handoff_verify(request: ApiRequest, payload: VerifyIn) -> dict[str, Any]:
    return services.handoff_verify(actor=request.auth, token=payload.token)


@router.post(
    "/answers",
    response={201: dict},
    summary="Record an answer to a quiz item",
    openapi_extra=IDEMPOTENT,
)
def answer(request: ApiRequest, payload: AnswerIn) -> Status:
    def create() -> tuple[int, Any]:
        inter = services.answer_record(
            actor=request.auth,
            item_id=payload.item_id,
            answer=payload.answer,
            duration_ms=payload.duration_ms,
        )
        return 201, {"id": inter.pk, "correct": inter.correct, "skills": inter.skills}

    return Status(*run_idempotent(request, payload.dict(), create))


@router.post(
    "/rewards/recommendations",
    response={201: dict},
    summary="A mentor or teacher recommends a member for & Jump",
)
def recommend(request: ApiRequest, payload: RecommendationIn) -> Status:
    policy = selectors.town_policy_get(slug=payload.town)
    rec = services.recommendation_add(
        actor=request.auth,
        tenant=policy.tenant,
        student=payload.student_id,
        year=clock.today().year,
        note=payload.note,
    )
    return Status(201, {"id": rec.pk})


# Town self-service and & Jump add their endpoints to this router.
from . import children, jump, providers, towns  # noqa: E402,F401
