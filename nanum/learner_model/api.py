"""Recommendations and mastery maps by API (thin: selectors and services)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from . import selectors, services
from .reasons import reason_text
from .schemas import FollowOut, MasteryOut, RecommendationsOut

router = Router()


@router.get(
    "/recommendations",
    response=RecommendationsOut,
    summary="My next lessons and questions (each one shown is logged)",
)
def recommendations(request: HttpRequest) -> dict:
    shown = services.recommendations_show(actor=request.user)
    recs = shown.recs
    codes = sorted({str(e.reason.get("skill", "")) for e in shown.lesson_events} - {""})
    names = selectors.skill_names(codes)
    return {
        "estimator": recs.estimator,
        "diagnostic_item_ids": recs.diagnostic,
        "lessons": [
            {
                "event_id": e.pk,
                "lesson_id": r.lesson.id,
                "title": r.lesson.title,
                "score": r.score,
                "reason_code": str(e.reason.get("code", "")),
                "reason": reason_text(e.reason, names),
            }
            for e, r in zip(shown.lesson_events, recs.lessons, strict=True)
        ],
        "items": [
            {
                "event_id": e.pk,
                "item_id": p.item_id,
                "lesson_id": p.lesson_id,
                "prompt": p.prompt,
                "skills": p.skills,
                "p_correct": p.p_correct,
                "score": p.score,
            }
            for e, p in zip(shown.item_events, recs.items, strict=True)
        ],
    }


@router.post(
    "/recommendations/{event_id}/follow",
    response=FollowOut,
    summary="Record that I followed a recommendation",
)
def follow(request: HttpRequest, event_id: int) -> dict:
    event = services.recommendation_follow(actor=request.user, event_id=event_id)
    return {
        "event_id": event.pk,
        "followed_at": event.followed_at.isoformat(),
        "lesson_id": event.lesson_id,
    }


@router.get(
    "/students/{student_id}/mastery",
    response=MasteryOut,
    summary="A student's mastery map (the student, their mentor or teacher)",
)
def mastery(request: HttpRequest, student_id: int) -> dict:
    student, estimator, rows = services.mastery_map_open(
        actor=request.user, student_id=student_id, request=request
    )
    return {
        "student_id": student.pk,
        "estimator": estimator,
        "skills": [r.__dict__ for r in rows],
    }
