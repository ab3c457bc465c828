"""Reads of studying in Nanum that the learner model needs: answers, lessons, items.

The learner model (``nanum.learner_model``) reads learning's data only through these
functions. Content is what a student may study (published courses); a student's
answers and progress are their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, QuerySet, Sum, Window
from django.db.models.functions import Cast

from nanum.core.models import User

from ..models import (
    Application,
    Interaction,
    Item,
    Lesson,
    LessonProgress,
    PlanEntry,
    ProviderCourse,
    Seat,
    Status,
)

Answer = tuple[int, list[str], bool]  # (item id, skills, correct)


@dataclass(frozen=True)
class StudyProfile:
    """What shapes a student's recommendations: level, grade, goals, provider."""

    school_level: str | None = None
    grade: int | None = None
    goal_subjects: frozenset[str] = field(default_factory=frozenset)
    provider_subjects: frozenset[str] = field(default_factory=frozenset)


def answer_window(*, student: User | int, limit: int) -> tuple[list[Answer], int]:
    """A student's last ``limit`` answers, oldest first, and how many answers they
    have given in all (one query, so the two agree)."""
    rows = list(
        Interaction.objects.filter(student=student)
        .annotate(total=Window(Count("id")))
        .order_by("-answered_at", "-id")
        .values_list("item_id", "skills", "correct", "total")[:limit]
    )
    rows.reverse()
    total = rows[-1][3] if rows else 0
    answers = [(item, list(skills or []), bool(ok)) for item, skills, ok, _ in rows]
    return answers, total


def item_success(*, item_ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    """Item id -> (answers, correct answers) over every student (difficulty)."""
    qs = Interaction.objects.all()
    if item_ids is not None:
        qs = qs.filter(item_id__in=item_ids)
    rows = qs.values("item_id").annotate(
        n=Count("id"), c=Sum(Cast("correct", IntegerField()))
    )
    return {r["item_id"]: (r["n"], r["c"] or 0) for r in rows}


def answers_for_training(
    *, chunk_size: int = 5000
) -> Iterator[tuple[int, int, list[str], bool]]:
    """Every answer as (student id, item id, skills, correct), by student and time."""
    rows = Interaction.objects.order_by("student_id", "answered_at", "id").values_list(
        "student_id", "item_id", "skills", "correct"
    )
    for student_id, item_id, skills, correct in rows.iterator(chunk_size=chunk_size):
        yield student_id, item_id, list(skills or []), bool(correct)


def study_profile(*, student: User) -> StudyProfile:
    """The student's level and grade (latest approved application), the subjects of
    their study plan and those their lecture provider teaches at their level."""
    app = (
        Application.objects.filter(student=student, status=Status.APPROVED)
        .order_by("-id")
        .values("school_level", "grade")
        .first()
    )
    goals = frozenset(
        PlanEntry.objects.filter(student=student).values_list("subject", flat=True)
    )
    provider_ids = Seat.objects.filter(student=student, state=Seat.State.ACTIVE).values(
        "provider_id"
    )
    level = app["school_level"] if app else None
    courses = ProviderCourse.objects.filter(provider_id__in=provider_ids)
    if level:
        courses = courses.filter(school_level=level)
    return StudyProfile(
        school_level=level,
        grade=app["grade"] if app else None,
        goal_subjects=goals,
        provider_subjects=frozenset(courses.values_list("subject", flat=True)),
    )


def published_lessons(*, school_level: str | None = None) -> QuerySet[Lesson]:
    """Lessons of published courses (at ``school_level`` when given), with course."""
    qs = Lesson.objects.filter(course__is_published=True).select_related("course")
    if school_level:
        qs = qs.filter(course__school_level=school_level)
    return qs


def completed_lesson_ids(*, student: User | int) -> set[int]:
    return set(
        LessonProgress.objects.filter(
            student=student, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


def item_rows(*, lesson_ids: list[int]) -> list[tuple[int, int, str, list[str]]]:
    """(item id, lesson id, prompt, skills) of the items of ``lesson_ids``."""
    return [
        (item_id, lesson_id, prompt, list(skills or []))
        for item_id, lesson_id, prompt, skills in Item.objects.filter(
            lesson_id__in=lesson_ids
        ).values_list("id", "lesson_id", "prompt", "skills")
    ]


def published_items(*, item_ids: list[int]) -> QuerySet[Item]:
    """Items of published courses among ``item_ids`` (what a student may answer)."""
    return Item.objects.filter(pk__in=item_ids, lesson__course__is_published=True)


def course_items(*, course_id: int) -> QuerySet[Item]:
    """A course's items in lesson and item order."""
    return Item.objects.filter(lesson__course_id=course_id).order_by(
        "lesson__order", "order", "id"
    )
