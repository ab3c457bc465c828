"""/api/v1/programs/: listing, apply, my applications, organiser actions, lab visits."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from nanum.core.errors import NotFound
from nanum.core.idempotency import idempotent
from nanum.core.models import Organisation
from nanum.core.services import access_record

from . import labs, running, selectors, services
from .models import Application, Child, Programme
from .schemas import (
    ApplicationOut,
    ApplyIn,
    AttendanceIn,
    CertificateOut,
    DrawOut,
    LabBookIn,
    LabBookingOut,
    LabSlotIn,
    LabSlotOut,
    NominateIn,
    OrganiserApplicationOut,
    PriorityIn,
    ProgrammeDetailOut,
    ProgrammeIn,
    ProgrammeOut,
    SessionIn,
    SessionOut,
    StatusIn,
    SurveyIn,
)
from .templatetags.programs_tags import why

router = Router()


def _programme(p: Programme, detail: bool = False) -> dict[str, Any]:
    out = {
        "id": p.pk, "name": p.name, "name_ko": p.name_ko, "name_en": p.name_en,
        "kind": p.kind, "audience": p.audience, "grade_min": p.grade_min,
        "grade_max": p.grade_max, "organiser_id": p.organiser_id,
        "organiser": p.organiser.name, "description": p.description,
        "prerequisites": p.prerequisites, "capacity": p.capacity,
        "apply_opens_at": p.apply_opens_at, "apply_closes_at": p.apply_closes_at,
        "selection": p.selection, "priority_share": p.priority_share,
        "seed_commitment": services.seed_commitment(p.lottery_seed),
        "lottery_seed": p.lottery_seed if p.drawn_at else None,
        "draw_digest": p.draw_digest, "completion_percent": p.completion_percent,
        "hours": p.hours, "status": p.status,
    }  # fmt: skip
    if detail:
        out["sessions"] = [
            SessionOut.from_orm(s).dict() for s in selectors.sessions_of(p)
        ]
    return out


def _application(a: Application, attended: int | None = None) -> dict[str, Any]:
    cert = getattr(a, "certificate", None)
    out = {
        "id": a.pk, "programme_id": a.programme_id, "programme": a.programme.name,
        "participant": a.person_name, "route": a.route, "status": a.status, "via": a.via,
        "draw_rank": a.draw_rank, "waitlist_position": a.waitlist_position,
        "offer_expires_at": a.offer_expires_at, "why": why(a),
        "certificate_code": cert.code if cert else None,
    }  # fmt: skip
    if attended is not None:
        out.update(priority=a.priority, attended=attended)
    return out


# --- Public -----------------------------------------------------------------------------


@router.get("/", response=list[ProgrammeOut], auth=None, summary="Published programmes")
def programme_list(
    request: HttpRequest, q: str = "", kind: str = "", audience: str = "",
    grade: int | None = Query(None, ge=1, le=12), open_only: bool = False,
    organiser_id: int | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    f = selectors.ListingFilters(q=q.replace("\x00", "")[:100], kind=kind, audience=audience, grade=grade,
                                 organiser=organiser_id, open_only=open_only)  # fmt: skip
    return [_programme(p) for p in selectors.programme_list(filters=f)[:500]]


@router.get("/{int:programme_id}", response=ProgrammeDetailOut, auth=None,
            summary="One published programme with its sessions")  # fmt: skip
def programme_get(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    return _programme(selectors.programme_get(pk=programme_id), detail=True)


@router.get("/certificates/{code}", response=CertificateOut, auth=None,
            summary="Check a completion certificate's verification code")  # fmt: skip
def certificate_check(request: HttpRequest, code: str) -> dict[str, Any]:
    cert = running.certificate_verify(code[:40])
    if cert is None:
        return {"valid": False}
    p = cert.application.programme
    return {"valid": True, "name": running.mask_name(cert.holder_name), "programme": p.name,
            "organiser": p.organiser.name, "attended": cert.attended,
            "total_sessions": cert.total_sessions, "hours": cert.hours,
            "issued_at": cert.issued_at}  # fmt: skip


# --- Applicants ---------------------------------------------------------------------------


@router.post("/{int:programme_id}/apply", response={201: ApplicationOut},
             summary="Apply for myself, or for my child (child_id)")  # fmt: skip
def apply(request: HttpRequest, programme_id: int, payload: ApplyIn) -> tuple[int, Any]:
    def create() -> tuple[int, Any]:
        p = selectors.programme_get(pk=programme_id)
        child = None
        if payload.child_id is not None:
            child = Child.objects.filter(
                pk=payload.child_id, guardian=request.user
            ).first()
            if child is None:
                raise NotFound()
        app = services.application_apply(actor=request.user, programme=p, child=child,
                                          declare_priority=payload.declare_priority)  # fmt: skip
        return 201, _application(app)

    return idempotent(request, {"programme": programme_id, **payload.dict()}, create)


@router.post("/{int:programme_id}/nominate", response={201: list[ApplicationOut]},
             summary="A teacher nominates students of their school")  # fmt: skip
def nominate(
    request: HttpRequest, programme_id: int, payload: NominateIn
) -> tuple[int, Any]:
    def create() -> tuple[int, Any]:
        p = selectors.programme_get(pk=programme_id)
        apps = services.application_nominate(actor=request.user, programme=p,
                                             student_ids=payload.student_ids)  # fmt: skip
        return 201, [_application(a) for a in apps]

    return idempotent(request, {"programme": programme_id, **payload.dict()}, create)


@router.get("/my/applications", response=list[ApplicationOut],
            summary="My applications (and my children's and nominees'), with the reason")  # fmt: skip
def my_applications(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _application(a) for a in selectors.my_applications(actor=request.user)[:500]
    ]


@router.post("/my/applications/{int:application_id}/confirm", response=ApplicationOut,
             summary="Confirm (accept=true) or decline an offered place")  # fmt: skip
def confirm(
    request: HttpRequest, application_id: int, accept: bool = True
) -> dict[str, Any]:
    app = services.application_confirm(actor=request.user, application_id=application_id,
                                       accept=accept)  # fmt: skip
    return _application(app)


@router.post("/my/applications/{int:application_id}/withdraw", response=ApplicationOut)
def withdraw(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return _application(
        services.application_withdraw(actor=request.user, application_id=application_id)
    )


@router.post("/my/applications/{int:application_id}/survey", response={201: dict})
def survey(
    request: HttpRequest, application_id: int, payload: SurveyIn
) -> tuple[int, Any]:
    def create() -> tuple[int, Any]:
        resp = running.survey_submit(actor=request.user, application_id=application_id,
                                     data=payload.dict())  # fmt: skip
        return 201, {"id": resp.pk}

    return idempotent(
        request, {"application": application_id, **payload.dict()}, create
    )


@router.post(
    "/checkin/{token}", response=dict, summary="Check in with a session's QR token"
)
def checkin(request: HttpRequest, token: str) -> dict[str, Any]:
    att = running.checkin(actor=request.user, token=token[:500])
    return {"session_id": att.session_id, "application_id": att.application_id}


# --- Organisers -----------------------------------------------------------------------------


def _own(request: HttpRequest, programme_id: int) -> Programme:
    return selectors.organiser_programme_get(actor=request.user, pk=programme_id)


@router.get("/organiser/programmes", response=list[ProgrammeOut],
            summary="Programmes of the organisations I run")  # fmt: skip
def organiser_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _programme(p) for p in selectors.organiser_programmes(actor=request.user)[:500]
    ]


@router.post("/organiser/programmes", response={201: ProgrammeOut})
def organiser_create(request: HttpRequest, payload: ProgrammeIn) -> tuple[int, Any]:
    def create() -> tuple[int, Any]:
        data = payload.dict()
        org = Organisation.objects.filter(pk=data.pop("organiser_id")).first()
        if org is None:
            raise NotFound()
        p = services.programme_create(actor=request.user, organiser=org, data=data)
        return 201, _programme(p)

    return idempotent(request, payload.dict(), create)


@router.post(
    "/organiser/programmes/{int:programme_id}/sessions", response={201: SessionOut}
)
def organiser_session(request: HttpRequest, programme_id: int,
                      payload: SessionIn) -> tuple[int, Any]:  # fmt: skip
    def create() -> tuple[int, Any]:
        s = services.session_add(actor=request.user, programme=_own(request, programme_id),
                                 data=payload.dict())  # fmt: skip
        return 201, SessionOut.from_orm(s).dict()

    return idempotent(request, {"programme": programme_id, **payload.dict()}, create)


@router.post("/organiser/programmes/{int:programme_id}/status", response=ProgrammeOut)
def organiser_status(request: HttpRequest, programme_id: int, payload: StatusIn) -> Any:
    p = services.programme_set_status(actor=request.user, programme=_own(request, programme_id),
                                      status=payload.status)  # fmt: skip
    return _programme(p)


@router.post("/organiser/programmes/{int:programme_id}/draw", response=DrawOut,
             summary="Run the lottery after applications close")  # fmt: skip
def organiser_draw(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    p = _own(request, programme_id)
    r = services.programme_draw(actor=request.user, programme=p)
    p.refresh_from_db()
    return {"applications": int(r.outcome.size), "selected": int((r.outcome != 3).sum()),
            "priority_selected": int((r.outcome == 1).sum()),
            "waitlisted": int((r.outcome == 3).sum()), "seed": p.lottery_seed,
            "digest": p.draw_digest}  # fmt: skip


@router.get("/organiser/programmes/{int:programme_id}/applications",
            response=list[OrganiserApplicationOut])  # fmt: skip
def organiser_applications(
    request: HttpRequest, programme_id: int
) -> list[dict[str, Any]]:
    p = _own(request, programme_id)
    apps = list(selectors.organiser_applications(programme=p))
    access_record(actor=request.user, action="view", subject=None, tenant=p.tenant,
                  object_type="programs.Application", object_id=f"programme:{p.pk}",
                  record_count=len(apps), request=request, purpose="API applicant list")  # fmt: skip
    counts = running.attendance_counts(p)
    return [_application(a, attended=counts.get(a.pk, 0)) for a in apps]


@router.post("/organiser/applications/{int:application_id}/priority",
             response=OrganiserApplicationOut)  # fmt: skip
def organiser_priority(
    request: HttpRequest, application_id: int, payload: PriorityIn
) -> Any:
    ids = selectors.organiser_programmes(actor=request.user).values("pk")
    app = services.application_set_priority(actor=request.user, application_id=application_id,
                                            priority=payload.priority, programme_ids=ids)  # fmt: skip
    return _application(app, attended=0)


@router.post("/organiser/programmes/{int:programme_id}/sessions/{int:session_id}/attendance",
             response=dict)  # fmt: skip
def organiser_attendance(request: HttpRequest, programme_id: int, session_id: int,
                         payload: AttendanceIn) -> dict[str, Any]:  # fmt: skip
    p = _own(request, programme_id)
    s = p.sessions.filter(pk=session_id).first()
    if s is None:
        raise NotFound()
    ids = list(p.applications.filter(status="selected").values_list("pk", flat=True))
    n = running.attendance_mark(actor=request.user, session=s, application_ids=ids,
                                present_ids=payload.present_ids)  # fmt: skip
    return {"recorded": n, "present": len(payload.present_ids)}


@router.post("/organiser/programmes/{int:programme_id}/certificates", response=dict)
def organiser_certificates(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    certs = running.certificates_issue(
        actor=request.user, programme=_own(request, programme_id)
    )
    return {"issued": len(certs)}


@router.get("/organiser/programmes/{int:programme_id}/survey", response=dict)
def organiser_survey(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    return selectors.survey_results(_own(request, programme_id))


# --- Lab visits ------------------------------------------------------------------------------


@router.get("/labs/slots", response=list[LabSlotOut], summary="Free open-lab slots")
def lab_slots(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": s.pk, "lab_id": s.lab_id, "lab": s.lab.name, "room": s.room,
         "starts_at": s.starts_at, "ends_at": s.ends_at, "instructor": s.instructor,
         "max_students": s.max_students, "equipment_note": s.equipment_note}
        for s in selectors.lab_slots_open(actor=request.user)[:500]
    ]  # fmt: skip


@router.post("/labs/slots/{int:slot_id}/book", response={201: LabBookingOut})
def lab_book(request: HttpRequest, slot_id: int, payload: LabBookIn) -> tuple[int, Any]:
    def create() -> tuple[int, Any]:
        b = labs.lab_book(actor=request.user, slot_id=slot_id, **payload.dict())
        return 201, LabBookingOut.from_orm(b).dict()

    return idempotent(request, {"slot": slot_id, **payload.dict()}, create)


@router.post("/labs/bookings/{int:booking_id}/cancel", response=LabBookingOut,
             summary="Cancel a lab booking (the teacher who booked, or the lab's staff)")  # fmt: skip
def lab_cancel(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    b = labs.lab_booking_cancel(actor=request.user, booking_id=booking_id)
    return LabBookingOut.from_orm(b).dict()


@router.post("/organiser/labs/{int:lab_id}/slots", response={201: LabSlotOut},
             summary="Publish a slot at an open lab I run")  # fmt: skip
def lab_slot_create(
    request: HttpRequest, lab_id: int, payload: LabSlotIn
) -> tuple[int, Any]:
    def create() -> tuple[int, Any]:
        lab = labs.labs_managed(request.user).filter(pk=lab_id).first()
        if lab is None:
            raise NotFound()
        s = labs.lab_slot_create(actor=request.user, lab=lab, data=payload.dict())
        return 201, {"id": s.pk, "lab_id": s.lab_id, "lab": lab.name, "room": s.room,
                     "starts_at": s.starts_at, "ends_at": s.ends_at,
                     "instructor": s.instructor, "max_students": s.max_students,
                     "equipment_note": s.equipment_note}  # fmt: skip

    return idempotent(request, {"lab": lab_id, **payload.dict()}, create)
