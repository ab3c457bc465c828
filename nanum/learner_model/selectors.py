"""Reads of the learner model with their rules: recommendations, mastery maps.

Learning's data (answers, lessons, items) comes through
``nanum.learning.selectors.study``; who may see a student's map is decided here.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.db.models import QuerySet

from nanum.core.errors import NotFound
from nanum.core.models import Role, RoleAssignment, User
from nanum.core.tenancy import is_platform_admin
from nanum.learning.selectors import lectures as learning_lectures
from nanum.learning.selectors import study as learning_study
from nanum.mentoring import selectors as mentoring_selectors

from .engine.estimators import (
    AnswerWindow,
    ArtefactEstimator,
    CountEstimator,
    Estimate,
    Estimator,
    StateCache,
)
from .engine.recommend import (
    Learner,
    LessonInfo,
    Ranked,
    item_value,
    pick_diagnostic,
    rank_lessons,
)
from .kt.data import Sequence, Split
from .kt.inference import LearnerModel
from .models import ModelArtefact, Standard

HISTORY_WINDOW = 199  # the model's window: the last 199 answers
COLD_START = 5  # fewer answers than this: offer the diagnostic quiz first

History = list[learning_study.Answer]  # (item id, skills, correct), oldest first


@dataclass
class ItemPick:
    item_id: int
    lesson_id: int
    prompt: str
    skills: list[str]
    p_correct: float
    score: float


@dataclass(frozen=True)
class DiagnosticItem:
    """One question of the diagnostic quiz (what its form shows)."""

    pk: int
    prompt: str
    choices: list[str]
    skills: list[str]


@dataclass(frozen=True)
class EstimateBasis:
    """What an estimate stands on, for saying it in plain words on a page."""

    answers: int  # the student's answers it reads (the last 199 at most)
    trained: bool  # a model trained on Nanum learners' answers; else counted
    learners: int | None = None  # learners the model was trained on
    trained_at: datetime | None = None


@dataclass(frozen=True)
class RankedLecture:
    """A provider lecture the student's active seat opens, ranked like a lesson."""

    lecture: learning_lectures.SeatLecture
    score: float
    reason: dict[str, object]


@dataclass
class Recommendations:
    estimator: str
    diagnostic: list[int]
    lessons: list[Ranked]
    items: list[ItemPick]
    estimate: Estimate
    basis: EstimateBasis | None = None
    lectures: list[RankedLecture] = field(default_factory=list)


@lru_cache(maxsize=2)
def _load_model(path: str, mtime: float) -> LearnerModel:
    return LearnerModel.load(path)


# Encoded learner states of the active model, kept between requests (per process).
_STATES = StateCache()


def active_estimator(
    item_ids: list[int] | None = None, *, learner: int | None = None
) -> Estimator:
    """The active trained model, else the counting fallback (over ``item_ids``).

    With ``learner`` (a student id) the trained model keeps that student's encoded
    state between requests and extends it by each new answer."""
    artefact = ModelArtefact.objects.filter(is_active=True).first()
    if artefact is not None:
        path = Path(artefact.path)
        if path.exists():
            model = _load_model(str(path), path.stat().st_mtime)
            key = None if learner is None else (str(path), learner)
            return ArtefactEstimator(model, artefact.model_version, _STATES, key)
    success: dict[Hashable, tuple[int, int]] = {
        item: counts
        for item, counts in learning_study.item_success(item_ids=item_ids).items()
    }
    return CountEstimator(success)


def estimate_basis(history: History) -> EstimateBasis:
    """Plain-words facts about the estimate of a student with this history."""
    artefact = (
        ModelArtefact.objects.filter(is_active=True)
        .only("path", "metrics", "created_at")
        .first()
    )
    if artefact is None or not Path(artefact.path).exists():
        return EstimateBasis(answers=len(history), trained=False)
    learners = artefact.metrics.get("learners")
    return EstimateBasis(
        answers=len(history),
        trained=True,
        learners=int(learners) if isinstance(learners, int) else None,
        trained_at=artefact.created_at,
    )


