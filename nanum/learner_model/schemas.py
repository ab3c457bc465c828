from __future__ import annotations

from ninja import Schema


class LessonRecOut(Schema):
    event_id: int
    lesson_id: int
    title: str
    score: float
    reason_code: str
    reason: str


class ItemRecOut(Schema):
    event_id: int
    item_id: int
    lesson_id: int
    prompt: str
    skills: list[str]
    p_correct: float
    score: float


class RecommendationsOut(Schema):
    estimator: str
    diagnostic_item_ids: list[int]
    lessons: list[LessonRecOut]
    items: list[ItemRecOut]


class FollowOut(Schema):
    event_id: int
    followed_at: str
    lesson_id: int | None


class MasteryRowOut(Schema):
    code: str
    name: str
    mastery: float
    answered: int
    correct: int


class MasteryOut(Schema):
    student_id: int
    estimator: str
    skills: list[MasteryRowOut]
