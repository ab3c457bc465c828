"""API endpoints of research equipment from ZEUS (services/research.py,
selectors/research.py), on the lending router."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Query

from nanum.core.errors import PermissionDenied
from nanum.core.http import ApiRequest
from nanum.core.schemas import IDEMPOTENT, Id, Page, PageQuery, page_of

from .. import selectors, services
from ..schemas import (
    RESEARCH_ACTIONS,
    ReasonIn,
    ResearchConditionsIn,
    ResearchConditionsOut,
    ResearchItemOut,
    ResearchRequestIn,
    ResearchRequestOut,
    ResearchSlotIn,
    ResearchSlotOut,
)
from . import _idempotent, router


# The answers of these endpoints, built from the models (their schemas are in
# ``schemas.py``).
def research_slot_out(s: Any) -> dict[str, Any]:
    return {f: getattr(s, f) for f in ResearchSlotIn.model_fields} | {
        "id": s.pk,
        "item_id": s.item_id,
        "cancelled": s.cancelled_at is not None,
        "booked": getattr(s, "booking", None) is not None,
    }


def research_item_out(i: Any) -> dict[str, Any]:
    return {f: getattr(i, f) for f in ResearchItemOut.model_fields if f != "id"} | {
        "id": i.pk
    }


def research_conditions_out(i: Any) -> dict[str, Any]:
    fields = ResearchConditionsIn.model_fields
    return {f: getattr(i, f) for f in fields if f != "note"} | {
        "note": i.conditions_note,
        "item_id": i.pk,
        "local_fields": list(i.local_fields or ()),
    }


def research_request_out(r: Any) -> dict[str, Any]:
    return {f: getattr(r, f) for f in ResearchRequestOut.model_fields if f != "id"} | {
        "id": r.pk
    }


@router.get("/research/items", response=Page[ResearchItemOut], summary="ZEUS items")
def research_items(
    request: ApiRequest, page: Query[PageQuery], q: str = ""
) -> dict[str, Any]:
    qs = selectors.research_item_list(actor=request.auth, q=q[:100])
    return page_of(qs, page, research_item_out)


@router.get("/research/items/{item_id}", response=ResearchItemOut)
def research_item(request: ApiRequest, item_id: Id) -> dict[str, Any]:
    central = selectors.is_central_bank_staff(request.auth)
    item = selectors.research_item_get(
        actor=request.auth, item_id=item_id, hidden=central
    )
    return research_item_out(item)


@router.get(
    "/research/items/{item_id}/conditions",
    response=ResearchConditionsOut,
    summary="Conditions of use of a ZEUS item (central bank staff)",
)
def research_conditions(request: ApiRequest, item_id: Id) -> dict[str, Any]:
    item = selectors.research_conditions_item(actor=request.auth, item_id=item_id)
    return research_conditions_out(item)


@router.put(
    "/research/items/{item_id}/conditions",
    response=ResearchConditionsOut,
    summary="Set the conditions of use of a ZEUS item (kept through syncs)",
)
def research_conditions_set(
    request: ApiRequest, item_id: Id, payload: ResearchConditionsIn
) -> dict[str, Any]:
    item = services.research_conditions_set(
        actor=request.auth, item_id=item_id, **payload.dict()
    )
    return research_conditions_out(item)


@router.delete(
    "/research/items/{item_id}/conditions",
    response=ResearchConditionsOut,
    summary="Take the conditions of use from ZEUS again at the next sync",
)
def research_conditions_reset(request: ApiRequest, item_id: Id) -> dict[str, Any]:
    item = services.research_conditions_reset(actor=request.auth, item_id=item_id)
    return research_conditions_out(item)


@router.get(
    "/research/items/{item_id}/slots",
    response=Page[ResearchSlotOut],
    summary="Visit slots of a ZEUS item: free ones (teachers), every live one (bank)",
)
def research_slots(
    request: ApiRequest, item_id: Id, page: Query[PageQuery]
) -> dict[str, Any]:
    slots = selectors.research_slot_list(actor=request.auth, item_id=item_id)
    return page_of(slots, page, research_slot_out)


@router.post(
    "/research/items/{item_id}/slots",
    response={201: ResearchSlotOut},
    summary="Publish a visit slot (central bank staff; Idempotency-Key accepted)",
    openapi_extra=IDEMPOTENT,
)
def research_slot_create(
    request: ApiRequest, item_id: Id, payload: ResearchSlotIn
) -> tuple[int, Any]:
    return _idempotent(
        request,
        payload,
        lambda: research_slot_out(
            services.research_slot_create(
                actor=request.auth, item_id=item_id, **payload.dict()
            )
        ),
    )


@router.post(
    "/research/items/{item_id}/slots/{slot_id}/cancel",
    response=ResearchSlotOut,
    summary="Cancel a visit slot nobody has booked (central bank staff)",
)
def research_slot_cancel(
    request: ApiRequest, item_id: Id, slot_id: Id
) -> dict[str, Any]:
    slot = services.research_slot_cancel(
        actor=request.auth, item_id=item_id, slot_id=slot_id
    )
    return research_slot_out(slot)


@router.post(
    "/research/requests",
    response={201: ResearchRequestOut},
    summary="Request a ZEUS item (Idempotency-Key accepted)",
    openapi_extra=IDEMPOTENT,
)
def research_requests_create(
    request: ApiRequest, payload: ResearchRequestIn
) -> tuple[int, Any]:
    return _idempotent(
        request,
        payload,
        lambda: research_request_out(
            services.research_request_create(actor=request.auth, **payload.dict())
        ),
    )


@router.get("/research/requests", response=Page[ResearchRequestOut])
def research_requests(
    request: ApiRequest,
    page: Query[PageQuery],
    scope: Literal["mine", "review", "bank"] = "mine",
) -> dict[str, Any]:
    if scope == "review" and not selectors.is_central_bank_staff(request.auth):
        raise PermissionDenied()
    qs = selectors.research_request_list(actor=request.auth, scope=scope)
    return page_of(qs, page, research_request_out)


@router.get("/research/requests/{rid}", response=ResearchRequestOut)
def research_request(request: ApiRequest, rid: Id) -> dict[str, Any]:
    return research_request_out(
        selectors.research_request_get(actor=request.auth, request_id=rid)
    )


@router.post("/research/requests/{rid}/{action}", response=ResearchRequestOut)
def research_request_act(
    request: ApiRequest, rid: Id, action: RESEARCH_ACTIONS, payload: ReasonIn
) -> dict[str, Any]:
    actor, pk = request.auth, rid
    if action == "cancel":
        r = services.research_request_cancel(actor=actor, request_id=pk)
    elif action == "forward":
        r = services.research_request_forward(actor=actor, request_id=pk)
    elif action == "refuse":
        r = services.research_request_refuse(
            actor=actor, request_id=pk, reason=payload.reason
        )
    else:
        r = services.research_request_hand_over(actor=actor, request_id=pk, step=action)
    return research_request_out(r)
