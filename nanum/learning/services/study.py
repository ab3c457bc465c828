"""Studying in Nanum: lessons, answers (interactions), study time, goals and plans."""

from __future__ import annotations

import math

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import InvalidInput, NotFound
from nanum.core.models import User

from ..models import (
    Interaction,
    Item,
    Lesson,
    LessonProgress,
    PlanEntry,
    StudyDay,
    WeeklyGoal,
)
from .home import home_touch

MAX_MINUTES_PER_ANSWER = 10


def _add_minutes(student: User, minutes: int) -> None:
    if minutes <= 0:
        return
    d = clock.today()
    updated = StudyDay.objects.filter(student=student, day=d).update(
        nanum_minutes=F("nanum_minutes") + minutes
    )
    if not updated:
        try:
            with transaction.atomic():
                StudyDay.objects.create(student=student, day=d, nanum_minutes=minutes)
        except IntegrityError:
            StudyDay.objects.filter(student=student, day=d).update(
                nanum_minutes=F("nanum_minutes") + minutes
            )


def _progress(student: User, lesson: Lesson) -> LessonProgress:
    progress, _c = LessonProgress.objects.get_or_create(student=student, lesson=lesson)
    return progress


@transaction.atomic
def lesson_start(*, actor: User, lesson_id: int) -> LessonProgress:
    lesson = Lesson.objects.filter(pk=lesson_id, course__is_published=True).first()
    if lesson is None:
        raise NotFound()
    progress = _progress(actor, lesson)
    LessonProgress.objects.filter(pk=progress.pk).update(updated_at=clock.now())
    # "continue" leads to this lesson now; the recommendation stays what it was
    home_touch(student_ids=[actor.pk], steps=False)
    return progress


@transaction.atomic
def lesson_complete(*, actor: User, lesson_id: int) -> LessonProgress:
    lesson = Lesson.objects.filter(pk=lesson_id, course__is_published=True).first()
    if lesson is None:
        raise NotFound()
    progress = _progress(actor, lesson)
    if progress.completed_at is None:
        progress.completed_at = clock.now()
        progress.updated_at = progress.completed_at
        progress.save(update_fields=["completed_at", "updated_at"])
        _add_minutes(actor, lesson.minutes)
        home_touch(student_ids=[actor.pk])
    return progress


@transaction.atomic
def answer_record(
    *, actor: User, item_id: int, answer: int, duration_ms: int = 0
) -> Interaction:
    """Record one answer as an Interaction (what the learner model reads)."""
    item = (
        Item.objects.select_related("lesson")
        .filter(pk=item_id, lesson__course__is_published=True)
        .first()
    )
    if item is None:
        raise NotFound()
    if not 0 <= answer < len(item.choices or []):
        raise InvalidInput(field_errors={"answer": [_("Choose one of the answers.")]})
    duration_ms = max(0, min(int(duration_ms or 0), 3_600_000))
    interaction = Interaction.objects.create(
        student=actor,
        item=item,
        skills=list(item.skills or []),
        correct=answer == item.answer,
        answer=answer,
        duration_ms=duration_ms,
    )
    progress = _progress(actor, item.lesson)
    LessonProgress.objects.filter(pk=progress.pk).update(
        answered=F("answered") + 1,
        correct=F("correct") + (1 if interaction.correct else 0),
        updated_at=clock.now(),
    )
    _add_minutes(actor, min(MAX_MINUTES_PER_ANSWER, math.ceil(duration_ms / 60000)))
    # progress, minutes and the learner model's next recommendation all changed
    home_touch(student_ids=[actor.pk])
    return interaction


@transaction.atomic
def goal_set(*, actor: User, target_minutes: int, note: str = "") -> WeeklyGoal:
    if not 10 <= target_minutes <= 5000:
        raise InvalidInput(
            field_errors={"target_minutes": [_("Choose between 10 and 5,000 minutes.")]}
        )
    goal, _c = WeeklyGoal.objects.update_or_create(
        student=actor, defaults={"target_minutes": target_minutes, "note": note[:200]}
    )
    home_touch(student_ids=[actor.pk], steps=False)
    return goal


@transaction.atomic
def plan_entry_add(
    *, actor: User, weekday: int, subject: str, minutes: int
) -> PlanEntry:
    subject = (subject or "").strip()
    errors = {}
    if not 0 <= weekday <= 6:
        errors["weekday"] = [_("Choose a day.")]
    if not subject:
        errors["subject"] = [_("Enter a subject.")]
    if not 5 <= minutes <= 600:
        errors["minutes"] = [_("Choose between 5 and 600 minutes.")]
    if PlanEntry.objects.filter(student=actor).count() >= 50:
        errors["subject"] = [_("Your plan is full (50 entries).")]
    if errors:
        raise InvalidInput(field_errors=errors)
    entry = PlanEntry.objects.create(
        student=actor, weekday=weekday, subject=subject[:60], minutes=minutes
    )
    home_touch(student_ids=[actor.pk])
    return entry


@transaction.atomic
def plan_entry_remove(*, actor: User, entry_id: int) -> None:
    deleted, _d = PlanEntry.objects.filter(pk=entry_id, student=actor).delete()
    if not deleted:
        raise NotFound()
    home_touch(student_ids=[actor.pk])
