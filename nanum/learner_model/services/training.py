"""Trained model artefacts: registering one, retraining on Nanum's own answers."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError
from nanum.core.models import User
from nanum.core.services import audit_record

from .. import selectors
from ..kt.inference import LearnerModel, save_artefact
from ..kt.train import TrainSettings, train_model
from ..models import ModelArtefact


@transaction.atomic
def artefact_register(
    *, actor: User | None, path: str | Path, activate: bool = True
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


def model_train_nanum(
    *,
    actor: User | None = None,
    epochs: int = 8,
    min_learners: int = 20,
    if_changed: bool = False,
) -> ModelArtefact:
    """Train the knowledge-tracing model on Nanum's own interactions and activate it.

    Needs PyTorch (the optional ``nanum[ml]`` extra); without it, or with too few
    learners, nothing changes and a DomainError says why. With ``if_changed`` (the
    periodic task) it trains nothing when the active model was trained on exactly
    these answers, so a repeated run of the task costs one read, not a training.
    """
    try:
        # optional: torch (the nanum[ml] extra)
        import torch  # noqa: F401
    except ImportError as exc:
        raise DomainError(
            _("Training needs the nanum[ml] extra (PyTorch)."),
            code="ml_extra_missing",
            status=409,
        ) from exc
    # optional: torch (torch_models imports it)
    from ..kt.torch_models import export_weights

    data = selectors.training_data()
    split = data.split
    if len(split.train) < min_learners:
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
    train_settings = TrainSettings(epochs=epochs, dim=32, hidden=32)
    result = train_model("ours", split, train_settings)
    out = Path(settings.NANUM_ARTIFACT_DIR) / (
        f"nanum-{clock.now():%Y%m%d-%H%M%S}-{split.data_hash[:8]}"
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
        item_keys=data.item_keys,
        skill_keys=data.skill_keys,
    )
    return artefact_register(actor=actor, path=path, activate=True)
