"""The mentoring API under /api/v1/mentoring/: thin, services and selectors only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from nanum.core.errors import NotFound
from nanum.core.idempotency import run_idempotent
from nanum.core.models import Tenant
from nanum.core.services import access_record

from . import selectors, services
from .models import CounsellingBooking, Match, MatchRun, MentorProfile, Session
from .schemas import (
    AdjustIn,
    BookingIn,
    BookingOut,
    CreatedOut,
    MatchOut,
    MentorIn,
    MentorOut,
    MessageIn,
    MessageOut,
    ProblemIn,
    RatingIn,
    ReportIn,
    RunOut,
    SessionOut,
    SlotIn,
    SlotOut,
    SurveyIn,
    SurveyOut,
)
from .services.matching import REASON_LABELS, SurveyInput, why_text
from .services.sessions import ReportInput

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
        "explanation": why_text(m.why),
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


def _run(run: MatchRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "objective": run.objective,
        "certified": run.certified,
        "stats": run.stats,
        "pairs": [
            _match(m) for m in run.matches.select_related("mentor__user", "student")
        ],
        "unmatched": [
            {
                "survey_id": u.survey_id,
                "student": str(u.survey.student),
                "reason": u.reason,
                "message": str(REASON_LABELS.get(u.reason, "")),
            }
            for u in run.unmatched.select_related("survey__student")
        ],
    }


# --- Mentors ----------------------------------------------------------------------


@router.post(
    "/mentors",
    response={201: MentorOut},
    summary="Apply to mentor in a town (Idempotency-Key supported)",
)
def mentor_apply(request: HttpRequest, payload: MentorIn) -> Status:
    def create() -> tuple[int, Any]:
        tenant = Tenant.objects.filter(slug=payload.town).first()
        if tenant is None:
            raise NotFound()
        data = services.MentorInput(**payload.dict(exclude={"town"}))
        return 201, _mentor(
            services.mentor_apply(actor=request.user, tenant=tenant, data=data)
        )

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get("/mentors/mine", response=list[MentorOut], summary="My mentor applications")
def mentor_mine(request: HttpRequest) -> list[dict[str, Any]]:
    return [_mentor(p) for p in selectors.own_mentor_profiles(request.user)]


# --- Surveys and pairs --------------------------------------------------------------


@router.post(
    "/terms/{term_id}/survey",
    response={201: SurveyOut},
    summary="Fill the mentee survey (Idempotency-Key supported)",
)
def survey(request: HttpRequest, term_id: int, payload: SurveyIn) -> Status:
    def create() -> tuple[int, Any]:
        s = services.survey_submit(
            actor=request.user, term_id=term_id, data=SurveyInput(**payload.dict())
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
    response=list[MatchOut],
    summary="Pairs I may see (a mentor sees only their own mentees)",
)
def matches(request: HttpRequest) -> list[dict[str, Any]]:
    qs = list(selectors.matches_visible(request.user).order_by("-pk")[:200])
    others = [m for m in qs if request.user.pk not in (m.student_id, m.mentor.user_id)]
    if others:  # staff reading other people's pairs: one access-log row for the list
        access_record(
            actor=request.user,
            action="view",
            subject=None,
            object_type="mentoring.match",
            record_count=len(others),
            request=request,
        )
    return [_match(m) for m in qs]


@router.get("/matches/{match_id}", response=MatchOut)
def match_detail(request: HttpRequest, match_id: int) -> dict[str, Any]:
    return _match(selectors.match_get(request.user, match_id))


@router.get("/matches/{match_id}/sessions", response=list[SessionOut])
def match_sessions(request: HttpRequest, match_id: int) -> list[dict[str, Any]]:
    match = selectors.match_get(request.user, match_id)
    return [_session(s) for s in match.sessions.select_related("report", "rating")]


@router.post(
    "/sessions/{session_id}/confirm",
    response=SessionOut,
    summary="Confirm attendance (mentor or mentee)",
)
def session_confirm(request: HttpRequest, session_id: int) -> dict[str, Any]:
    return _session(services.session_confirm(actor=request.user, session_id=session_id))


@router.post(
    "/sessions/{session_id}/report",
    response={201: CreatedOut},
    summary="File the session report (mentor; Idempotency-Key supported)",
)
def session_report(request: HttpRequest, session_id: int, payload: ReportIn) -> Status:
    def create() -> tuple[int, Any]:
        report = services.session_report_file(
            actor=request.user,
            session_id=session_id,
            data=ReportInput(**payload.dict()),
        )
        return 201, {"id": report.pk}

    return Status(*run_idempotent(request, payload.dict(), create))


@router.post(
    "/sessions/{session_id}/rating",
    response={201: CreatedOut},
    summary="Rate a session (mentee; Idempotency-Key supported)",
)
def session_rate(request: HttpRequest, session_id: int, payload: RatingIn) -> Status:
    def create() -> tuple[int, Any]:
        rating = services.session_rate(
            actor=request.user,
            session_id=session_id,
            stars=payload.stars,
            comment=payload.comment,
        )
        return 201, {"id": rating.pk}

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get("/matches/{match_id}/messages", response=list[MessageOut])
def messages(request: HttpRequest, match_id: int) -> list[dict[str, Any]]:
    match = selectors.match_get(request.user, match_id)
    if request.user.pk not in (match.student_id, match.mentor.user_id):
        access_record(
            actor=request.user,
            action="view",
            subject=match.student,
            object_type="mentoring.messages",
            object_id=str(match.pk),
            tenant=match.tenant,
            request=request,
        )
    return [
        {"id": m.pk, "sender": str(m.sender), "body": m.body, "sent_at": m.sent_at}
        for m in match.messages.select_related("sender")
    ]


@router.post(
    "/matches/{match_id}/messages",
    response={201: CreatedOut},
    summary="Message your mentor or mentee (Idempotency-Key supported)",
)
def message_send(request: HttpRequest, match_id: int, payload: MessageIn) -> Status:
    def create() -> tuple[int, Any]:
        msg = services.message_send(
            actor=request.user, match_id=match_id, body=payload.body
        )
        return 201, {"id": msg.pk}

    return Status(*run_idempotent(request, payload.dict(), create))


@router.post(
    "/problems",
    response={201: CreatedOut},
    summary="Report a problem to staff (Idempotency-Key supported)",
)
def problem(request: HttpRequest, payload: ProblemIn) -> Status:
    def create() -> tuple[int, Any]:
        report = services.problem_report(
            actor=request.user, body=payload.body, match_id=payload.match_id
        )
        return 201, {"id": report.pk}

    return Status(*run_idempotent(request, payload.dict(), create))


# --- Staff -------------------------------------------------------------------------


@router.post(
    "/terms/{term_id}/runs",
    response={201: RunOut},
    summary="Run the optimal batch match for a term (staff)",
)
def run_create(request: HttpRequest, term_id: int) -> Status:
    def create() -> tuple[int, Any]:
        return 201, _run(services.match_run_create(actor=request.user, term_id=term_id))

    return Status(*run_idempotent(request, {"term": term_id}, create))


@router.get("/runs/{run_id}", response=RunOut)
def run_detail(request: HttpRequest, run_id: int) -> dict[str, Any]:
    run = selectors.run_for_staff(request.user, run_id)
    access_record(
        actor=request.user,
        action="view",
        subject=None,
        object_type="mentoring.run",
        object_id=str(run.pk),
        tenant=run.tenant,
        request=request,
    )
    return _run(run)


@router.post("/runs/{run_id}/publish", response=RunOut)
def run_publish(request: HttpRequest, run_id: int) -> dict[str, Any]:
    return _run(services.match_run_publish(actor=request.user, run_id=run_id))


@router.post(
    "/matches/{match_id}/adjust",
    response=MatchOut,
    summary="Give a proposed pair another mentor (staff)",
)
def match_adjust(
    request: HttpRequest, match_id: int, payload: AdjustIn
) -> dict[str, Any]:
    return _match(
        services.match_adjust(
            actor=request.user, match_id=match_id, mentor_id=payload.mentor_id
        )
    )


# --- Counselling --------------------------------------------------------------------


@router.get("/counselling/slots", response=list[SlotOut], summary="Open slots for me")
def slots(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for town in selectors.mentee_tenants(request.user):
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
    return out


@router.post(
    "/counselling/slots",
    response={201: SlotOut},
    summary="Publish a slot (counsellor; Idempotency-Key supported)",
)
def slot_publish(request: HttpRequest, payload: SlotIn) -> Status:
    def create() -> tuple[int, Any]:
        s = services.slot_publish(actor=request.user, **payload.dict())
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
)
def book(request: HttpRequest, payload: BookingIn) -> Status:
    def create() -> tuple[int, Any]:
        b = services.booking_create(actor=request.user, **payload.dict())
        return 201, _booking(b)

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get(
    "/counselling/bookings/{booking_id}",
    response=BookingOut,
    summary="A booking with its notes (only its student and counsellor)",
)
def booking(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    return _booking(selectors.booking_get(request.user, booking_id))


@router.post("/counselling/bookings/{booking_id}/cancel", response=BookingOut)
def booking_cancel(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    return _booking(services.booking_cancel(actor=request.user, booking_id=booking_id))
