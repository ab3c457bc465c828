"""Authoring Nanum's own study content: a course with its lessons and quiz items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from nanum.core.errors import PermissionDenied
from nanum.core.models import Tenant, User
from nanum.core.services import audit_record
from nanum.core.tenancy import is_platform_admin

from ..models import Course, Item, Lesson


@dataclass(frozen=True)
class ItemInput:
    prompt: str
    choices: Sequence[str]
    answer: int  # 0-based index into ``choices``
    skills: Sequence[str] = ()
    explanation: str = ""
    explanation_en: str = ""


@dataclass(frozen=True)
class LessonInput:
    title: str
    skills: Sequence[str] = ()
    minutes: int = 15
    reading: str = ""
    video_url: str = ""
    items: Sequence[ItemInput] = field(default_factory=tuple)


@dataclass(frozen=True)
class CourseInput:
    title: str
    subject: str
    school_level: str
    grade: int | None = None
    description: str = ""
    tenant: Tenant | None = None
    is_published: bool = True
    lessons: Sequence[LessonInput] = field(default_factory=tuple)


@transaction.atomic
def course_create(*, actor: User | None, course: CourseInput) -> Course:
    """Create a course with its lessons (in order) and their items, all or nothing.

    ``actor=None`` is a system write (the demo seeder); a person must be a platform
    administrator.
    """
    if actor is not None and not is_platform_admin(actor):
        raise PermissionDenied()
    obj = Course(
        title=course.title,
        subject=course.subject,
        school_level=course.school_level,
        grade=course.grade,
        description=course.description,
        tenant=course.tenant,
        is_published=course.is_published,
    )
    obj.full_clean()
    obj.save()
    n_items = 0
    for order, lesson_in in enumerate(course.lessons, start=1):
        lesson = Lesson(
            course=obj,
            order=order,
            title=lesson_in.title,
            minutes=lesson_in.minutes,
            skills=list(lesson_in.skills),
            reading=lesson_in.reading,
            video_url=lesson_in.video_url,
        )
        lesson.full_clean()
        lesson.save()
        for n, item_in in enumerate(lesson_in.items, start=1):
            item = Item(
                lesson=lesson,
                order=n,
                prompt=item_in.prompt,
                choices=list(item_in.choices),
                answer=item_in.answer,
                skills=list(item_in.skills),
                explanation=item_in.explanation,
                explanation_en=item_in.explanation_en,
            )
            item.full_clean()
            item.save()
            n_items += 1
    audit_record(
        actor=actor,
        action="learning.course_create",
        obj=obj,
        tenant=obj.tenant,
        after={
            "title": obj.title,
            "lessons": len(course.lessons),
            "items": n_items,
        },
    )
    return obj
