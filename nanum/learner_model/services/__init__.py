"""Every write of the learner model, one module per topic."""

from .mastery import MasteryMap, mastery_map_open
from .recommendations import (
    LessonShown,
    PracticeShown,
    Shown,
    diagnostic_submit,
    recommendation_follow,
    recommendations_show,
)
from .training import TrainingOutcome, artefact_register, model_train_nanum

__all__ = [
    "LessonShown",
    "MasteryMap",
    "PracticeShown",
    "Shown",
    "TrainingOutcome",
    "artefact_register",
    "diagnostic_submit",
    "mastery_map_open",
    "model_train_nanum",
    "recommendation_follow",
    "recommendations_show",
]
