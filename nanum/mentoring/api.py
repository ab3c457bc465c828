"""The mentoring API under /api/v1/mentoring/: thin, services and selectors only."""

from __future__ import annotations

from typing import Any

from ninja import Query, Router, Status

from nanum.core.http import ApiRequest
from nanum.core.idempotency import run_idempotent
from nanum.core.schemas import IDEMPOTENT, Id, Page, PageQuery, page_of

from . import selectors, services
from .models import CounsellingBooking, Match, MentorProfile, Session
from .schemas import (
    AdjustIn,
    BookingIn,
    BookingOut,
    CreatedOut,
    MatchOut,
    MentorIn,
    MentoringSessionOut,
    MentoringSurveyIn,
    MentorOut,
    MessageIn,
    MessageOut,
    ProblemIn,
    RatingIn,
    ReportIn,
    RunOut,
    SlotIn,
    SlotOut,
    SurveyOut,
)

router = Router()


def _mentor(p: MentorProfile) -> dict[str, Any]:
    return {
        "id": p.pk,
        "town": p.tenant.slug,
        "status": p.status,
        "capacity": p.capacity,
        "subjects": p.subjects,
        "levels": p.levels,
        "mode": p.mode,
    }


def _match(m: Match) -> dict[str, Any]:
    return {
        "id": m.pk,
        "status": m.status,
        "kind": m.kind,
        "mentor": str(m.mentor.user),
        "student": str(m.student),
        "hour_of_week": m.hour_of_week,
        "second_hour_of_week": m.second_hour_of_week,
        "mode": m.mode,
        "why": m.why,
        "explanation": services.why_text(m.why),
    }


def _session(s: Session) -> dict[str, Any]:
    rating = getattr(s, "rating", None) if hasattr(s, "rating") else None
    return {
        "id": s.pk,
        "starts_at": s.starts_at,
        "duration_minutes": s.duration_minutes,
        "status": s.status,
        "mentor_confirmed": s.mentor_confirmed_at is not None,
        "student_confirmed": s.student_confirmed_at is not None,
        "has_report": hasattr(s, "report"),
        "rating": rating.stars if rating else None,
    }


def _booking(b: CounsellingBooking) -> dict[str, Any]:
    return {
        "id": b.pk,
        "slot_id": b.slot_id,
        "starts_at": b.slot.starts_at,
        "topic": b.topic,
        "status": b.status,
        "notes": b.notes or "",
    }


def _run(view: services.RunView) -> dict[str, Any]:
    run = view.run
    return {
        "id": run.pk,
        "status": run.status,
        "progress": run.progress,
        "stage": run.stage,
        "finished": run.finished,
        "note": run.note,
        "note_message": services.run_note_text(run),
        "objective": run.objective,
        "certified": run.certified,
        "stats": run.stats,
        "pairs": [_match(m) for m in view.pairs],
        "unmatched": [
            {
                "survey_id": u.survey_id,
                "student": str(u.survey.student),
                "reason": u.reason,
                "message": str(services.REASON_LABELS.get(u.reason, "")),
            }
            for u in view.unmatched
        ],
    }


# --- Mentors ----------------------------------------------------------------------


