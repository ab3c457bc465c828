"""/api/v1/programs/: listing, apply, my applications, organiser actions, lab visits."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from nanum.core.http import ApiRequest
from nanum.core.idempotency import idempotent, write_and_answer
from nanum.core.schemas import IDEMPOTENT, Id, Page, PageQuery, page_of
from nanum.core.spreadsheets import file_response

from .. import selectors, services
from ..models import Application, Programme
from ..schemas import (
    AttendanceIn,
    AttendanceSheetOut,
    CertificateOut,
    DrawOut,
    LabBookIn,
    LabBookingOut,
    LabSlotIn,
    LabSlotOut,
    NominateIn,
    OrganiserApplicationOut,
    PriorityIn,
    ProgrammeApplicationOut,
    ProgrammeApplyIn,
    ProgrammeDetailOut,
    ProgrammeIn,
    ProgrammeMessageIn,
    ProgrammeOut,
    ProgrammeSessionOut,
    ProgrammeSurveyIn,
    SessionIn,
    StatusIn,
    application_out,
    lab_slot_out,
    programme_out,
)
from ..selection import PRIORITY_SEAT, WAITLIST

router = Router()


# --- Public -----------------------------------------------------------------------------


@router.get("/", response=Page[ProgrammeOut], auth=None, summary="Published programmes")
def programme_list(
    request: HttpRequest,
    page: Query[PageQuery],
    q: str = "",
    kind: str = "",
    audience: str = "",
    grade: int | None = Query(None, ge=1, le=12),
    open_only: bool = False,
    organiser_id: Id | None = None,
    town: str = Query("", max_length=40, description="a town's path, e.g. pyeongchang"),
) -> dict[str, Any]:
    f = selectors.ListingFilters(
        q=q.replace("\x00", "")[:100],
        kind=kind,
        audience=audience,
        grade=grade,
        organiser=organiser_id,
        open_only=open_only,
        town=town,
    )
    return page_of(selectors.programme_list(filters=f), page, programme_out)


@router.get(
    "/{int:programme_id}",
    response=ProgrammeDetailOut,
    auth=None,
    summary="One published programme with its sessions",
)
def programme_get(request: HttpRequest, programme_id: Id) -> dict[str, Any]:
    return programme_out(selectors.programme_get(pk=programme_id), detail=True)


@router.get(
    "/certificates/{code}",
    response=CertificateOut,
    auth=None,
    summary="Check a completion certificate's verification code",
)
def certificate_check(request: HttpRequest, code: str) -> dict[str, Any]:
    cert = selectors.certificate_verify(code[:40])
    if cert is None:
        return {"valid": False}
    p = cert.application.programme
    return {
        "valid": True,
        "name": selectors.mask_name(cert.holder_name),
        "programme": p.name,
        "organiser": p.organiser.name,
        "attended": cert.attended,
        "total_sessions": cert.total_sessions,
        "hours": cert.hours,
        "issued_at": cert.issued_at,
    }


# --- Applicants ---------------------------------------------------------------------------


@router.post(
    "/{int:programme_id}/apply",
    response={201: ProgrammeApplicationOut},
    summary="Apply for myself, or for my child (child_id)",
    openapi_extra=IDEMPOTENT,
)
def apply(request: ApiRequest, programme_id: Id, payload: ProgrammeApplyIn) -> Any:
    def create() -> tuple[int, Any]:
        p = selectors.programme_get(pk=programme_id)
        child = (
            selectors.child_get(actor=request.auth, pk=payload.child_id)
            if payload.child_id is not None
            else None
        )
        app = services.application_apply(
            actor=request.auth,
            programme=p,
            child=child,
            declare_priority=payload.declare_priority,
        )
        return 201, application_out(app)

    return idempotent(request, {"programme": programme_id, **payload.dict()}, create)


@router.post(
    "/{int:programme_id}/nominate",
    response={201: list[ProgrammeApplicationOut]},
    summary="A teacher nominates students of their school",
    openapi_extra=IDEMPOTENT,
)
def nominate(request: ApiRequest, programme_id: Id, payload: NominateIn) -> Any:
    def create() -> tuple[int, Any]:
        p = selectors.programme_get(pk=programme_id)
        apps = services.application_nominate(
            actor=request.auth, programme=p, student_ids=payload.student_ids
        )
        return 201, [application_out(a) for a in apps]

    return idempotent(request, {"programme": programme_id, **payload.dict()}, create)


@router.get(
    "/my/applications",
    response=Page[ProgrammeApplicationOut],
    summary="My applications (and my children's and nominees'), with the reason",
)
def my_applications(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(selectors.my_applications(actor=request.auth), page, application_out)


@router.post(
    "/my/applications/{int:application_id}/confirm",
    response=ProgrammeApplicationOut,
    summary="Confirm (accept=true) or decline an offered place",
)
def confirm(
    request: ApiRequest, application_id: Id, accept: bool = True
) -> dict[str, Any]:
    app = services.application_confirm(
        actor=request.auth, application_id=application_id, accept=accept
    )
    return application_out(app)


@router.post(
    "/my/applications/{int:application_id}/withdraw",
    response=ProgrammeApplicationOut,
)
def withdraw(request: ApiRequest, application_id: Id) -> dict[str, Any]:
    # The answer reads the programme and certificate: in the write's transaction.
    return write_and_answer(
        lambda: services.application_withdraw(
            actor=request.auth, application_id=application_id
        ),
        application_out,
    )


@router.post(
    "/my/applications/{int:application_id}/survey",
    response={201: dict},
    openapi_extra=IDEMPOTENT,
)
def survey(request: ApiRequest, application_id: Id, payload: ProgrammeSurveyIn) -> Any:
    def create() -> tuple[int, Any]:
        resp = services.survey_submit(
            actor=request.auth,
            application_id=application_id,
            overall=payload.overall,
            content=payload.content,
            instructor=payload.instructor,
            comment=payload.comment,
        )
        return 201, {"id": resp.pk}

    return idempotent(
        request, {"application": application_id, **payload.dict()}, create
    )


@router.post(
    "/checkin/{token}", response=dict, summary="Check in with a session's QR token"
)
def checkin(request: ApiRequest, token: str) -> dict[str, Any]:
    att = services.checkin(actor=request.auth, token=token[:500])
    return {"session_id": att.session_id, "application_id": att.application_id}


# --- Organisers -----------------------------------------------------------------------------


def _own(request: ApiRequest, programme_id: Id) -> Programme:
    return selectors.organiser_programme_get(actor=request.auth, pk=programme_id)


@router.get(
    "/organiser/programmes",
    response=Page[ProgrammeOut],
    summary="Programmes of the organisations I run",
)
def organiser_list(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(
        selectors.organiser_programmes(actor=request.auth), page, programme_out
    )


@router.post(
    "/organiser/programmes", response={201: ProgrammeOut}, openapi_extra=IDEMPOTENT
)
def organiser_create(request: ApiRequest, payload: ProgrammeIn) -> Any:
    def create() -> tuple[int, Any]:
        data = payload.dict()
        org = selectors.organisation_get(pk=data.pop("organiser_id"))
        p = services.programme_create(
            actor=request.auth,
            organiser=org,
            programme=services.ProgrammeInput(**data),
        )
        return 201, programme_out(p)

    return idempotent(request, payload.dict(), create)


@router.post(
    "/organiser/programmes/{int:programme_id}/sessions",
    response={201: ProgrammeSessionOut},
    openapi_extra=IDEMPOTENT,
)
def organiser_session(request: ApiRequest, programme_id: Id, payload: SessionIn) -> Any:
    def create() -> tuple[int, Any]:
        s = services.session_add(
            actor=request.auth,
            programme=_own(request, programme_id),
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            capacity=payload.capacity,
            place=payload.place,
            online_url=payload.online_url,
            instructor=payload.instructor,
        )
        return 201, ProgrammeSessionOut.from_orm(s).dict()

    return idempotent(request, {"programme": programme_id, **payload.dict()}, create)


@router.post("/organiser/programmes/{int:programme_id}/status", response=ProgrammeOut)
def organiser_status(
    request: ApiRequest, programme_id: Id, payload: StatusIn
) -> dict[str, Any]:
    p = services.programme_set_status(
        actor=request.auth,
        programme=_own(request, programme_id),
        status=payload.status,
    )
    return programme_out(p)


@router.post(
    "/organiser/programmes/{int:programme_id}/draw",
    response=DrawOut,
    summary="Run the lottery after applications close",
)
def organiser_draw(request: ApiRequest, programme_id: Id) -> dict[str, Any]:
    p = _own(request, programme_id)
    r = services.programme_draw(actor=request.auth, programme=p)
    p.refresh_from_db()
    return {
        "applications": int(r.outcome.size),
        "selected": int((r.outcome != WAITLIST).sum()),
        "priority_selected": int((r.outcome == PRIORITY_SEAT).sum()),
        "waitlisted": int((r.outcome == WAITLIST).sum()),
        "seed": p.lottery_seed,
        "digest": p.draw_digest,
    }


@router.get(
    "/organiser/programmes/{int:programme_id}/applications",
    response=Page[OrganiserApplicationOut],
)
def organiser_applications(
    request: ApiRequest, programme_id: Id, page: Query[PageQuery]
) -> dict[str, Any]:
    opened = services.programme_applicants_open(
        actor=request.auth, programme_id=programme_id, request=request
    )
    return page_of(
        list(opened.rows),
        page,
        lambda r: application_out(r.application, attended=r.attended),
    )


@router.post(
    "/organiser/applications/{int:application_id}/priority",
    response=OrganiserApplicationOut,
)
def organiser_priority(
    request: ApiRequest, application_id: Id, payload: PriorityIn
) -> dict[str, Any]:
    ids = selectors.organiser_programmes(actor=request.auth).values("pk")
    app = services.application_set_priority(
        actor=request.auth,
        application_id=application_id,
        priority=payload.priority,
        programme_ids=ids,
    )
    return application_out(app, attended=0)


@router.get(
    "/organiser/programmes/{int:programme_id}/sessions/{int:session_id}/attendance",
    response=AttendanceSheetOut,
    summary="Who has a confirmed place in a session and who was present",
)
def organiser_attendance_sheet(
    request: ApiRequest, programme_id: Id, session_id: Id
) -> dict[str, Any]:
    sheet = services.session_attendance_open(
        actor=request.auth,
        programme_id=programme_id,
        session_id=session_id,
        request=request,
    )
    return {
        "session_id": sheet.session.pk,
        "participants": [
            {"id": a.pk, "participant": a.person_name, "present": a.pk in sheet.present}
            for a in sheet.applications
        ],
    }


@router.post(
    "/organiser/programmes/{int:programme_id}/sessions/{int:session_id}/attendance",
    response=dict,
)
def organiser_attendance(
    request: ApiRequest, programme_id: Id, session_id: Id, payload: AttendanceIn
) -> dict[str, Any]:
    s = selectors.organiser_session_get(
        actor=request.auth, programme_id=programme_id, session_id=session_id
    )
    ids = list(
        s.programme.applications.filter(status=Application.Status.SELECTED).values_list(
            "pk", flat=True
        )
    )
    n = services.attendance_mark(
        actor=request.auth,
        session=s,
        application_ids=ids,
        present_ids=payload.present_ids,
    )
    return {"recorded": n, "present": len(payload.present_ids)}


@router.post("/organiser/programmes/{int:programme_id}/certificates", response=dict)
def organiser_certificates(request: ApiRequest, programme_id: Id) -> dict[str, Any]:
    certs = services.certificates_issue(
        actor=request.auth, programme=_own(request, programme_id)
    )
    return {"issued": len(certs)}


@router.get("/organiser/programmes/{int:programme_id}/export")
def organiser_export(
    request: ApiRequest,
    programme_id: Id,
    what: str = "participants",
    format: str = "csv",
) -> HttpResponse:
    """The participant list or attendance sheet as CSV or Excel (the page's twin)."""
    f = services.programme_export_open(
        actor=request.auth,
        programme_id=programme_id,
        what=what,
        fmt=format,
        request=request,
    )
    return file_response(f.body, content_type=f.content_type, filename=f.filename)


@router.post("/organiser/programmes/{int:programme_id}/message", response=dict)
def organiser_message(
    request: ApiRequest, programme_id: Id, payload: ProgrammeMessageIn
) -> dict[str, Any]:
    n = services.programme_message_send(
        actor=request.auth,
        programme_id=programme_id,
        subject=payload.subject,
        body=payload.body,
    )
    return {"sent": n}


@router.get("/organiser/programmes/{int:programme_id}/survey", response=dict)
def organiser_survey(request: ApiRequest, programme_id: Id) -> dict[str, Any]:
    return selectors.survey_results(_own(request, programme_id))


# --- Lab visits ------------------------------------------------------------------------------


@router.get("/labs/slots", response=Page[LabSlotOut], summary="Free open-lab slots")
def lab_slots(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(selectors.lab_slots_open(actor=request.auth), page, lab_slot_out)


@router.post(
    "/labs/slots/{int:slot_id}/book",
    response={201: LabBookingOut},
    openapi_extra=IDEMPOTENT,
)
def lab_book(request: ApiRequest, slot_id: Id, payload: LabBookIn) -> Any:
    def create() -> tuple[int, Any]:
        b = services.lab_book(
            actor=request.auth,
            slot_id=slot_id,
            class_name=payload.class_name,
            students=payload.students,
            note=payload.note,
        )
        return 201, LabBookingOut.from_orm(b).dict()

    return idempotent(request, {"slot": slot_id, **payload.dict()}, create)


@router.post(
    "/labs/bookings/{int:booking_id}/cancel",
    response=LabBookingOut,
    summary="Cancel a lab booking (the teacher who booked, or the lab's staff)",
)
def lab_cancel(request: ApiRequest, booking_id: Id) -> dict[str, Any]:
    b = services.lab_booking_cancel(actor=request.auth, booking_id=booking_id)
    return LabBookingOut.from_orm(b).dict()


@router.post(
    "/organiser/labs/{int:lab_id}/slots",
    response={201: LabSlotOut},
    summary="Publish a slot at an open lab I run",
    openapi_extra=IDEMPOTENT,
)
def lab_slot_create(request: ApiRequest, lab_id: Id, payload: LabSlotIn) -> Any:
    def create() -> tuple[int, Any]:
        lab = selectors.lab_managed_get(actor=request.auth, pk=lab_id)
        s = services.lab_slot_create(
            actor=request.auth,
            lab=lab,
            room=payload.room,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            instructor=payload.instructor,
            max_students=payload.max_students,
            equipment_note=payload.equipment_note,
        )
        return 201, lab_slot_out(s)

    return idempotent(request, {"lab": lab_id, **payload.dict()}, create)


# Residential programmes add their endpoints to this router.
from . import residential  # noqa: E402,F401
