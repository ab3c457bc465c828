"""Writes of the learner model: the recommendation log, artefacts, retraining."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import DomainError, NotFound
from nanum.core.models import User
from nanum.core.services import access_record, audit_record

from . import selectors
from .models import ModelArtefact, RecommendationEvent

logger = logging.getLogger(__name__)


@dataclass
class Shown:
    recs: selectors.Recommendations
    lesson_events: list[RecommendationEvent]
    item_events: list[RecommendationEvent]
    diagnostic_events: list[RecommendationEvent]


@transaction.atomic
def recommendations_show(*, actor: User) -> Shown:
    """Compute a student's recommendations and log each one shown (to measure effect)."""
    recs = selectors.recommendations_for(actor)
    now = timezone.now()
    rows: list[RecommendationEvent] = []
    for rank, item_id in enumerate(recs.diagnostic, start=1):
        rows.append(
            RecommendationEvent(
                student=actor,
                kind="diagnostic",
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
                kind="lesson",
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
                kind="item",
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
    return Shown(
        recs=recs,
        diagnostic_events=[e for e in created if e.kind == "diagnostic"],
        lesson_events=[e for e in created if e.kind == "lesson"],
        item_events=[e for e in created if e.kind == "item"],
    )


@transaction.atomic
def diagnostic_submit(*, actor: User, answers: list[tuple[int, int]]) -> int:
    """Record a diagnostic quiz's answers together: all of them, or none."""
    from nanum.learning.services.study import answer_record

    for item_id, answer in answers:
        answer_record(actor=actor, item_id=item_id, answer=answer)
    return len(answers)


@transaction.atomic
def mastery_map_open(
    *, actor: User, student_id: int, request: HttpRequest | None = None
) -> tuple[User, str, list[selectors.MasteryRow]]:
    """A student's mastery map for an allowed viewer; staff views go to the access log."""
    student = selectors.mastery_viewer_check(actor, student_id)
    estimator, rows = selectors.mastery_map(student)
    if student.pk != actor.pk:
        access_record(
            actor=actor,
            action="view",
            subject=student,
            object_type="learner_model.mastery",
            object_id=str(student.pk),
            tenant=student.home_tenant,
            request=request,
        )
    return student, estimator, rows


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
        event.followed_at = timezone.now()
        event.save(update_fields=["followed_at"])
    return event


@transaction.atomic
def artefact_register(
    *, actor: User | None, path: str | Path, activate: bool = True
) -> ModelArtefact:
    """Record a trained model file (and make it the one the app uses)."""
    from .kt.inference import LearnerModel

    path = Path(path)
    try:
        model = LearnerModel.load(path)
    except (OSError, KeyError, ValueError) as exc:
        raise DomainError(
            _("That file is not a learner-model artefact."),
            code="bad_artefact",
            status=422,
        ) from exc
    meta = model.meta
    if activate:
        ModelArtefact.objects.filter(is_active=True).update(is_active=False)
    artefact = ModelArtefact.objects.create(
        path=str(path.resolve()),
        model_version=str(meta.get("model_version", "")),
        dataset=str(meta.get("dataset", "")),
        data_sha256=str(meta.get("data_sha256", "")),
        settings=meta.get("settings", {}),
        metrics=meta.get("metrics", {}),
        is_active=activate,
    )
    audit_record(
        actor=actor,
        action="learner_model.activate" if activate else "learner_model.register",
        obj=artefact,
        after={"path": artefact.path, "metrics": artefact.metrics},
    )
    return artefact


def _nanum_split(min_answers: int = 3, seed: int = 0) -> object:
    """Nanum's own interactions as a train/valid split by learner (80/20)."""
    import random

    import numpy as np

    from nanum.learning.models import Interaction

    from .kt.data import Sequence, Split

    item_keys: dict[int, int] = {}
    skill_keys: dict[str, int] = {}
    by_student: dict[int, list[tuple[int, list[int], int]]] = {}
    digest = hashlib.sha256()
    rows = Interaction.objects.order_by("student_id", "answered_at", "id").values_list(
        "student_id", "item_id", "skills", "correct"
    )
    for student_id, item_id, skills, correct in rows.iterator(chunk_size=5000):
        q = item_keys.setdefault(item_id, len(item_keys) + 1)
        sk = [
            skill_keys.setdefault(s, len(skill_keys) + 1) for s in (skills or [])
        ] or [0]
        by_student.setdefault(student_id, []).append((q, sk, int(bool(correct))))
        digest.update(f"{student_id},{item_id},{int(bool(correct))};".encode())
    seqs = []
    for student_id, rows_ in by_student.items():
        if len(rows_) < min_answers:
            continue
        width = max(len(sk) for _q, sk, _r in rows_)
        skills = np.zeros((len(rows_), width), dtype=np.int64)
        for i, (_q, sk, _r) in enumerate(rows_):
            skills[i, : len(sk)] = sk
        seqs.append(
            Sequence(
                str(student_id),
                np.array([q for q, _s, _r in rows_]),
                skills,
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
    inv_items = ["0"] + [str(k) for k in item_keys]
    inv_skills = ["0", *skill_keys]
    return split, inv_items, inv_skills


def model_train_nanum(
    *, actor: User | None = None, epochs: int = 8, min_learners: int = 20
) -> ModelArtefact:
    """Train the knowledge-tracing model on Nanum's own interactions and activate it.

    Needs PyTorch (the optional ``nanum[ml]`` extra); without it, or with too few
    learners, nothing changes and a DomainError says why.
    """
    try:
        import torch  # noqa: F401
    except ImportError as exc:
        raise DomainError(
            _("Training needs the nanum[ml] extra (PyTorch)."),
            code="ml_extra_missing",
            status=409,
        ) from exc
    from .kt.inference import save_artefact
    from .kt.torch_models import export_weights
    from .kt.train import TrainSettings, train_model

    split, item_keys, skill_keys = _nanum_split()
    if len(split.train) < min_learners:
        raise DomainError(
            _("Too few learners with answers to train a model yet."),
            code="too_little_data",
            status=409,
        )
    train_settings = TrainSettings(epochs=epochs, dim=32, hidden=32)
    result = train_model("ours", split, train_settings)
    out = Path(settings.NANUM_ARTIFACT_DIR) / (
        f"nanum-{timezone.now():%Y%m%d-%H%M%S}-{split.data_hash[:8]}"
    )
    path = save_artefact(
        out,
        export_weights(result.model),
        {
            "model": "ours",
            "dataset": "nanum",
            "data_sha256": split.data_hash,
            "settings": train_settings.to_dict(),
            "config": result.model.cfg.to_dict(),
            "metrics": {
                "valid_auc": result.valid_auc,
                "best_epoch": result.best_epoch,
                "train_seconds": round(result.seconds, 1),
                "learners": len(split.train) + len(split.valid),
            },
        },
        item_keys=item_keys,
        skill_keys=skill_keys,
    )
    return artefact_register(actor=actor, path=path, activate=True)