def history_for(student: User | int) -> AnswerWindow[learning_study.Answer]:
    """The student's last answers (the model's window), oldest first, with how many
    they have given in all."""
    rows, total = learning_study.answer_window(student=student, limit=HISTORY_WINDOW)
    return AnswerWindow(rows, total)


def prerequisites() -> dict[str, list[str]]:
    """Skill -> required skills, from the editable standards table."""
    out: dict[str, list[str]] = {}
    for code, req in Standard.requires.through.objects.values_list(
        "from_standard__code", "to_standard__code"
    ):
        out.setdefault(code, []).append(req)
    return out


def learner_profile(student: User) -> Learner:
    profile = learning_study.study_profile(student=student)
    return Learner(
        school_level=profile.school_level,
        grade=profile.grade,
        goal_subjects=profile.goal_subjects,
        provider_subjects=profile.provider_subjects,
    )


def _lessons(student: User, learner: Learner) -> list[LessonInfo]:
    lessons = learning_study.published_lessons(school_level=learner.school_level)
    done = learning_study.completed_lesson_ids(student=student)
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
        for lesson in lessons[:500]
    ]


def recommendations_for(
    student: User, *, lessons: int = 5, items: int = 5, lectures: int = 3
) -> Recommendations:
    learner = learner_profile(student)
    history = history_for(student)
    infos = _lessons(student, learner)
    item_rows = learning_study.item_rows(lesson_ids=[info.id for info in infos])
    estimator = active_estimator([row[0] for row in item_rows], learner=student.pk)
    estimate = estimator.estimate(history)
    diagnostic: list[int] = []
    if len(history) < COLD_START:
        rate = estimator.item_rate if isinstance(estimator, CountEstimator) else None
        answered = {item for item, _s, _c in history}
        by_skill: dict[str, list[tuple[int, float]]] = {}
        for item_id, _lesson, _prompt, skills in item_rows:
            if item_id not in answered:
                for s in skills:
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
    return Recommendations(
        estimator.name,
        diagnostic,
        ranked,
        picks[:items],
        estimate,
        estimate_basis(history),
        lectures=rank_seat_lectures(student, learner, estimate, limit=lectures),
    )


def rank_seat_lectures(
    student: User, learner: Learner, estimate: Estimate, *, limit: int = 3
) -> list[RankedLecture]:
    """The lectures of the providers where ``student`` holds an active seat, ranked
    by the same expected gain as lessons (their achievement standards as skills), so
    the weakest skills come first; each with the lesson reasons. No seat: none."""
    found = learning_lectures.seat_lectures(
        student=student, school_level=learner.school_level
    )
    if not found:
        return []
    by_id = {lec.id: lec for lec in found}
    infos = [
        LessonInfo(
            id=lec.id,
            title=lec.title,
            skills=lec.standards,
            subject=lec.subject,
            school_level=lec.school_level,
            grade=lec.grade,
        )
        for lec in found
    ]
    # Every lecture is at the student's own provider: no "site covers it" bonus.
    plain = replace(learner, provider_subjects=frozenset())
    ranked = rank_lessons(
        infos, estimate.mastery, estimate.stats, prerequisites(), plain, limit=limit
    )
    return [
        RankedLecture(by_id[r.lesson.id], r.score, r.reason)
        for r in ranked
        if r.score > 0
    ]


def diagnostic_items(item_ids: list[int]) -> list[DiagnosticItem]:
    """The quiz questions among ``item_ids`` a student may answer, in that order."""
    found = {
        item.pk: DiagnosticItem(
            pk=item.pk,
            prompt=item.prompt,
            choices=list(item.choices or []),
            skills=list(item.skills or []),
        )
        for item in learning_study.published_items(item_ids=item_ids)
    }
    return [found[i] for i in item_ids if i in found]


def skill_names(codes: list[str]) -> dict[str, str]:
    return {s.code: s.name for s in Standard.objects.filter(code__in=codes)}


# --- Who may see a student's mastery map ---------------------------------------


