"""/api/v1/programs/ residential endpoints: the organiser's nights, rooms and roster
(with emergency contacts, access-logged), a guardian's consent, emergency contacts.
The twins of the pages in ``views.residential``; the same services decide."""

from __future__ import annotations

from typing import Any

from ninja import Query
from ninja.responses import Status

from nanum.core.http import ApiRequest
from nanum.core.idempotency import idempotent
from nanum.core.schemas import IDEMPOTENT, Id, Page, PageQuery, page_of

from ..schemas import (
    EmergencyContactIn,
    RoomAssignIn,
    RoomIn,
    RoomOut,
    RosterRowOut,
    StayIn,
    StayOut,
)
from ..selectors import residential as res
from ..services import residential as writes
from . import router


def _row_out(row: res.RosterRow) -> dict[str, Any]:
    app = row.application
    consent = getattr(app, "guardian_consent", None)
    return {
        "application_id": app.pk,
        "name": app.person_name,
        "minor": row.minor,
        "missing": row.missing,
        "consent_at": consent.given_at if consent else None,
        "room_id": row.room.pk if row.room else None,
        "contacts": [
            {"name": c.name, "relation": c.relation, "phone": c.phone}
            for c in app.emergency_contacts.all()
        ],
    }


@router.get(
    "/organiser/programmes/{int:programme_id}/roster",
    response=Page[RosterRowOut],
    summary="A residential programme's roster with emergency contacts (access-logged)",
)
def organiser_roster(
    request: ApiRequest, programme_id: Id, page: Query[PageQuery]
) -> dict[str, Any]:
    sheet = writes.residential_roster_open(
        actor=request.auth, programme_id=programme_id, request=request
    )
    return page_of(sheet.rows, page, _row_out)


@router.get("/organiser/programmes/{int:programme_id}/rooms", response=Page[RoomOut])
def organiser_rooms(
    request: ApiRequest, programme_id: Id, page: Query[PageQuery]
) -> dict[str, Any]:
    p = res.residential_programme_get(actor=request.auth, pk=programme_id)
    return page_of(
        res.rooms_of(p),
        page,
        lambda r: {
            "id": r.room.pk,
            "name": r.room.name,
            "capacity": r.room.capacity,
            "gender": r.room.gender,
            "taken": r.taken,
        },
    )


@router.put("/organiser/programmes/{int:programme_id}/stay", response=StayOut)
def organiser_stay(
    request: ApiRequest, programme_id: Id, payload: StayIn
) -> dict[str, Any]:
    p = res.residential_programme_get(actor=request.auth, pk=programme_id)
    stay = writes.stay_set(actor=request.auth, programme=p, **payload.dict())
    return {
        "check_in": stay.check_in,
        "check_out": stay.check_out,
        "nights": stay.nights,
        "place": stay.place,
    }


@router.post(
    "/organiser/programmes/{int:programme_id}/rooms",
    response={201: RoomOut},
    openapi_extra=IDEMPOTENT,
)
def organiser_room_add(request: ApiRequest, programme_id: Id, payload: RoomIn) -> Any:
    def create() -> tuple[int, Any]:
        p = res.residential_programme_get(actor=request.auth, pk=programme_id)
        room = writes.room_add(actor=request.auth, programme=p, **payload.dict())
        return 201, {
            "id": room.pk,
            "name": room.name,
            "capacity": room.capacity,
            "gender": room.gender,
            "taken": 0,
        }

    return idempotent(request, {"programme": programme_id, **payload.dict()}, create)


@router.post("/organiser/programmes/{int:programme_id}/roster", response=dict)
def organiser_room_assign(
    request: ApiRequest, programme_id: Id, payload: RoomAssignIn
) -> dict[str, Any]:
    p = res.residential_programme_get(actor=request.auth, pk=programme_id)
    writes.room_assign(
        actor=request.auth,
        programme=p,
        application_id=payload.application_id,
        room_id=payload.room_id,
    )
    return {"application_id": payload.application_id, "room_id": payload.room_id}


@router.post(
    "/my/applications/{int:application_id}/consent",
    response={201: dict},
    summary="A guardian consents to a minor's residential stay",
)
def consent(request: ApiRequest, application_id: Id) -> Any:
    c = writes.consent_give(actor=request.auth, application_id=application_id)
    return Status(
        201, {"application_id": application_id, "given_at": c.given_at.isoformat()}
    )


@router.post(
    "/my/applications/{int:application_id}/emergency-contacts",
    response={201: dict},
    openapi_extra=IDEMPOTENT,
)
def emergency_contact(
    request: ApiRequest, application_id: Id, payload: EmergencyContactIn
) -> Any:
    def create() -> tuple[int, Any]:
        c = writes.emergency_contact_add(
            actor=request.auth, application_id=application_id, **payload.dict()
        )
        return 201, {"id": c.pk}

    return idempotent(
        request, {"application": application_id, **payload.dict()}, create
    )
