"""Ranking by expected learning gain (pure: no database, no Django).

A skill's gain is how much is left to learn (1 - mastery) times how ready the student
is for it (its prerequisites' mastery). A lesson's score is its skills' mean gain,
adjusted for the student's grade, their goals, what their lecture provider covers and
whether they already finished it. Each result carries a reason the page turns into a
sentence in the student's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .estimators import SkillStats

READY_AT = 0.6  # prerequisite mastery at which a skill counts as ready
PRIOR = 0.5  # mastery assumed for a skill never practised


@dataclass(frozen=True)
class LessonInfo:
    id: int
    title: str
    skills: tuple[str, ...]
    subject: str
    school_level: str
    grade: int | None
    completed: bool = False


@dataclass(frozen=True)
class Learner:
    school_level: str | None
    grade: int | None
    goal_subjects: frozenset[str] = frozenset()
    provider_subjects: frozenset[str] = frozenset()


@dataclass
class Ranked:
    lesson: LessonInfo
    score: float
    reason: dict[str, object] = field(default_factory=dict)


def readiness(
    skill: str, mastery: Mapping[str, float], prereqs: Mapping[str, Sequence[str]]
) -> tuple[float, str | None]:
    """1.0 when every prerequisite is mastered; else the weakest one's share."""
    weakest, low = None, 1.0
    for p in prereqs.get(skill, ()):
        share = min(1.0, mastery.get(p, PRIOR) / READY_AT)
        if share < low:
            weakest, low = p, share
    return low, weakest


def skill_gain(
    skill: str, mastery: Mapping[str, float], prereqs: Mapping[str, Sequence[str]]
) -> float:
    ready, _ = readiness(skill, mastery, prereqs)
    return (1.0 - mastery.get(skill, PRIOR)) * ready


def _reason(
    lesson: LessonInfo,
    mastery: Mapping[str, float],
    stats: Mapping[str, SkillStats],
    prereqs: Mapping[str, Sequence[str]],
    learner: Learner,
    unlocks: Mapping[str, str],
) -> dict[str, object]:
    skill = max(lesson.skills, key=lambda s: skill_gain(s, mastery, prereqs))
    st = stats.get(skill, SkillStats())
    reason: dict[str, object] = {
        "skill": skill,
        "mastery": round(mastery.get(skill, PRIOR), 3),
    }
    if skill in unlocks:
        reason.update(
            code="prerequisite",
            unlocks=unlocks[skill],
            answered=st.answered,
            correct=st.correct,
        )
    elif st.answered:
        reason.update(code="review", answered=st.answered, correct=st.correct)
    else:
        reason.update(code="new")
    if lesson.subject in learner.provider_subjects:
        reason["provider"] = True
    if lesson.subject in learner.goal_subjects:
        reason["goal"] = True
    return reason


def rank_lessons(
    lessons: Sequence[LessonInfo],
    mastery: Mapping[str, float],
    stats: Mapping[str, SkillStats],
    prereqs: Mapping[str, Sequence[str]],
    learner: Learner,
    limit: int = 5,
) -> list[Ranked]:
    # Skills the student is stuck on point at their weakest prerequisite.
    unlocks: dict[str, str] = {}
    for skill in stats:
        ready, weakest = readiness(skill, mastery, prereqs)
        if weakest is not None and ready < 1.0 and mastery.get(skill, PRIOR) < READY_AT:
            unlocks.setdefault(weakest, skill)
    ranked = []
    for lesson in lessons:
        if not lesson.skills:
            continue
        if learner.school_level and lesson.school_level != learner.school_level:
            continue
        gains = [skill_gain(s, mastery, prereqs) for s in lesson.skills]
        score = sum(gains) / len(gains)
        if any(s in unlocks for s in lesson.skills):
            score *= 1.5
        if learner.grade and lesson.grade:
            score *= max(0.2, 1.0 - 0.25 * abs(learner.grade - lesson.grade))
        if lesson.subject in learner.goal_subjects:
            score *= 1.2
        if lesson.subject in learner.provider_subjects:
            score *= 1.1
        if lesson.completed:
            score *= 0.4
        ranked.append(
            Ranked(
                lesson,
                round(score, 4),
                _reason(lesson, mastery, stats, prereqs, learner, unlocks),
            )
        )
    ranked.sort(key=lambda r: (-r.score, r.lesson.id))
    return ranked[:limit]


def item_value(mastery: float, p_correct: float) -> float:
    """Expected gain of a practice question: room to learn x information (p(1-p))."""
    return (1.0 - mastery) * 4.0 * p_correct * (1.0 - p_correct)


def pick_diagnostic(
    items_by_skill: Mapping[str, Sequence[tuple[int, float]]], size: int = 8
) -> list[int]:
    """One item per skill (the one whose success rate is nearest 60%), up to ``size``."""
    chosen = []
    for skill in sorted(items_by_skill):
        candidates = items_by_skill[skill]
        if not candidates:
            continue
        item_id, _rate = min(candidates, key=lambda c: (abs(c[1] - 0.6), c[0]))
        if item_id not in chosen:
            chosen.append(item_id)
        if len(chosen) >= size:
            break
    return chosen
