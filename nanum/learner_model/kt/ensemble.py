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
from scipy import optimize

EPS = 1e-6


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), EPS, 1 - EPS)
    return np.log(p / (1 - p))


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
        z = features(members) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

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

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:k], theta[k]
        z = x @ w + b
        p = 1.0 / (1.0 + np.exp(-z))
        value = float(np.mean(np.logaddexp(0.0, z) - y * z)) + l2 * float(w @ w)
        g = p - y
        grad = np.append(x.T @ g / n + 2 * l2 * w, g.mean())
        return value, grad

    start = np.append(np.full(k, 1.0 / k), 0.0)
    res = optimize.minimize(loss, start, jac=True, method="L-BFGS-B")
    return Stack(np.asarray(res.x[:k]), float(res.x[k]))
