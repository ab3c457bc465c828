"""A stacked ensemble of trained sequence models (NumPy + SciPy).

The members are our model trained from several seeds and DKT. Their predictions
are combined on the logit scale by a logistic regression fitted on the
**validation** learners (carved from the fold's training side, the same learners
that stop the members' training): one weight for the mean logit of our model's
seeds, one for DKT's logit, and an intercept. The test learners are only scored.

Stacking on the validation learners chooses how much each member counts, and
its intercept and weights also recalibrate the probabilities (a Platt scaling of
the combination).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from scipy.special import logit as _logit

from .baselines import fit_logistic

EPS = 1e-6


def logit(p: np.ndarray) -> np.ndarray:
    return np.asarray(_logit(np.clip(np.asarray(p, dtype=np.float64), EPS, 1 - EPS)))


def features(members: dict[str, np.ndarray]) -> np.ndarray:
    """Columns of the stack: the mean logit of the ``ours*`` members, then the
    logit of every other member in name order."""
    ours = sorted(k for k in members if k.startswith("ours"))
    others = sorted(k for k in members if not k.startswith("ours"))
    if not ours and not others:
        raise ValueError("an ensemble needs at least one member")
    lengths = {len(v) for v in members.values()}
    if len(lengths) != 1:
        raise ValueError(f"members scored different positions: {sorted(lengths)}")
    cols = []
    if ours:
        cols.append(np.mean([logit(members[k]) for k in ours], axis=0))
    cols += [logit(members[k]) for k in others]
    return np.stack(cols, axis=1)


@dataclass
class Stack:
    """Weights (one per column of :func:`features`) and an intercept."""

    weights: np.ndarray
    bias: float

    def predict(self, members: dict[str, np.ndarray]) -> np.ndarray:
        return np.asarray(expit(features(members) @ self.weights + self.bias))

    def to_dict(self) -> dict[str, object]:
        return {
            "weights": [round(float(w), 4) for w in self.weights],
            "bias": round(self.bias, 4),
        }


def fit_stack(y: np.ndarray, members: dict[str, np.ndarray], l2: float = 1e-4) -> Stack:
    """Logistic regression of ``y`` on the members' logits (validation learners)."""
    x = features(members)
    y = np.asarray(y, dtype=np.float64)
    if len(y) != len(x):
        raise ValueError("labels and predictions differ in length")
    if len(np.unique(y)) < 2:
        raise ValueError("validation labels are all equal: cannot fit the stack")
    n, k = x.shape
    design = np.column_stack([np.ones(n), x])  # column 0: the intercept
    start = np.append(0.0, np.full(k, 1.0 / k))
    # mean log-loss + l2 * |w|^2, written as fit_logistic's sum + (2 n l2) / 2 * |w|^2
    theta = fit_logistic(design, y, 2 * n * l2, start)
    return Stack(np.asarray(theta[1:]), float(theta[0]))
