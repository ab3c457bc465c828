"""The K-STEM Bank API under /api/v1/lending/: thin calls into services and selectors."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Query, Router, Schema

from nanum.core import clock
from nanum.core.errors import InvalidInput
from nanum.core.http import ApiRequest
from nanum.core.idempotency import idempotent
from nanum.core.schemas import IDEMPOTENT, Id, Page, PageQuery, page_of

from . import selectors, services
from .models import (
    AllocationRound,
    Category,
    EquipmentModel,
    MaintenanceTicket,
    Reservation,
    Transfer,
)
from .schemas import (
    AssetOut,
    AvailabilityOut,
    BankOut,
    BoardOut,
    ChangeIn,
    CheckinIn,
    CheckoutIn,
    ClassBasketIn,
    ClassRequestIn,
    ClassRequestOut,
    DamageIn,
    ModelOut,
    ReasonIn,
    ReservationIn,
    ReservationOut,
    RoundIn,
    RoundOut,
    RoundRunIn,
    TicketIn,
    TicketOut,
    TrainingIn,
    TransferIn,
    TransferOut,
)

router = Router()

AVAILABILITY_PAGE = selectors.PAGE_SIZE


def _model(m: EquipmentModel) -> dict[str, Any]:
    return {f: getattr(m, f) for f in ModelOut.model_fields}


def _res(r: Reservation, tags: list[str] | None = None) -> dict[str, Any]:
    if tags is None:
        tags = getattr(r, "held_tags", None)
    if tags is None:
        tags = list(
            r.allocations.filter(active=True)
            .order_by("asset__tag_code")
            .values_list("asset__tag_code", flat=True)
        )
    return {
        "id": r.pk,
        "equipment_id": r.equipment_id,
        "bank_id": r.bank_id,
        "school_id": r.school_id,
        "quantity": r.quantity,
        "start_date": r.start_date,
        "end_date": r.end_date,
        "fulfilment": r.fulfilment,
        "purpose": r.purpose,
        "status": r.status,
        "reason": r.reason,
        "offer_expires_at": r.offer_expires_at,
        "asset_tags": tags,
    }


class ModelFilter(Schema):
    q: str = Field("", max_length=100)
    category: Category | None = None
    grade: int | None = Field(None, ge=1, le=12)


@router.get("/models", response=Page[ModelOut], summary="Catalogue of equipment models")
def models_list(
    request: ApiRequest, filters: Query[ModelFilter], page: Query[PageQuery]
) -> dict[str, Any]:
    qs = selectors.model_list(
        actor=request.auth,
        q=filters.q,
        category=filters.category or "",
        grade=filters.grade,
    )
    return page_of(qs, page, _model)


@router.get("/models/{model_id}", response=ModelOut)
def models_get(request: ApiRequest, model_id: Id) -> dict[str, Any]:
    return _model(selectors.model_get(actor=request.auth, model_id=model_id))


class AvailabilityQuery(Schema):
    start: date
    end: date
    quantity: int = Field(1, ge=1, le=500)
    q: str = Field("", max_length=100)
    category: Category | None = None
    grade: int | None = Field(None, ge=1, le=12)
    school_id: Id | None = None


class AvailabilityPage(PageQuery):
    limit: int = Field(AVAILABILITY_PAGE, ge=1, le=200)


@router.get(
    "/availability",
    response=Page[AvailabilityOut],
    summary="Free units per bank for a period",
)
def availability(
    request: ApiRequest,
    params: Query[AvailabilityQuery],
    page: Query[AvailabilityPage],
) -> dict[str, Any]:
    if params.end < params.start:
        raise InvalidInput(field_errors={"end": ["must not be before start"]})
    if (params.end - params.start).days > 366:
        raise InvalidInput(field_errors={"end": ["period too long"]})
    count = selectors.model_list(
        actor=request.auth,
        q=params.q,
        category=params.category or "",
        grade=params.grade,
    ).count()
    # The search works in pages of AVAILABILITY_PAGE models; read the ones we need.
    first = page.offset // AVAILABILITY_PAGE
    last = (min(page.offset + page.limit, count) - 1) // AVAILABILITY_PAGE
    results = []
    for number in range(first + 1, last + 2):
        found, _more = selectors.availability_search(
            actor=request.auth,
            start=params.start,
            end=params.end,
            quantity=params.quantity,
            q=params.q,
            category=params.category or "",
            grade=params.grade,
            school_id=params.school_id,
            page=number,
        )
        results.extend(found)
    skip = page.offset - first * AVAILABILITY_PAGE
    items = [
        {
            "model": _model(r.model),
            "banks": [
                {
                    "bank_id": b.bank.pk,
                    "bank": b.bank.name,
                    "free": b.free,
                    "same_district": b.same_district,
                    "collect_at": b.collect_at,
                }
                for b in r.banks
            ],
            "alternatives": [
                {
                    "start": a["start"],
                    "end": a["end"],
                    "bank_id": a["bank"].pk,
                    "free": a["free"],
                }
                for a in r.alternatives
            ],
        }
        for r in results[skip : skip + page.limit]
    ]
    return {"count": count, "items": items, "limit": page.limit, "offset": page.offset}


@router.get("/assets", response=Page[AssetOut], summary="Assets of your banks (staff)")
def assets_list(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    # someone who is staff of no bank gets an empty list from the selector
    qs = selectors.asset_list_for_staff(actor=request.auth).order_by("pk")
    return page_of(qs, page)


@router.get("/reservations", response=Page[ReservationOut])
def reservations_list(
    request: ApiRequest, page: Query[PageQuery], scope: str = "mine"
) -> dict[str, Any]:
    qs = selectors.reservation_list(
        actor=request.auth, scope="staff" if scope == "staff" else "mine"
    )
    return page_of(
        qs.prefetch_related("allocations__asset"),
        page,
        lambda r: _res(r, [a.asset.tag_code for a in r.allocations.all() if a.active]),
    )


@router.post(
    "/reservations",
    response={201: ReservationOut},
    summary="Reserve units (Idempotency-Key accepted)",
    openapi_extra=IDEMPOTENT,
)
def reservations_create(request: ApiRequest, payload: ReservationIn) -> tuple[int, Any]:
    data = payload.dict()

    def create() -> tuple[int, Any]:
        r = services.reservation_create(
            actor=request.auth,
            equipment_id=payload.equipment_id,
            bank_id=payload.bank_id,
            school_id=payload.school_id,
            quantity=payload.quantity,
            start_date=payload.start_date,
            end_date=payload.end_date,
            fulfilment=payload.fulfilment,
            purpose=payload.purpose,
            waitlist=payload.waitlist,
        )
        return 201, _res(r)

    return idempotent(request, data, create)


@router.post(
    "/class-requests",
    response={201: ClassRequestOut},
    summary="Reserve a class set from the nearest banks, all or none (Idempotency-Key accepted)",
    openapi_extra=IDEMPOTENT,
)
def class_requests_create(
    request: ApiRequest, payload: ClassRequestIn
) -> tuple[int, Any]:
    data = payload.dict()

    def create() -> tuple[int, Any]:
        made = services.class_request_create(
            actor=request.auth,
            equipment_id=payload.equipment_id,
            school_id=payload.school_id,
            quantity=payload.quantity,
            start_date=payload.start_date,
            end_date=payload.end_date,
            fulfilment=payload.fulfilment,
            purpose=payload.purpose,
        )
        return 201, {
            "id": str(made.id),
            "quantity": made.quantity,
            "reservations": [_res(r) for r in made.reservations],
        }

    return idempotent(request, data, create)


@router.post(
    "/class-baskets",
    response={201: ClassRequestOut},
    summary="Reserve several models for a class, all or none (Idempotency-Key accepted)",
    openapi_extra=IDEMPOTENT,
)
def class_baskets_create(
    request: ApiRequest, payload: ClassBasketIn
) -> tuple[int, Any]:
    data = payload.dict()

    def create() -> tuple[int, Any]:
        made = services.class_basket_create(
            actor=request.auth,
            items=[
                services.BasketItem(equipment_id=i.equipment_id, quantity=i.quantity)
                for i in payload.items
            ],
            school_id=payload.school_id,
            start_date=payload.start_date,
            end_date=payload.end_date,
            fulfilment=payload.fulfilment,
            purpose=payload.purpose,
        )
        return 201, {
            "id": str(made.id),
            "quantity": made.quantity,
            "reservations": [_res(r) for r in made.reservations],
        }

    return idempotent(request, data, create)


@router.get("/reservations/{rid}", response=ReservationOut)
def reservations_get(request: ApiRequest, rid: Id) -> dict[str, Any]:
    opened = services.reservation_open(
        actor=request.auth, reservation_id=rid, request=request
    )
    return _res(opened.reservation, opened.tags)


@router.post("/reservations/{rid}/cancel", response=ReservationOut)
def reservations_cancel(
    request: ApiRequest, rid: Id, payload: ReasonIn
) -> dict[str, Any]:
    r = services.reservation_cancel(
        actor=request.auth, reservation_id=rid, reason=payload.reason
    )
    # Built from what the service returned: a cancelled reservation holds no units,
    # and no read after the commit can turn the committed cancel into an error.
    return _res(r, tags=[])


@router.post(
    "/reservations/{rid}/change",
    response=ReservationOut,
    summary="Shorten, extend or move",
)
def reservations_change(
    request: ApiRequest, rid: Id, payload: ChangeIn
) -> dict[str, Any]:
    return _res(
        services.reservation_change(
            actor=request.auth,
            reservation_id=rid,
            start_date=payload.start_date,
            end_date=payload.end_date,
        )
    )


@router.post(
    "/reservations/{rid}/accept",
    response=ReservationOut,
    summary="Accept a waitlist offer",
)
def reservations_accept(request: ApiRequest, rid: Id) -> dict[str, Any]:
    return _res(
        services.reservation_accept_offer(actor=request.auth, reservation_id=rid)
    )


@router.post("/reservations/{rid}/approve", response=ReservationOut)
def reservations_approve(request: ApiRequest, rid: Id) -> dict[str, Any]:
    return _res(services.reservation_approve(actor=request.auth, reservation_id=rid))


@router.post("/reservations/{rid}/reject", response=ReservationOut)
def reservations_reject(
    request: ApiRequest, rid: Id, payload: ReasonIn
) -> dict[str, Any]:
    return _res(
        services.reservation_reject(
            actor=request.auth, reservation_id=rid, reason=payload.reason
        )
    )


@router.post(
    "/reservations/{rid}/checkout",
    response=ReservationOut,
    summary="Check out by tag codes",
)
def reservations_checkout(
    request: ApiRequest, rid: Id, payload: CheckoutIn
) -> dict[str, Any]:
    return _res(
        services.checkout(
            actor=request.auth,
            reservation_id=rid,
            tag_codes=payload.tag_codes,
            consumables=payload.consumables,
        )
    )


@router.post(
    "/reservations/{rid}/checkin",
    response=ReservationOut,
    summary="Check in with inspection",
)
def reservations_checkin(
    request: ApiRequest, rid: Id, payload: CheckinIn
) -> dict[str, Any]:
    items = [
        services.CheckinItem(
            tag_code=i.tag_code,
            parts_complete=i.parts_complete,
            condition=i.condition,
            missing_parts=i.missing_parts,
            notes=i.notes,
        )
        for i in payload.items
    ]
    return _res(services.checkin(actor=request.auth, reservation_id=rid, items=items))


@router.post(
    "/maintenance",
    response={201: TicketOut},
    summary="Take an asset out of service",
    openapi_extra=IDEMPOTENT,
)
def maintenance_open(request: ApiRequest, payload: TicketIn) -> tuple[int, Any]:
    data = payload.dict()

    def create() -> tuple[int, Any]:
        t = services.maintenance_open(
            actor=request.auth,
            asset_id=payload.asset_id,
            description=payload.description,
            expected_back=payload.expected_back,
        )
        return 201, _ticket(t)

    return idempotent(request, data, create)


@router.post("/maintenance/{tid}/close", response=TicketOut)
def maintenance_close(
    request: ApiRequest, tid: Id, payload: ReasonIn
) -> dict[str, Any]:
    t = services.maintenance_close(
        actor=request.auth, ticket_id=tid, resolution=payload.reason
    )
    return _ticket(t)


def _ticket(t: MaintenanceTicket) -> dict[str, Any]:
    return {
        "id": t.pk,
        "asset_id": t.asset_id,
        "status": t.status,
        "description": t.description,
    }


def _transfer(t: Transfer) -> dict[str, Any]:
    return {
        "id": t.pk,
        "asset_id": t.asset_id,
        "from_org_id": t.from_org_id,
        "to_org_id": t.to_org_id,
        "status": t.status,
    }


@router.post(
    "/transfers",
    response={201: TransferOut},
    summary="Send an asset to another bank",
    openapi_extra=IDEMPOTENT,
)
def transfers_create(request: ApiRequest, payload: TransferIn) -> tuple[int, Any]:
    data = payload.dict()
    return idempotent(
        request,
        data,
        lambda: (
            201,
            _transfer(
                services.transfer_send(
                    actor=request.auth,
                    asset_id=payload.asset_id,
                    to_org_id=payload.to_org_id,
                    rehome=payload.rehome,
                )
            ),
        ),
    )


@router.post("/transfers/{tid}/receive", response=TransferOut)
def transfers_receive(request: ApiRequest, tid: Id) -> dict[str, Any]:
    return _transfer(services.transfer_receive(actor=request.auth, transfer_id=tid))


@router.get("/board", response=BoardOut, summary="The staff's daily board")
def board(request: ApiRequest, day: date | None = None) -> dict[str, Any]:
    data = selectors.board(actor=request.auth, day=day or clock.today())
    out: dict[str, Any] = {"day": data["day"]}
    for key in ("pickups", "deliveries", "returns_due", "overdue", "approvals"):
        out[key] = [_res(r, []) for r in data[key]]
    return out


@router.get("/banks", response=Page[BankOut], summary="Banks you can borrow from")
def banks(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(
        selectors.bank_list(actor=request.auth),
        page,
        lambda b: {
            "id": b.pk,
            "code": b.code,
            "name": b.name,
            "bank_type": b.bank_type,
            "address": b.address,
        },
    )


def _round(r: AllocationRound) -> dict[str, Any]:
    return {
        "id": r.pk,
        "bank_id": r.bank_id,
        "name": r.name,
        "window_start": r.window_start,
        "window_end": r.window_end,
        "status": r.status,
        "seed": r.seed,
    }


@router.post(
    "/rounds",
    response={201: RoundOut},
    summary="Open a scarcity allocation round (staff)",
    openapi_extra=IDEMPOTENT,
)
def rounds_create(request: ApiRequest, payload: RoundIn) -> tuple[int, Any]:
    data = payload.dict()
    return idempotent(
        request,
        data,
        lambda: (
            201,
            _round(
                services.round_create(
                    actor=request.auth,
                    bank_id=payload.bank_id,
                    name=payload.name,
                    window_start=payload.window_start,
                    window_end=payload.window_end,
                    collect_until=payload.collect_until,
                )
            ),
        ),
    )


@router.post(
    "/rounds/{round_id}/run",
    response=RoundOut,
    summary="Allocate a round: need first, then lottery",
)
def rounds_run(
    request: ApiRequest, round_id: Id, payload: RoundRunIn
) -> dict[str, Any]:
    return _round(
        services.round_run(actor=request.auth, round_id=round_id, seed=payload.seed)
    )


@router.post(
    "/training",
    response={201: dict},
    summary="Record a teacher's safety training (staff)",
    openapi_extra=IDEMPOTENT,
)
def training(request: ApiRequest, payload: TrainingIn) -> tuple[int, Any]:
    data = payload.dict()

    def create() -> tuple[int, Any]:
        t = services.training_record(
            actor=request.auth,
            user_id=payload.user_id,
            equipment_id=payload.equipment_id,
            completed_on=payload.completed_on,
            valid_until=payload.valid_until,
        )
        return 201, {
            "id": t.pk,
            "user_id": t.user_id,
            "equipment_id": t.equipment_id,
            "valid_until": str(t.valid_until),
        }

    return idempotent(request, data, create)


@router.post(
    "/damage",
    response={201: dict},
    summary="Report damage or loss of an asset (staff)",
    openapi_extra=IDEMPOTENT,
)
def damage(request: ApiRequest, payload: DamageIn) -> tuple[int, Any]:
    data = payload.dict()

    def create() -> tuple[int, Any]:
        d = services.damage_report(
            actor=request.auth,
            asset_id=payload.asset_id,
            kind=payload.kind,
            description=payload.description,
        )
        return 201, {"id": d.pk, "asset_id": d.asset_id, "kind": d.kind}

    return idempotent(request, data, create)
