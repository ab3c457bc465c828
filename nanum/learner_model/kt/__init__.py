"""Knowledge tracing for Nanum's learner model.

Pure Python + NumPy (+ SciPy for the logistic baseline).  PyTorch is only used
for training (``nanum[ml]``) and is imported lazily; inference is NumPy only:
see :class:`nanum.learner_model.kt.inference.LearnerModel`.
"""

from .inference import LearnerModel, Prediction, save_artefact

__all__ = ["LearnerModel", "Prediction", "save_artefact"]
