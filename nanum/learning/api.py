"""Seoul Learn API, mounted at /api/v1/learning/ (thin: schema in, service, schema out)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Status
from ninja.files import UploadedFile

from nanum.core.errors import InvalidInput, NotFound
from nanum.core.idempotency import run_idempotent
from nanum.core.models import Organisation, User
from nanum.core.services import access_record

from . import selectors
from .models import Application, GuardianLink
from .schemas import (
    AnswerIn,
    ApplicationOut,
    ApplicationStaffOut,
    ApplyIn,
    DecisionIn,
    RecommendationIn,
    SeatChoiceIn,
    SeatOut,
    UsageIn,
    VerifyIn,
)
from .services import applications as app_services
from .services import membership, rewards, seats, study, usage
from .services.common import is_officer

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
    response={201: ApplicationOut},
    summary="Apply to a town's programme (Idempotency-Key supported)",
)
def apply(request: HttpRequest, payload: ApplyIn) -> Status:
    def create() -> tuple[int, Any]:
        policy = selectors.policy_by_slug(payload.town)
        if policy is None:
            raise NotFound()
        student: User = request.user
        if payload.student_id and payload.student_id != request.user.pk:
            link = (
                GuardianLink.objects.filter(
                    guardian=request.user, child_id=payload.student_id
                )
                .select_related("child")
                .first()
            )
            if link is None:
                raise NotFound()
            student = link.child
        provider = None
        if payload.preferred_provider_id:
            provider = Organisation.objects.filter(
                pk=payload.preferred_provider_id, kind="provider"
            ).first()
        data = app_services.ApplicationInput(
            **payload.dict(exclude={"town", "student_id", "preferred_provider_id"}),
            preferred_provider=provider,
        )
        app = app_services.application_submit(
            actor=request.user, tenant=policy.tenant, data=data, student=student
        )
        return 201, _out(app)

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get(
    "/applications/mine", response=list[ApplicationOut], summary="My applications"
)
def mine(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(a) for a in selectors.my_applications(actor=request.user)[:50]]


@router.get(
    "/officer/applications",
    response=list[ApplicationStaffOut],
    summary="Applications of my towns (officers)",
)
def officer_list(
    request: HttpRequest,
    status: str = "",
    level: str = "",
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    if not is_officer(request.user):
        from nanum.core.errors import PermissionDenied

        raise PermissionDenied()
    limit = max(1, min(limit, 500))
    qs = selectors.application_list(actor=request.user, status=status, level=level)
    rows = list(qs[max(0, offset) : max(0, offset) + limit])
    if rows:
        access_record(
            actor=request.user,
            action="view",
            subject=None,
            object_type="learning.Application",
            record_count=len(rows),
            request=request,
            purpose="api list",
        )
    return [_out(a, staff=True) for a in rows]


@router.post(
    "/officer/applications/{app_id}/decision",
    response=ApplicationStaffOut,
    summary="Approve, reject, ask for documents or renew",
)
def decide(request: HttpRequest, app_id: int, payload: DecisionIn) -> dict[str, Any]:
    if not is_officer(request.user):
        raise NotFound()
    if payload.action == "approve":
        app = app_services.application_approve(
            actor=request.user,
            application_id=app_id,
            verified_on=payload.verified_on,
            verified_until=payload.verified_until,
        )
    elif payload.action == "reject":
        app = app_services.application_reject(
            actor=request.user, application_id=app_id, reason=payload.reason
        )
    elif payload.action == "more_info":
        app = app_services.application_request_documents(
            actor=request.user, application_id=app_id, reason=payload.reason
        )
    elif payload.action == "renew":
        app = membership.application_renew(actor=request.user, application_id=app_id)
    else:
        raise InvalidInput(
            field_errors={"action": ["approve, reject, more_info or renew"]}
        )
    access_record(
        actor=request.user,
        action="change",
        subject=app.student,
        object_type="learning.Application",
        object_id=str(app.pk),
        tenant=app.tenant,
        request=request,
    )
    return _out(app, staff=True)


@router.post("/seat", response={201: dict, 202: dict}, summary="Choose a provider")
def choose(request: HttpRequest, payload: SeatChoiceIn) -> Status:
    def create() -> tuple[int, Any]:
        seat = seats.seat_choose(actor=request.user, provider_id=payload.provider_id)
        if seat is None:
            return 202, {"status": "waiting_for_seat"}
        return 201, {"status": "seat", "ref": seat.ref, "provider_id": seat.provider_id}

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get(
    "/provider/seats", response=list[SeatOut], summary="My active seats (providers)"
)
def provider_seat_list(
    request: HttpRequest, limit: int = 1000, offset: int = 0
) -> list[dict[str, Any]]:
    provider = usage.provider_for(request.user)
    limit = max(1, min(limit, 5000))
    rows = selectors.provider_seats(provider=provider)[
        max(0, offset) : max(0, offset) + limit
    ]
    return [
        {
            "ref": s.ref,
            "town": s.tenant.slug,
            "school_level": s.application.school_level,
            "grade": s.application.grade,
            "assigned_at": s.assigned_at,
            "last_used_on": s.last_used_on,
        }
        for s in rows
    ]


@router.post(
    "/provider/usage",
    response={201: dict},
    summary="Report study minutes (JSON rows; all or nothing)",
)
def provider_usage(request: HttpRequest, payload: UsageIn) -> Status:
    rows = [r.dict() for r in payload.rows]

    def create() -> tuple[int, Any]:
        return 201, {"imported": usage.usage_import(actor=request.user, rows=rows)}

    return Status(*run_idempotent(request, {"rows": rows}, create))


@router.post(
    "/provider/usage.csv",
    response={201: dict},
    summary="Report study minutes as a CSV file (ref,date,minutes)",
)
def provider_usage_csv(request: HttpRequest, file: File[UploadedFile]) -> Status:
    if file.size and file.size > 10 * 1024 * 1024:
        raise InvalidInput(field_errors={"file": ["at most 10 MB"]})
    rows = usage.usage_parse_csv(file.read())

    def create() -> tuple[int, Any]:
        return 201, {"imported": usage.usage_import(actor=request.user, rows=rows)}

    return Status(*run_idempotent(request, {"rows": rows}, create))


@router.post(
    "/handoff/verify", response=dict, summary="Providers: verify a hand-off token"
)
def handoff_verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    return seats.handoff_verify(actor=request.user, token=payload.token)


@router.post(
    "/answers", response={201: dict}, summary="Record an answer to a quiz item"
)
def answer(request: HttpRequest, payload: AnswerIn) -> Status:
    def create() -> tuple[int, Any]:
        inter = study.answer_record(
            actor=request.user,
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
def recommend(request: HttpRequest, payload: RecommendationIn) -> Status:
    from django.utils import timezone

    policy = selectors.policy_by_slug(payload.town)
    student = User.objects.filter(pk=payload.student_id).first()
    if policy is None or student is None:
        raise NotFound()
    rec = rewards.recommendation_add(
        actor=request.user,
        tenant=policy.tenant,
        student=student,
        year=timezone.localdate().year,
        note=payload.note,
    )
    return Status(201, {"id": rec.pk})