@router.post(
    "/mentors",
    response={201: MentorOut},
    summary="Apply to mentor in a town (Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def mentor_apply(request: ApiRequest, payload: MentorIn) -> Status:
    def create() -> tuple[int, Any]:
        tenant = selectors.tenant_get(slug=payload.town)
        data = services.MentorInput(**payload.dict(exclude={"town"}))
        return 201, _mentor(
            services.mentor_apply(actor=request.auth, tenant=tenant, data=data)
        )

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get("/mentors/mine", response=Page[MentorOut], summary="My mentor applications")
def mentor_mine(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(selectors.own_mentor_profiles(request.auth), page, _mentor)


# --- Surveys and pairs --------------------------------------------------------------


@router.post(
    "/terms/{term_id}/survey",
    response={201: SurveyOut},
    summary="Fill the mentee survey (Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def survey(request: ApiRequest, term_id: Id, payload: MentoringSurveyIn) -> Status:
    def create() -> tuple[int, Any]:
        s = services.survey_submit(
            actor=request.auth,
            term_id=term_id,
            data=services.SurveyInput(**payload.dict()),
        )
        return 201, {
            "id": s.pk,
            "term_id": s.term_id,
            "subjects": s.subjects,
            "mode": s.mode,
        }

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get(
    "/matches",
    response=Page[MatchOut],
    summary="Pairs I may see (a mentor sees only their own mentees)",
)
def matches(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return page_of(
        services.matches_open(actor=request.auth, request=request), page, _match
    )


@router.get("/matches/{match_id}", response=MatchOut)
def match_detail(request: ApiRequest, match_id: Id) -> dict[str, Any]:
    view = services.match_open(actor=request.auth, match_id=match_id, request=request)
    return _match(view.match)


@router.get("/matches/{match_id}/sessions", response=Page[MentoringSessionOut])
def match_sessions(
    request: ApiRequest, match_id: Id, page: Query[PageQuery]
) -> dict[str, Any]:
    view = services.match_open(actor=request.auth, match_id=match_id, request=request)
    return page_of(list(view.sessions), page, _session)


@router.post(
    "/sessions/{session_id}/confirm",
    response=MentoringSessionOut,
    summary="Confirm attendance (mentor or mentee)",
)
def session_confirm(request: ApiRequest, session_id: Id) -> dict[str, Any]:
    return _session(services.session_confirm(actor=request.auth, session_id=session_id))


@router.post(
    "/sessions/{session_id}/report",
    response={201: CreatedOut},
    summary="File the session report (mentor; Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def session_report(request: ApiRequest, session_id: Id, payload: ReportIn) -> Status:
    def create() -> tuple[int, Any]:
        report = services.session_report_file(
            actor=request.auth,
            session_id=session_id,
            data=services.ReportInput(**payload.dict()),
        )
        return 201, {"id": report.pk}

    return Status(*run_idempotent(request, payload.dict(), create))


@router.post(
    "/sessions/{session_id}/rating",
    response={201: CreatedOut},
    summary="Rate a session (mentee; Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def session_rate(request: ApiRequest, session_id: Id, payload: RatingIn) -> Status:
    def create() -> tuple[int, Any]:
        rating = services.session_rate(
            actor=request.auth,
            session_id=session_id,
            stars=payload.stars,
            comment=payload.comment,
        )
        return 201, {"id": rating.pk}

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get("/matches/{match_id}/messages", response=Page[MessageOut])
def messages(
    request: ApiRequest, match_id: Id, page: Query[PageQuery]
) -> dict[str, Any]:
    found = services.match_messages_open(
        actor=request.auth, match_id=match_id, request=request
    )
    return page_of(
        found,
        page,
        lambda m: {
            "id": m.pk,
            "sender": str(m.sender),
            "body": m.body,
            "sent_at": m.sent_at,
        },
    )


@router.post(
    "/matches/{match_id}/messages",
    response={201: CreatedOut},
    summary="Message your mentor or mentee (Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def message_send(request: ApiRequest, match_id: Id, payload: MessageIn) -> Status:
    def create() -> tuple[int, Any]:
        msg = services.message_send(
            actor=request.auth, match_id=match_id, body=payload.body
        )
        return 201, {"id": msg.pk}

    return Status(*run_idempotent(request, payload.dict(), create))


@router.post(
    "/problems",
    response={201: CreatedOut},
    summary="Report a problem to staff (Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def problem(request: ApiRequest, payload: ProblemIn) -> Status:
    def create() -> tuple[int, Any]:
        report = services.problem_report(
            actor=request.auth, body=payload.body, match_id=payload.match_id
        )
        return 201, {"id": report.pk}

    return Status(*run_idempotent(request, payload.dict(), create))


# --- Staff -------------------------------------------------------------------------


@router.post(
    "/terms/{term_id}/runs",
    response={201: RunOut},
    summary="Run the optimal batch match for a term (staff)",
    openapi_extra=IDEMPOTENT,
)
def run_create(request: ApiRequest, term_id: Id) -> Status:
    def create() -> tuple[int, Any]:
        run = services.match_run_create(actor=request.auth, term_id=term_id)
        return 201, _run(services.match_run_view(run=run))

    return Status(*run_idempotent(request, {"term": term_id}, create))


@router.get("/runs/{run_id}", response=RunOut)
def run_detail(request: ApiRequest, run_id: Id) -> dict[str, Any]:
    return _run(
        services.match_run_open(actor=request.auth, run_id=run_id, request=request)
    )


@router.post("/runs/{run_id}/publish", response=RunOut)
def run_publish(request: ApiRequest, run_id: Id) -> dict[str, Any]:
    run = services.match_run_publish(actor=request.auth, run_id=run_id)
    return _run(services.match_run_view(run=run))


@router.post(
    "/matches/{match_id}/adjust",
    response=MatchOut,
    summary="Give a proposed pair another mentor (staff)",
)
def match_adjust(
    request: ApiRequest, match_id: Id, payload: AdjustIn
) -> dict[str, Any]:
    return _match(
        services.match_adjust(
            actor=request.auth, match_id=match_id, mentor_id=payload.mentor_id
        )
    )


# --- Counselling --------------------------------------------------------------------


@router.get("/counselling/slots", response=Page[SlotOut], summary="Open slots for me")
def slots(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    out = []
    for town in selectors.counselling_tenants(request.auth):
        for s in selectors.open_slots(town)[:100]:
            out.append(
                {
                    "id": s.pk,
                    "counsellor": str(s.counsellor),
                    "starts_at": s.starts_at,
                    "ends_at": s.ends_at,
                    "topic": s.topic,
                    "booked": False,
                }
            )
    return page_of(out, page)


@router.post(
    "/counselling/slots",
    response={201: SlotOut},
    summary="Publish a slot (counsellor; Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def slot_publish(request: ApiRequest, payload: SlotIn) -> Status:
    def create() -> tuple[int, Any]:
        s = services.slot_publish(actor=request.auth, **payload.dict())
        return 201, {
            "id": s.pk,
            "counsellor": str(s.counsellor),
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "topic": s.topic,
            "booked": False,
        }

    return Status(*run_idempotent(request, payload.dict(), create))


@router.post(
    "/counselling/bookings",
    response={201: BookingOut},
    summary="Book a consultation (Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def book(request: ApiRequest, payload: BookingIn) -> Status:
    def create() -> tuple[int, Any]:
        b = services.booking_create(actor=request.auth, **payload.dict())
        return 201, _booking(b)

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get(
    "/counselling/bookings/{booking_id}",
    response=BookingOut,
    summary="A booking with its notes (only its student and counsellor)",
)
def booking(request: ApiRequest, booking_id: Id) -> dict[str, Any]:
    return _booking(selectors.booking_get(actor=request.auth, booking_id=booking_id))


@router.post("/counselling/bookings/{booking_id}/cancel", response=BookingOut)
def booking_cancel(request: ApiRequest, booking_id: Id) -> dict[str, Any]:
    return _booking(services.booking_cancel(actor=request.auth, booking_id=booking_id))
