"""Recommendations and mastery maps by API (thin: selectors and services)."""

from __future__ import annotations

from typing import Any

from ninja import Router

from nanum.core.http import ApiRequest
from nanum.core.schemas import Id

from . import services
from .schemas import FollowOut, MasteryOut, RecommendationsOut

router = Router()


@router.get(
    "/recommendations",
    response=RecommendationsOut,
    summary="My next lessons and questions (each one shown is logged)",
)
def recommendations(request: ApiRequest) -> dict[str, Any]:
    shown = services.recommendations_show(actor=request.auth)
    return {
        "estimator": shown.recs.estimator,
        "diagnostic_item_ids": shown.recs.diagnostic,
        "lessons": [
            {
                "event_id": row.event.pk,
                "lesson_id": row.ranked.lesson.id,
                "title": row.ranked.lesson.title,
                "score": row.ranked.score,
                "reason_code": str(row.event.reason.get("code", "")),
                "reason": row.reason,
            }
            for row in shown.lessons
        ],
        "items": [
            {
                "event_id": row.event.pk,
                "item_id": row.pick.item_id,
                "lesson_id": row.pick.lesson_id,
                "prompt": row.pick.prompt,
                "skills": row.pick.skills,
                "p_correct": row.pick.p_correct,
                "score": row.pick.score,
            }
            for row in shown.practice
        ],
    }


@router.post(
    "/recommendations/{event_id}/follow",
    response=FollowOut,
    summary="Record that I followed a recommendation",
)
def follow(request: ApiRequest, event_id: Id) -> dict[str, Any]:
    event = services.recommendation_follow(actor=request.auth, event_id=event_id)
    assert event.followed_at is not None  # recommendation_follow sets it
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
def mastery(request: ApiRequest, student_id: Id) -> dict[str, Any]:
    opened = services.mastery_map_open(
        actor=request.auth, student_id=student_id, request=request
    )
    return {
        "student_id": opened.student.pk,
        "estimator": opened.estimator,
        "skills": [r.__dict__ for r in opened.rows],
    }
