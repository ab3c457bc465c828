"""API twins of the & Jump pages (views/jump.py): members see the open reward
programmes and apply with an essay; guardians consent to travel; officers open a
programme, shortlist by mileage and select. Every write is one call into
``services.jump``, which checks and audits it."""

from __future__ import annotations

from typing import Any

from ninja import Query, Status

from nanum.core.http import ApiRequest
from nanum.core.idempotency import run_idempotent
from nanum.core.schemas import IDEMPOTENT, Id, Page, PageQuery, page_of

from .. import selectors, services
from ..models import RewardApplication, RewardProgramme
from ..schemas import (
    EssayIn,
    MileageOut,
    RewardApplicantOut,
    RewardApplicationOut,
    RewardDecisionIn,
    RewardProgrammeIn,
    RewardProgrammeOfficerOut,
    RewardProgrammeOut,
    ShortlistOut,
    TravelConsentOut,
)
from . import router
from .towns import require_officer


def _programme(p: RewardProgramme) -> dict[str, Any]:
    return {
        "id": p.pk,
        "town": p.tenant.slug,
        "title": p.title,
        "title_ko": p.title_ko,
        "title_en": p.title_en,
        "description": p.description,
        "criteria": p.criteria,
        "essay_prompt": p.essay_prompt,
        "places": p.places,
        "min_mileage": p.min_mileage,
        "opens_on": p.opens_on,
        "closes_on": p.closes_on,
        "involves_travel": p.involves_travel,
    }


def _officer_programme(
    p: RewardProgramme, apps: list[RewardApplication]
) -> dict[str, Any]:
    selected = RewardApplication.State.SELECTED
    return {
        **_programme(p),
        "applications": len(apps),
        "selected": sum(1 for a in apps if a.state == selected),
    }


def _application(a: RewardApplication) -> dict[str, Any]:
    return {
        "id": a.pk,
        "programme_id": a.programme_id,
        "programme": a.programme.title,
        "town": a.programme.tenant.slug,
        "state": a.state,
        "state_label": str(a.get_state_display()),
        "mileage": a.mileage,
        "essay": a.essay,
        "submitted_at": a.submitted_at,
        "decided_at": a.decided_at,
        "travel_consent_at": a.travel_consent_at,
    }


def _applicant(a: RewardApplication) -> dict[str, Any]:
    return {
        **_application(a),
        "student_id": a.student_id,
        "student": a.student.display_name,
        "recommended": bool(getattr(a, "recommended", False)),
    }


def _consent(a: RewardApplication) -> dict[str, Any]:
    return {
        "application_id": a.pk,
        "programme": a.programme.title,
        "student": a.student.display_name,
        "travel_consent_at": a.travel_consent_at,
    }


# --- Members and guardians -----------------------------------------------------------


