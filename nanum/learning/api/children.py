"""API twins of the guardian's pages for a child under 14 (views/guardian): add a
child, follow their progress, choose their seat and hand-off, give them a sign-in."""

from __future__ import annotations

from typing import Any

from ninja import Query, Status

from nanum.core.http import ApiRequest
from nanum.core.idempotency import run_idempotent
from nanum.core.schemas import IDEMPOTENT, Id, Page, PageQuery, page_of

from .. import selectors, services
from ..schemas import (
    ChildCodeOut,
    ChildConsentIn,
    ChildHandoffIn,
    ChildIn,
    ChildOut,
    ChildPasswordIn,
    ChildProgressOut,
    ChildSignInOut,
    HandoffOut,
    SeatChoiceIn,
)
from . import router


@router.get("/children", response=Page[ChildOut], summary="My children (guardians)")
def children(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(
        selectors.child_links(actor=request.auth),
        page,
        lambda link: {
            "id": link.child_id,
            "display_name": link.child.display_name,
            "birth_year": link.child.birth_year,
            "confirmed": link.confirmed_by_id is not None,
        },
    )


@router.post(
    "/children",
    response={201: ChildOut},
    summary="Add a child under 14 to apply for (guardians; Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def child_add(request: ApiRequest, payload: ChildIn) -> Status:
    def create() -> tuple[int, Any]:
        child = services.child_register(
            actor=request.auth,
            display_name=payload.display_name,
            birth_year=payload.birth_year,
        )
        return 201, {
            "id": child.pk,
            "display_name": child.display_name,
            "birth_year": child.birth_year,
            "confirmed": False,
        }

    return Status(*run_idempotent(request, payload.dict(), create))


@router.post(
    "/children/{child_id}/sign-in/password",
    response=ChildSignInOut,
    summary="Give a child their own username and password, with your consent "
    "(guardians)",
)
def child_password(
    request: ApiRequest, child_id: Id, payload: ChildPasswordIn
) -> dict[str, Any]:
    child = services.child_password_set(
        actor=request.auth,
        child_id=child_id,
        username=payload.username,
        password=payload.password,
        consent=payload.consent,
    )
    return {"id": child.pk, "username": child.username}


@router.post(
    "/children/{child_id}/sign-in/code",
    response={201: ChildCodeOut},
    summary="A one-time sign-in code for a child, with your consent (guardians; "
    "shown once, works once for 30 minutes; earlier codes stop working)",
)
def child_code(request: ApiRequest, child_id: Id, payload: ChildConsentIn) -> Status:
    code = services.child_code_issue(
        actor=request.auth, child_id=child_id, consent=payload.consent
    )
    minutes = int(services.CHILD_CODE_TTL.total_seconds() // 60)
    return Status(201, {"code": code, "expires_in_minutes": minutes})


@router.get(
    "/children/{child_id}/progress",
    response=ChildProgressOut,
    summary="One child's study, seat and messages (guardians)",
)
def child_progress(request: ApiRequest, child_id: Id) -> dict[str, Any]:
    data = selectors.child_progress(actor=request.auth, child_id=child_id)
    seat, member = data["seat"], data["member"]
    return {
        "id": data["child"].pk,
        "display_name": data["child"].display_name,
        "confirmed": data["link"].confirmed_by_id is not None,
        "membership": member.status if member else None,
        "seat": {
            "ref": seat.ref,
            "provider_id": seat.provider_id,
            "provider": seat.provider.name,
            "town": seat.tenant.slug,
        }
        if seat
        else None,
        "this_week_minutes": data["this_week"],
        "year_minutes": data["year_minutes"],
        "streak_days": data["streak"],
        "mileage": data["mileage"],
        "notifications": len(data["notifications"]),
        "services": data["services"],
    }


@router.post(
    "/children/{child_id}/seat",
    response={201: dict, 202: dict},
    summary="Choose or change a child's lecture site (guardians)",
    openapi_extra=IDEMPOTENT,
)
def child_seat(request: ApiRequest, child_id: Id, payload: SeatChoiceIn) -> Status:
    def create() -> tuple[int, Any]:
        seat = services.child_seat_choose(
            actor=request.auth, child_id=child_id, provider_id=payload.provider_id
        )
        if seat is None:
            return 202, {"status": "waiting_for_seat"}
        return 201, {"status": "seat", "ref": seat.ref, "provider_id": seat.provider_id}

    body = {**payload.dict(), "child_id": child_id}
    return Status(*run_idempotent(request, body, create))


@router.post(
    "/children/{child_id}/handoff",
    response=HandoffOut,
    summary="The provider's launch link for a child's seat (guardians)",
)
def child_handoff(
    request: ApiRequest, child_id: Id, payload: ChildHandoffIn
) -> dict[str, Any]:
    url = services.child_handoff_link(
        actor=request.auth, child_id=child_id, seat_id=payload.seat_id
    )
    return {"url": url}
