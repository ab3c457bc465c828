"""A student's recommendations: shown (and logged), followed, the diagnostic quiz."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import User
from nanum.learning.services.study import answer_record

from .. import selectors
from ..engine.recommend import Ranked
from ..models import RecommendationEvent
from ._reasons import reason_text


@dataclass
class LessonShown:
    """A recommended lesson, its log row and its reason as a sentence."""

    event: RecommendationEvent
    ranked: Ranked
    reason: str


@dataclass
class PracticeShown:
    event: RecommendationEvent
    pick: selectors.ItemPick


@dataclass
class LectureShown:
    """A provider lecture the student's seat opens, with its reason as a sentence."""

    ranked: selectors.RankedLecture
    reason: str


@dataclass
class Shown:
    recs: selectors.Recommendations
    lesson_events: list[RecommendationEvent]
    item_events: list[RecommendationEvent]
    diagnostic_events: list[RecommendationEvent]
    lessons: list[LessonShown]
    practice: list[PracticeShown]
    diagnostic_items: list[selectors.DiagnosticItem]
    lectures: list[LectureShown] = field(default_factory=list)


def _lessons_shown(
    events: list[RecommendationEvent], ranked: list[Ranked]
) -> list[LessonShown]:
    """Each shown lesson with its reason in the reader's language: the one place
    that turns reason codes (and the skill codes in them) into words."""
    codes = {str(e.reason.get(k, "")) for e in events for k in ("skill", "unlocks")}
    names = selectors.skill_names(sorted(c for c in codes if c))
    return [
        LessonShown(event=e, ranked=r, reason=reason_text(e.reason, names))
        for e, r in zip(events, ranked, strict=True)
    ]


def _lectures_shown(ranked: list[selectors.RankedLecture]) -> list[LectureShown]:
    codes = {str(r.reason.get(k, "")) for r in ranked for k in ("skill", "unlocks")}
    names = selectors.skill_names(sorted(c for c in codes if c))
    return [LectureShown(ranked=r, reason=reason_text(r.reason, names)) for r in ranked]


@transaction.atomic
def recommendations_show(*, actor: User) -> Shown:
    """Compute a student's recommendations and log each one shown (to measure effect)."""
    recs = selectors.recommendations_for(actor)
    now = clock.now()
    Kind = RecommendationEvent.Kind
    rows: list[RecommendationEvent] = []
    for rank, item_id in enumerate(recs.diagnostic, start=1):
        rows.append(
            RecommendationEvent(
                student=actor,
                kind=Kind.DIAGNOSTIC,
                item_id=item_id,
                rank=rank,
                score=0.0,
                shown_at=now,
                reason={"code": "diagnostic"},
                estimator=recs.estimator,
            )
        )
    for rank, r in enumerate(recs.lessons, start=1):
        rows.append(
            RecommendationEvent(
                student=actor,
                kind=Kind.LESSON,
                lesson_id=r.lesson.id,
                rank=rank,
                score=r.score,
                reason=r.reason,
                shown_at=now,
                estimator=recs.estimator,
            )
        )
    for rank, pick in enumerate(recs.items, start=1):
        rows.append(
            RecommendationEvent(
                student=actor,
                kind=Kind.ITEM,
                item_id=pick.item_id,
                lesson_id=pick.lesson_id,
                rank=rank,
                score=pick.score,
                shown_at=now,
                reason={
                    "code": "practice",
                    "skill": pick.skills[0],
                    "p_correct": pick.p_correct,
                },
                estimator=recs.estimator,
            )
        )
    created = RecommendationEvent.objects.bulk_create(rows)
    lesson_events = [e for e in created if e.kind == Kind.LESSON]
    item_events = [e for e in created if e.kind == Kind.ITEM]
    return Shown(
        recs=recs,
        diagnostic_events=[e for e in created if e.kind == Kind.DIAGNOSTIC],
        lesson_events=lesson_events,
        item_events=item_events,
        lessons=_lessons_shown(lesson_events, recs.lessons),
        practice=[
            PracticeShown(event=e, pick=p)
            for e, p in zip(item_events, recs.items, strict=True)
        ],
        diagnostic_items=selectors.diagnostic_items(recs.diagnostic),
        lectures=_lectures_shown(recs.lectures),
    )


@transaction.atomic
def diagnostic_submit(*, actor: User, answers: list[tuple[int, int]]) -> int:
    """Record a diagnostic quiz's answers together: all of them, or none."""
    for item_id, answer in answers:
        answer_record(actor=actor, item_id=item_id, answer=answer)
    return len(answers)


@transaction.atomic
def recommendation_follow(*, actor: User, event_id: int) -> RecommendationEvent:
    """Mark a shown recommendation as followed (only the student's own)."""
    event = (
        RecommendationEvent.objects.select_for_update()
        .filter(pk=event_id, student=actor)
        .first()
    )
    if event is None:
        raise NotFound()
    if event.followed_at is None:
        event.followed_at = clock.now()
        event.save(update_fields=["followed_at"])
    return event