@router.get(
    "/jump/programmes",
    response=Page[RewardProgrammeOut],
    summary="& Jump programmes open to me that I have not applied to (members)",
)
def jump_programmes(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(selectors.reward_programmes_to_apply(request.auth), page, _programme)


@router.get(
    "/jump/programmes/{programme_id}",
    response=RewardProgrammeOut,
    summary="One & Jump programme of my towns, with its essay question (members)",
)
def jump_programme(request: ApiRequest, programme_id: Id) -> dict[str, Any]:
    return _programme(
        selectors.reward_programme_member_get(
            actor=request.auth, programme_id=programme_id
        )
    )


@router.post(
    "/jump/programmes/{programme_id}/applications",
    response={201: RewardApplicationOut},
    summary="Apply to an & Jump programme with a short essay (members; "
    "Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def jump_apply(request: ApiRequest, programme_id: Id, payload: EssayIn) -> Status:
    def create() -> tuple[int, Any]:
        application = services.reward_apply(
            actor=request.auth, programme_id=programme_id, essay=payload.essay
        )
        return 201, _application(application)

    body = {**payload.dict(), "programme_id": programme_id}
    return Status(*run_idempotent(request, body, create))


@router.get(
    "/jump/applications",
    response=Page[RewardApplicationOut],
    summary="My & Jump applications",
)
def jump_applications(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(selectors.my_reward_applications(request.auth), page, _application)


@router.get("/jump/mileage", response=MileageOut, summary="My mileage this year")
def jump_mileage(request: ApiRequest) -> dict[str, Any]:
    return {"mileage": selectors.student_mileage(student_id=request.auth.pk)}


@router.get(
    "/jump/consents",
    response=Page[TravelConsentOut],
    summary="My children's places that wait for my travel consent (guardians)",
)
def jump_consents(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(selectors.travel_consents_pending(request.auth), page, _consent)


@router.post(
    "/jump/applications/{application_id}/consent",
    response=TravelConsentOut,
    summary="Consent to the travel of my child's & Jump place (guardians)",
)
def jump_consent(request: ApiRequest, application_id: Id) -> dict[str, Any]:
    application = services.reward_travel_consent(
        actor=request.auth, application_id=application_id
    )
    return _consent(application)


# --- Officers ------------------------------------------------------------------------


@router.get(
    "/officer/jump/programmes",
    response=Page[RewardProgrammeOut],
    summary="& Jump programmes of my towns (officers)",
)
def officer_programmes(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    require_officer(request)
    return page_of(
        selectors.reward_programmes_for_officer(request.auth), page, _programme
    )


@router.post(
    "/officer/jump/programmes",
    response={201: RewardProgrammeOut},
    summary="Open an & Jump programme in one of my towns (officers; "
    "Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def officer_programme_create(request: ApiRequest, payload: RewardProgrammeIn) -> Status:
    require_officer(request)

    def create() -> tuple[int, Any]:
        programme = services.reward_programme_create(
            actor=request.auth,
            tenant_id=payload.town_id,
            data=services.ProgrammeInput(**payload.dict(exclude={"town_id"})),
        )
        return 201, _programme(programme)

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get(
    "/officer/jump/programmes/{programme_id}",
    response=RewardProgrammeOfficerOut,
    summary="One & Jump programme of my towns with its counts (officers)",
)
def officer_programme(request: ApiRequest, programme_id: Id) -> dict[str, Any]:
    require_officer(request)
    programme = selectors.reward_programme_officer_get(
        actor=request.auth, programme_id=programme_id
    )
    return _officer_programme(
        programme, selectors.reward_applications_for_officer(programme)
    )


@router.get(
    "/officer/jump/programmes/{programme_id}/applications",
    response=Page[RewardApplicantOut],
    summary="A programme's applicants, best mileage first (officers)",
)
def officer_applicants(
    request: ApiRequest, programme_id: Id, page: Query[PageQuery]
) -> dict[str, Any]:
    require_officer(request)
    programme = selectors.reward_programme_officer_get(
        actor=request.auth, programme_id=programme_id
    )
    return page_of(
        selectors.reward_applications_for_officer(programme), page, _applicant
    )


@router.post(
    "/officer/jump/programmes/{programme_id}/shortlist",
    response=ShortlistOut,
    summary="Shortlist the best applicants by mileage, twice the places (officers)",
)
def officer_shortlist(request: ApiRequest, programme_id: Id) -> dict[str, Any]:
    require_officer(request)
    n = services.reward_shortlist_make(actor=request.auth, programme_id=programme_id)
    return {"shortlisted": n}


@router.post(
    "/officer/jump/applications/{application_id}/decision",
    response=RewardApplicantOut,
    summary="Select or turn down one shortlisted applicant (officers)",
)
def officer_decide(
    request: ApiRequest, application_id: Id, payload: RewardDecisionIn
) -> dict[str, Any]:
    require_officer(request)
    application = services.reward_select(
        actor=request.auth,
        application_id=application_id,
        select=payload.decision == "select",
    )
    return _applicant(application)
