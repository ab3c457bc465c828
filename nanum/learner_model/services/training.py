"""Trained model artefacts: registering one, retraining on Nanum's own answers.

Retraining (:func:`model_train_nanum`, run weekly by the ``retrain`` task and at the end
of ``make demo``) always fits the logistic IRT/PFA model, which needs only SciPy; with
the ``nanum[ml]`` extra and enough learners it also trains the neural model. Every
candidate is validated the same way, online, through the artefact the app would load, on
learners held out of training; the best is activated only if it validates at least as
well as the active model on those same learners. Every candidate is recorded with its
data hash, training figures, validation AUC and calibration, activated or not.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError
from nanum.core.models import User
from nanum.core.services import audit_record

from .. import selectors
from ..kt.inference import LearnerModel, save_artefact
from ..kt.production import as_interactions, fit_pfa, pfa_weights, validate
from ..models import ModelArtefact

MIN_LEARNERS = 20  # fewer learners with 3+ answers: keep the counting estimator
MIN_ANSWERS = 300
NEURAL_MIN_LEARNERS = 500  # the neural model is tried only from this many learners
PFA_VERSION = "nanum-pfa-1"


@transaction.atomic
def artefact_register(
    *,
    actor: User | None,
    path: str | Path,
    activate: bool = True,
    metrics: dict[str, Any] | None = None,
) -> ModelArtefact:
    """Record a trained model file (and make it the one the app uses)."""
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
        metrics={**meta.get("metrics", {}), **(metrics or {})},
        is_active=activate,
    )
    audit_record(
        actor=actor,
        action="learner_model.activate" if activate else "learner_model.register",
        obj=artefact,
        after={"path": artefact.path, "metrics": artefact.metrics},
    )
    return artefact


@dataclass(frozen=True)
class TrainingOutcome:
    """What a retraining did: the best candidate, and whether it is now active."""

    artefact: ModelArtefact
    activated: bool
    active_valid_auc: float | None  # the previously active model, same learners

    @property
    def summary(self) -> str:
        m = self.artefact.metrics
        verb = "activated" if self.activated else "not activated (validates worse)"
        before = (
            f", active model {self.active_valid_auc:.4f}"
            if self.active_valid_auc is not None
            else ""
        )
        return (
            f"{verb} {self.artefact.pk} {self.artefact.model_version}: validation AUC "
            f"{m.get('valid_auc')} (ECE {m.get('valid_ece')}){before}"
        )


def _has_torch() -> bool:
    try:
        # optional: torch (the nanum[ml] extra)
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def _neural_candidate(
    data: selectors.TrainingData, epochs: int, out: Path
) -> tuple[Path, float]:
    # optional: torch (the nanum[ml] extra; checked by the caller)
    from ..kt.torch_models import export_weights
    from ..kt.train import TrainSettings, train_model  # optional: torch

    split = data.split
    train_settings = TrainSettings(epochs=epochs, dim=32, hidden=32)
    started = time.perf_counter()
    result = train_model("ours", split, train_settings)
    seconds = time.perf_counter() - started
    path = save_artefact(
        out.with_name(out.name + "-kt"),
        export_weights(result.model),
        {
            "model": "ours",
            "dataset": "nanum",
            "data_sha256": split.data_hash,
            "settings": train_settings.to_dict(),
            "config": result.model.cfg.to_dict(),
            "metrics": {"best_epoch": result.best_epoch},
        },
        item_keys=data.item_keys,
        skill_keys=data.skill_keys,
    )
    return path, seconds


def _logistic_candidate(data: selectors.TrainingData, out: Path) -> tuple[Path, float]:
    split = data.split
    started = time.perf_counter()
    model = fit_pfa(split)
    seconds = time.perf_counter() - started
    path = save_artefact(
        out.with_name(out.name + "-pfa"),
        pfa_weights(model),
        {
            "model": "pfa",
            "model_version": PFA_VERSION,
            "dataset": "nanum",
            "data_sha256": split.data_hash,
            "settings": {"l2": model.l2},
        },
        item_keys=data.item_keys,
        skill_keys=data.skill_keys,
    )
    return path, seconds


def _active_validation(
    learners: list[list[tuple[str, list[str], int]]],
) -> float | None:
    active = ModelArtefact.objects.filter(is_active=True).first()
    if active is None or not Path(active.path).exists():
        return None
    try:
        score = validate(LearnerModel.load(active.path), learners).auc
    except (OSError, KeyError, ValueError):
        return None
    return None if math.isnan(score) else score


def model_train_nanum(
    *,
    actor: User | None = None,
    epochs: int = 8,
    min_learners: int = MIN_LEARNERS,
    min_answers: int = MIN_ANSWERS,
    if_changed: bool = False,
    neural: bool | None = None,
) -> TrainingOutcome:
    """Train on Nanum's own interactions; activate the best model if it validates at
    least as well as the active one on the same held-out learners.

    With too few learners or answers nothing changes and a DomainError says why; with
    ``if_changed`` (the periodic task) nothing is trained when the active model was
    trained on exactly these answers, so a repeated run costs one read. ``neural``:
    ``None`` tries the neural model when PyTorch is installed and there are at least
    ``NEURAL_MIN_LEARNERS`` learners; ``True`` requires it; ``False`` never tries it.
    """
    data = selectors.training_data()
    split = data.split
    answers = sum(len(s) for s in split.train) + sum(len(s) for s in split.valid)
    if len(split.train) + len(split.valid) < min_learners or answers < min_answers:
        raise DomainError(
            _("Too few learners with answers to train a model yet."),
            code="too_little_data",
            status=409,
        )
    if (
        if_changed
        and ModelArtefact.objects.filter(
            is_active=True, dataset="nanum", data_sha256=split.data_hash
        ).exists()
    ):
        raise DomainError(
            _("The active model was already trained on these answers."),
            code="unchanged",
            status=409,
        )
    if neural and not _has_torch():
        raise DomainError(
            _("Training the neural model needs the nanum[ml] extra (PyTorch)."),
            code="ml_extra_missing",
            status=409,
        )
    out = Path(settings.NANUM_ARTIFACT_DIR) / (
        f"nanum-{clock.now():%Y%m%d-%H%M%S}-{split.data_hash[:8]}"
    )
    candidates = [_logistic_candidate(data, out)]
    if neural or (
        neural is None
        and _has_torch()
        and len(split.train) + len(split.valid) >= NEURAL_MIN_LEARNERS
    ):
        candidates.append(_neural_candidate(data, epochs, out))

    held_out = [
        as_interactions(s, data.item_keys, data.skill_keys) for s in split.valid
    ]
    scored = []
    for path, seconds in candidates:
        check = validate(LearnerModel.load(path), held_out)
        metrics = {
            **check.to_dict(),
            "train_seconds": round(seconds, 2),
            "learners": len(split.train) + len(split.valid),
            "train_learners": len(split.train),
            "answers": answers,
            "reliability": check.reliability,
        }
        scored.append((-1.0 if math.isnan(check.auc) else check.auc, path, metrics))
    scored.sort(key=lambda row: row[0], reverse=True)
    before = _active_validation(held_out)
    best_auc, best_path, best_metrics = scored[0]
    activate = before is None or best_auc >= before
    best_metrics["active_valid_auc"] = None if before is None else round(before, 4)
    artefact = artefact_register(
        actor=actor, path=best_path, activate=activate, metrics=best_metrics
    )
    for _score, path, metrics in scored[1:]:
        artefact_register(actor=actor, path=path, activate=False, metrics=metrics)
    return TrainingOutcome(artefact, activate, before)
