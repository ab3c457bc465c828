"""What a student sees after answering a quiz item: their answer, the right one, why,
and another item on the same skill to try next."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import get_language

from nanum.core.models import User

from ..models import Interaction, Item, Lesson

#: How many published items the "similar one" search looks at (the catalogue is small).
SIMILAR_SCAN = 2000


@dataclass(frozen=True)
class Feedback:
    """One answered item: the student's choice (kept selected), the right choice, why."""

    item: Item
    chosen: int
    correct: bool
    explanation: str
    similar_url: str  # "" when no other item trains the same skill


def explanation_for(item: Item, language: str | None = None) -> str:
    """The item's explanation in the page's language (Korean when no English one)."""
    language = language or get_language() or "ko"
    if language.startswith("en") and item.explanation_en:
        return item.explanation_en
    return item.explanation


def similar_item_url(*, student: User, item: Item) -> str:
    """The address of another published item that trains one of ``item``'s skills:
    first one the student has not yet answered right, in the same lesson if possible."""
    skills = set(item.skills or [])
    if not skills:
        return ""
    rows = list(
        Item.objects.filter(lesson__course__is_published=True)
        .exclude(pk=item.pk)
        .order_by("lesson_id", "order", "id")
        .values_list("id", "lesson_id", "skills")[:SIMILAR_SCAN]
    )
    same = [(i, lesson) for i, lesson, s in rows if skills & set(s or [])]
    if not same:
        return ""
    right = set(
        Interaction.objects.filter(
            student=student, correct=True, item_id__in=[i for i, _l in same]
        ).values_list("item_id", flat=True)
    )
    same.sort(key=lambda r: (r[0] in right, r[1] != item.lesson_id))
    item_id, lesson_id = same[0]
    return f"{reverse('learning:lesson', args=[lesson_id])}#item-{item_id}"


def answer_feedback(
    *, student: User, lesson: Lesson, interaction_id: int | None
) -> Feedback | None:
    """The feedback on one of the student's own answers to an item of ``lesson``;
    None for an answer that is not theirs or not of this lesson (nothing is shown)."""
    if not interaction_id:
        return None
    inter = (
        Interaction.objects.filter(
            pk=interaction_id, student=student, item__lesson=lesson
        )
        .select_related("item")
        .first()
    )
    if inter is None:
        return None
    return Feedback(
        item=inter.item,
        chosen=inter.answer if inter.answer is not None else -1,
        correct=inter.correct,
        explanation=explanation_for(inter.item),
        similar_url=similar_item_url(student=student, item=inter.item),
    )
