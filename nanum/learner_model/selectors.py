"""Reads of the learner model with their rules: recommendations, mastery maps."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db.models import Count, IntegerField, Sum
from django.db.models.functions import Cast

from nanum.core.errors import NotFound
from nanum.core.models import Role, RoleAssignment, User
from nanum.core.tenancy import is_platform_admin
from nanum.mentoring import selectors as mentoring_selectors

from .estimators import ArtefactEstimator, CountEstimator, Estimate, Estimator, History
from .models import ModelArtefact, Standard
from .recommend import (
    Learner,
    LessonInfo,
    Ranked,
    item_value,
    pick_diagnostic,
    rank_lessons,
)

HISTORY_WINDOW = 199  # the model's window: the last 199 answers
COLD_START = 5  # fewer answers than this: offer the diagnostic quiz first


@dataclass
class ItemPick:
    item_id: int
    lesson_id: int
    prompt: str
    skills: list[str]
    p_correct: float
    score: float


@dataclass
class Recommendations:
    estimator: str
    diagnostic: list[int]
    lessons: list[Ranked]
    items: list[ItemPick]
    estimate: Estimate


@lru_cache(maxsize=2)
def _load_model(path: str, mtime: float) -> object:
    from .kt.inference import LearnerModel

    return LearnerModel.load(path)


def active_estimator(item_ids: list[int] | None = None) -> Estimator:
    """The active trained model, else the counting fallback (over ``item_ids``)."""
    artefact = ModelArtefact.objects.filter(is_active=True).first()
    if artefact is not None:
        path = Path(artefact.path)
        if path.exists():
            model = _load_model(str(path), path.stat().st_mtime)
            return ArtefactEstimator(model, artefact.model_version)
    from nanum.learning.models import Interaction

    qs = Interaction.objects.all()
    if item_ids is not None:
        qs = qs.filter(item_id__in=item_ids)
    rows = qs.values("item_id").annotate(
        n=Count("id"), c=Sum(Cast("correct", IntegerField()))
    )
    return CountEstimator({r["item_id"]: (r["n"], r["c"] or 0) for r in rows})


def history_for(student: User | int) -> History:
    from nanum.learning.models import Interaction

    rows = list(
        Interaction.objects.filter(student=student)
        .order_by("-answered_at", "-id")
        .values_list("item_id", "skills", "correct")[:HISTORY_WINDOW]
    )
    rows.reverse()
    return [(item, list(skills or []), bool(correct)) for item, skills, correct in rows]


def prerequisites() -> dict[str, list[str]]:
    """Skill -> required skills, from the editable standards table."""
    out: dict[str, list[str]] = {}
    for code, req in Standard.requires.through.objects.values_list(
        "from_standard__code", "to_standard__code"
    ):
        out.setdefault(code, []).append(req)
    return out


def learner_profile(student: User) -> Learner:
    from nanum.learning.models import Application, PlanEntry, ProviderCourse, Seat

    app = (
        Application.objects.filter(student=student, status="approved")
        .order_by("-id")
        .values("school_level", "grade")
        .first()
    )
    goals = frozenset(
        PlanEntry.objects.filter(student=student).values_list("subject", flat=True)
    )
    provider_ids = Seat.objects.filter(student=student, state="active").values(
        "provider_id"
    )
    level = app["school_level"] if app else None
    courses = ProviderCourse.objects.filter(provider_id__in=provider_ids)
    if level:
        courses = courses.filter(school_level=level)
    return Learner(
        school_level=level,
        grade=app["grade"] if app else None,
        goal_subjects=goals,
        provider_subjects=frozenset(courses.values_list("subject", flat=True)),
    )


def _lessons(student: User, learner: Learner) -> list[LessonInfo]:
    from nanum.learning.models import Lesson, LessonProgress

    qs = Lesson.objects.filter(course__is_published=True).select_related("course")
    if learner.school_level:
        qs = qs.filter(course__school_level=learner.school_level)
    done = set(
        LessonProgress.objects.filter(
            student=student, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    return [
        LessonInfo(
            id=lesson.pk,
            title=lesson.title,
            skills=tuple(lesson.skills or ()),
            subject=lesson.course.subject,
            school_level=lesson.course.school_level,
            grade=lesson.course.grade,
            completed=lesson.pk in done,
        )
        for lesson in qs[:500]
    ]


def recommendations_for(
    student: User, *, lessons: int = 5, items: int = 5
) -> Recommendations:
    from nanum.learning.models import Item

    learner = learner_profile(student)
    history = history_for(student)
    infos = _lessons(student, learner)
    lesson_ids = [info.id for info in infos]
    item_rows = list(
        Item.objects.filter(lesson_id__in=lesson_ids).values_list(
            "id", "lesson_id", "prompt", "skills"
        )
    )
    estimator = active_estimator([row[0] for row in item_rows])
    estimate = estimator.estimate(history)
    diagnostic: list[int] = []
    if len(history) < COLD_START:
        rate = estimator.item_rate if isinstance(estimator, CountEstimator) else None
        answered = {item for item, _s, _c in history}
        by_skill: dict[str, list[tuple[int, float]]] = {}
        for item_id, _lesson, _prompt, skills in item_rows:
            if item_id not in answered:
                for s in skills or []:
                    by_skill.setdefault(s, []).append(
                        (item_id, rate(item_id) if rate else 0.6)
                    )
        diagnostic = pick_diagnostic(by_skill)
    ranked = rank_lessons(
        infos, estimate.mastery, estimate.stats, prerequisites(), learner, limit=lessons
    )
    recent_right = {item for item, _s, correct in history[-30:] if correct}
    picks = []
    for item_id, lesson_id, prompt, skills in item_rows:
        if item_id in recent_right or not skills:
            continue
        p = estimator.p_correct(history, item_id, skills)
        m = sum(estimate.mastery.get(s, 0.5) for s in skills) / len(skills)
        picks.append(
            ItemPick(
                item_id,
                lesson_id,
                prompt,
                list(skills),
                round(p, 3),
                round(item_value(m, p), 4),
            )
        )
    picks.sort(key=lambda x: (-x.score, x.item_id))
    return Recommendations(estimator.name, diagnostic, ranked, picks[:items], estimate)


# --- Who may see a student's mastery map ---------------------------------------


def _shares_school_as_teacher(actor: User, student: User) -> bool:
    schools = RoleAssignment.objects.filter(
        user=student, role=Role.STUDENT, is_active=True
    ).values("organisation_id")
    return RoleAssignment.objects.filter(
        user=actor, role=Role.TEACHER, is_active=True, organisation_id__in=schools
    ).exists()


def _is_mentor_of(actor: User, student: User) -> bool:
    return mentoring_selectors.is_active_mentor_of(mentor=actor, student=student)


def students_of_teacher(actor: User) -> list[User]:
    """Students at the schools where ``actor`` teaches (for their mastery maps)."""
    schools = RoleAssignment.objects.filter(
        user=actor, role=Role.TEACHER, is_active=True
    ).values("organisation_id")
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.STUDENT,
            role_assignments__is_active=True,
            role_assignments__organisation_id__in=schools,
        )
        .distinct()
        .order_by("display_name", "username")[:500]
    )


def mastery_viewer_check(actor: User, student_id: int) -> User:
    """The student whose map ``actor`` may see: themself, their mentor, a teacher at
    their school, or an administrator. Anyone else gets 404 (no existence leak)."""
    student = User.objects.filter(pk=student_id, is_active=True).first()
    if student is None:
        raise NotFound()
    if actor.pk == student.pk or is_platform_admin(actor):
        return student
    if _is_mentor_of(actor, student) or _shares_school_as_teacher(actor, student):
        return student
    raise NotFound()


@dataclass
class MasteryRow:
    code: str
    name: str
    mastery: float
    answered: int
    correct: int


def mastery_map(student: User) -> tuple[str, list[MasteryRow]]:
    history = history_for(student)
    estimator = active_estimator(sorted({item for item, _s, _c in history}))
    estimate = estimator.estimate(history)
    codes = sorted(estimate.stats)
    names = {s.code: s.name for s in Standard.objects.filter(code__in=codes)}
    rows = [
        MasteryRow(
            code=code,
            name=names.get(code, ""),
            mastery=round(estimate.mastery.get(code, 0.5), 3),
            answered=estimate.stats[code].answered,
            correct=estimate.stats[code].correct,
        )
        for code in codes
    ]
    return estimator.name, rows


def skill_names(codes: list[str]) -> dict[str, str]:
    return {s.code: s.name for s in Standard.objects.filter(code__in=codes)}