def _shares_school_as_teacher(actor: User, student: User) -> bool:
    schools = RoleAssignment.objects.filter(
        user=student, role=Role.STUDENT, is_active=True
    ).values("organisation_id")
    return RoleAssignment.objects.filter(
        user=actor, role=Role.TEACHER, is_active=True, organisation_id__in=schools
    ).exists()


def student_list(*, actor: User) -> list[User]:
    """Students at the schools where ``actor`` teaches (for their mastery maps)."""
    schools = RoleAssignment.objects.filter(
        user=actor, role=Role.TEACHER, is_active=True
    ).values("organisation_id")
    students: QuerySet[User] = User.objects.filter(
        is_active=True,
        role_assignments__role=Role.STUDENT,
        role_assignments__is_active=True,
        role_assignments__organisation_id__in=schools,
    )
    return list(students.distinct().order_by("display_name", "username")[:500])


def mastery_student_get(*, actor: User, student_id: int) -> User:
    """The student whose map ``actor`` may see: themself, their mentor, a teacher at
    their school, or an administrator. Anyone else gets NotFound (no existence leak)."""
    student = User.objects.filter(pk=student_id, is_active=True).first()
    if student is None:
        raise NotFound()
    if actor.pk == student.pk or is_platform_admin(actor):
        return student
    if mentoring_selectors.is_active_mentor_of(
        mentor=actor, student=student
    ) or _shares_school_as_teacher(actor, student):
        return student
    raise NotFound()


@dataclass
class MasteryRow:
    code: str
    name: str
    mastery: float
    answered: int
    correct: int


def mastery_map(student: User) -> tuple[str, list[MasteryRow], EstimateBasis]:
    history = history_for(student)
    estimator = active_estimator(
        sorted({item for item, _s, _c in history}), learner=student.pk
    )
    estimate = estimator.estimate(history)
    codes = sorted(estimate.stats)
    names = skill_names(codes)
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
    return estimator.name, rows, estimate_basis(history)


# --- Training data ----------------------------------------------------------------


@dataclass
class TrainingData:
    split: Split
    item_keys: list[str]  # external item id of each index (0: unknown)
    skill_keys: list[str]  # skill code of each index (0: unknown)


def training_data(min_answers: int = 3, seed: int = 0) -> TrainingData:
    """Nanum's own interactions as a train/valid split by learner (80/20)."""
    item_keys: dict[int, int] = {}
    skill_keys: dict[str, int] = {}
    by_student: dict[int, list[tuple[int, list[int], int]]] = {}
    digest = hashlib.sha256()
    for student_id, item_id, skills, correct in learning_study.answers_for_training():
        q = item_keys.setdefault(item_id, len(item_keys) + 1)
        sk = [skill_keys.setdefault(s, len(skill_keys) + 1) for s in skills] or [0]
        by_student.setdefault(student_id, []).append((q, sk, int(correct)))
        digest.update(f"{student_id},{item_id},{int(correct)};".encode())
    seqs = []
    for student_id, rows_ in by_student.items():
        if len(rows_) < min_answers:
            continue
        width = max(len(sk) for _q, sk, _r in rows_)
        skill_ids = np.zeros((len(rows_), width), dtype=np.int64)
        for i, (_q, sk, _r) in enumerate(rows_):
            skill_ids[i, : len(sk)] = sk
        seqs.append(
            Sequence(
                str(student_id),
                np.array([q for q, _s, _r in rows_]),
                skill_ids,
                np.array([r for _q, _s, r in rows_], dtype=np.int8),
            )
        )
    random.Random(seed).shuffle(seqs)
    cut = max(1, int(len(seqs) * 0.8))
    split = Split(
        "nanum",
        0,
        seqs[:cut],
        seqs[cut:],
        seqs[cut:],
        len(item_keys) + 1,
        len(skill_keys) + 1,
        digest.hexdigest(),
        ["Nanum interactions; 80/20 learner split; valid = test"],
    )
    return TrainingData(
        split=split,
        item_keys=["0"] + [str(k) for k in item_keys],
        skill_keys=["0", *skill_keys],
    )
