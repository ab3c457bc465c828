"""API endpoints of class requests: one request filled from several banks, all or
none (services/class_requests), on the lending router."""

from __future__ import annotations

import uuid
from typing import Any

from nanum.core.http import ApiRequest
from nanum.core.schemas import IDEMPOTENT

from .. import selectors, services
from ..schemas import (
    ClassBasketIn,
    ClassRequestChangeIn,
    ClassRequestIn,
    ClassRequestOut,
    ReasonIn,
)
from . import _idempotent, _made, _res, router


@router.post(
    "/class-requests",
    response={201: ClassRequestOut},
    summary="Reserve a class set from the nearest banks, all or none (Idempotency-Key accepted)",
    openapi_extra=IDEMPOTENT,
)
def class_requests_create(
    request: ApiRequest, payload: ClassRequestIn
) -> tuple[int, Any]:
    return _idempotent(
        request,
        payload,
        lambda: _made(
            services.class_request_create(
                actor=request.auth,
                equipment_id=payload.equipment_id,
                school_id=payload.school_id,
                quantity=payload.quantity,
                start_date=payload.start_date,
                end_date=payload.end_date,
                fulfilment=payload.fulfilment,
                purpose=payload.purpose,
            )
        ),
    )


@router.post(
    "/class-baskets",
    response={201: ClassRequestOut},
    summary="Reserve several models for a class, all or none (Idempotency-Key accepted)",
    openapi_extra=IDEMPOTENT,
)
def class_baskets_create(
    request: ApiRequest, payload: ClassBasketIn
) -> tuple[int, Any]:
    items = [
        services.BasketItem(equipment_id=i.equipment_id, quantity=i.quantity)
        for i in payload.items
    ]
    return _idempotent(
        request,
        payload,
        lambda: _made(
            services.class_basket_create(
                actor=request.auth,
                items=items,
                school_id=payload.school_id,
                start_date=payload.start_date,
                end_date=payload.end_date,
                fulfilment=payload.fulfilment,
                purpose=payload.purpose,
            )
        ),
    )


@router.get("/class-requests/{group}", response=ClassRequestOut)
def class_requests_get(request: ApiRequest, group: uuid.UUID) -> dict[str, Any]:
    parts = selectors.class_request_parts(actor=request.auth, group=group)
    return _made(services.ClassRequest(id=group, reservations=parts))


@router.post(
    "/class-requests/{group}/change",
    response=ClassRequestOut,
    summary="New dates or units for a whole class request, all parts or none",
)
def class_requests_change(
    request: ApiRequest, group: uuid.UUID, payload: ClassRequestChangeIn
) -> dict[str, Any]:
    made = services.class_request_change(
        actor=request.auth,
        group=group,
        start_date=payload.start_date,
        end_date=payload.end_date,
        quantities={i.equipment_id: i.quantity for i in payload.items},
    )
    return _made(made)


@router.post(
    "/class-requests/{group}/cancel",
    response=ClassRequestOut,
    summary="Cancel every part of a class request, all or none",
)
def class_requests_cancel(
    request: ApiRequest, group: uuid.UUID, payload: ReasonIn
) -> dict[str, Any]:
    parts = services.class_request_cancel(
        actor=request.auth, group=group, reason=payload.reason
    )
    return {
        "id": str(group),
        "quantity": 0,
        "reservations": [_res(r, []) for r in parts],
    }
