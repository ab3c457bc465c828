"""The K-STEM Bank API under /api/v1/lending/: thin calls into services and selectors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from nanum.core import clock
from nanum.core.errors import InvalidInput
from nanum.core.http import ApiRequest
from nanum.core.idempotency import idempotent
from nanum.core.schemas import (
    IDEMPOTENT,
    Id,
    Page,
    PageQuery,
    built_answer,
    page_of,
)

from .. import selectors, services
from ..models import Reservation
from ..schemas import (
    AssetOut,
    AvailabilityOut,
    AvailabilityQuery,
    BankOut,
    BoardOut,
    ChangeIn,
    CheckinIn,
    CheckoutIn,
    DamageIn,
    ModelFilter,
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
    availability_out,
    bank_out,
    damage_out,
    model_out,
    round_out,
    ticket_out,
    training_out,
    transfer_out,
)
from ..selectors.search import availability_page

router = Router()

AVAILABILITY_PAGE = selectors.PAGE_SIZE


# ReservationOut's fields read straight off the reservation (all but id and tags).
_RES_FIELDS = [f for f in ReservationOut.model_fields if f not in ("id", "asset_tags")]


def _res(r: Reservation, tags: list[str] | None = None) -> dict[str, Any]:
    if tags is None:
        tags = getattr(r, "held_tags", None)
    if tags is None:
        tags = list(
            r.allocations.filter(active=True)
            .order_by("asset__tag_code")
            .values_list("asset__tag_code", flat=True)
        )
    return {"id": r.pk, **{f: getattr(r, f) for f in _RES_FIELDS}, "asset_tags": tags}


def _act(
    service: Callable[..., Reservation], request: ApiRequest, rid: int, **kwargs: Any
) -> dict[str, Any]:
    """Run a service on one reservation and answer with the reservation it returns."""
    return _res(service(actor=request.auth, reservation_id=rid, **kwargs))


def _made(made: Any) -> dict[str, Any]:
    """The answer to a class request or basket: its id and the reservations made.

    ``quantity`` counts the units of the parts still open.
    """
    parts = made.reservations
    return {
        "id": str(made.id),
        "quantity": sum(r.quantity for r in parts if r.status in Reservation.OPEN),
        "reservations": [_res(r) for r in parts],
    }


def _idempotent(
    request: ApiRequest, payload: Schema, build: Callable[[], Any]
) -> tuple[int, Any]:
    """Run ``build`` once per Idempotency-Key and answer 201 with what it returned."""
    return idempotent(request, payload.dict(), lambda: (201, build()))


def _models(request: ApiRequest, f: ModelFilter | AvailabilityQuery) -> Any:
    """The catalogue as the caller may see it, narrowed by the shared filters."""
    return selectors.model_list(
        actor=request.auth, q=f.q, category=f.category or "", grade=f.grade
    )


@router.get("/models", response=Page[ModelOut], summary="Catalogue of equipment models")
def models_list(
    request: ApiRequest, filters: Query[ModelFilter], page: Query[PageQuery]
) -> dict[str, Any]:
    return page_of(_models(request, filters), page, model_out)


@router.get("/models/{model_id}", response=ModelOut)
def models_get(request: ApiRequest, model_id: Id) -> dict[str, Any]:
    return model_out(selectors.model_get(actor=request.auth, model_id=model_id))


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
) -> HttpResponse:
    if params.end < params.start:
        raise InvalidInput(field_errors={"end": ["must not be before start"]})
    if (params.end - params.start).days > 366:
        raise InvalidInput(field_errors={"end": ["period too long"]})
    # The search works in pages of AVAILABILITY_PAGE models; read the ones we need.
    # A page that is not empty tells the count as well (read with it); when the last
    # one read is the catalogue's last, so does its length.
    first = page.offset // AVAILABILITY_PAGE
    results = []
    count = None
    number = first + 1
    while True:
        found, more, total = availability_page(
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
        if total is not None:
            count = total
        if not more:
            if found or number == 1:
                count = (number - 1) * AVAILABILITY_PAGE + len(found)
            break
        if number * AVAILABILITY_PAGE >= page.offset + page.limit:
            break
        number += 1
    if count is None:
        count = _models(request, params).count()
    skip = page.offset - first * AVAILABILITY_PAGE
    names: dict[int, str] = {}
    items = [availability_out(r, names) for r in results[skip : skip + page.limit]]
    # Built field by field from AvailabilityOut: rendered without a second validation
    # (test_api_search_answer checks it equals its validated form).
    return built_answer(
        {"count": count, "items": items, "limit": page.limit, "offset": page.offset}
    )


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
    return _idempotent(
        request,
        payload,
        lambda: _res(
            services.reservation_create(
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
        ),
    )


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
    return _act(
        services.reservation_change,
        request,
        rid,
        start_date=payload.start_date,
        end_date=payload.end_date,
    )


@router.post(
    "/reservations/{rid}/accept",
    response=ReservationOut,
    summary="Accept a waitlist offer",
)
def reservations_accept(request: ApiRequest, rid: Id) -> dict[str, Any]:
    return _act(services.reservation_accept_offer, request, rid)


@router.post("/reservations/{rid}/approve", response=ReservationOut)
def reservations_approve(request: ApiRequest, rid: Id) -> dict[str, Any]:
    return _act(services.reservation_approve, request, rid)


@router.post("/reservations/{rid}/reject", response=ReservationOut)
def reservations_reject(
    request: ApiRequest, rid: Id, payload: ReasonIn
) -> dict[str, Any]:
    return _act(services.reservation_reject, request, rid, reason=payload.reason)


@router.post(
    "/reservations/{rid}/checkout",
    response=ReservationOut,
    summary="Check out by tag codes",
)
def reservations_checkout(
    request: ApiRequest, rid: Id, payload: CheckoutIn
) -> dict[str, Any]:
    return _act(
        services.checkout,
        request,
        rid,
        tag_codes=payload.tag_codes,
        consumables=payload.consumables,
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
    return _act(services.checkin, request, rid, items=items)


@router.post(
    "/maintenance",
    response={201: TicketOut},
    summary="Take an asset out of service",
    openapi_extra=IDEMPOTENT,
)
def maintenance_open(request: ApiRequest, payload: TicketIn) -> tuple[int, Any]:
    return _idempotent(
        request,
        payload,
        lambda: ticket_out(
            services.maintenance_open(
                actor=request.auth,
                asset_id=payload.asset_id,
                description=payload.description,
                expected_back=payload.expected_back,
            )
        ),
    )


@router.post("/maintenance/{tid}/close", response=TicketOut)
def maintenance_close(
    request: ApiRequest, tid: Id, payload: ReasonIn
) -> dict[str, Any]:
    t = services.maintenance_close(
        actor=request.auth, ticket_id=tid, resolution=payload.reason
    )
    return ticket_out(t)


@router.post(
    "/transfers",
    response={201: TransferOut},
    summary="Send an asset to another bank",
    openapi_extra=IDEMPOTENT,
)
def transfers_create(request: ApiRequest, payload: TransferIn) -> tuple[int, Any]:
    return _idempotent(
        request,
        payload,
        lambda: transfer_out(
            services.transfer_send(
                actor=request.auth,
                asset_id=payload.asset_id,
                to_org_id=payload.to_org_id,
                rehome=payload.rehome,
            )
        ),
    )


@router.post("/transfers/{tid}/receive", response=TransferOut)
def transfers_receive(request: ApiRequest, tid: Id) -> dict[str, Any]:
    return transfer_out(services.transfer_receive(actor=request.auth, transfer_id=tid))


@router.get("/board", response=BoardOut, summary="The staff's daily board")
def board(request: ApiRequest, day: date | None = None) -> dict[str, Any]:
    data = selectors.board(actor=request.auth, day=day or clock.today())
    out: dict[str, Any] = {"day": data["day"]}
    for key in ("pickups", "deliveries", "returns_due", "overdue", "approvals"):
        out[key] = [_res(r, []) for r in data[key]]
    return out


@router.get("/banks", response=Page[BankOut], summary="Banks you can borrow from")
def banks(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(selectors.bank_list(actor=request.auth), page, bank_out)


@router.post(
    "/rounds",
    response={201: RoundOut},
    summary="Open a scarcity allocation round (staff)",
    openapi_extra=IDEMPOTENT,
)
def rounds_create(request: ApiRequest, payload: RoundIn) -> tuple[int, Any]:
    return _idempotent(
        request,
        payload,
        lambda: round_out(
            services.round_create(
                actor=request.auth,
                bank_id=payload.bank_id,
                name=payload.name,
                window_start=payload.window_start,
                window_end=payload.window_end,
                collect_until=payload.collect_until,
            )
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
    return round_out(
        services.round_run(actor=request.auth, round_id=round_id, seed=payload.seed)
    )


@router.post(
    "/training",
    response={201: dict},
    summary="Record a teacher's safety training (staff)",
    openapi_extra=IDEMPOTENT,
)
def training(request: ApiRequest, payload: TrainingIn) -> tuple[int, Any]:
    def create() -> dict[str, Any]:
        t = services.training_record(
            actor=request.auth,
            user_id=payload.user_id,
            equipment_id=payload.equipment_id,
            completed_on=payload.completed_on,
            valid_until=payload.valid_until,
        )
        return training_out(t)

    return _idempotent(request, payload, create)


@router.post(
    "/damage",
    response={201: dict},
    summary="Report damage or loss of an asset (staff)",
    openapi_extra=IDEMPOTENT,
)
def damage(request: ApiRequest, payload: DamageIn) -> tuple[int, Any]:
    def create() -> dict[str, Any]:
        d = services.damage_report(
            actor=request.auth,
            asset_id=payload.asset_id,
            kind=payload.kind,
            description=payload.description,
        )
        return damage_out(d)

    return _idempotent(request, payload, create)


# Class requests and research equipment from ZEUS add their endpoints to this router.
from . import class_requests, research  # noqa: E402,F401
