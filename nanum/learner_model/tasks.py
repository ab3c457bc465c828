"""Background tasks of the learner model."""

from __future__ import annotations

import logging

from django_tasks import task

from nanum.core.errors import DomainError

from . import services

logger = logging.getLogger(__name__)


@task(queue_name="ml")
def retrain() -> str:
    """Periodic retraining on Nanum's own interactions (schedule it, e.g. weekly).

    Safe to run twice: a run on the answers the active model was trained on trains
    nothing (``skipped: unchanged``)."""
    try:
        outcome = services.model_train_nanum(if_changed=True)
    except DomainError as exc:
        logger.info("learner model not retrained: %s", exc.code)
        return f"skipped: {exc.code}"
    logger.info("learner model retrained: %s", outcome.summary)
    return outcome.summary
