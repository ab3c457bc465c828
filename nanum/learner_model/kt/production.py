"""The model that serves students: fit, export and validate (NumPy + SciPy only).

The default install has no PyTorch, so the model Nanum trains on its own answers is the
logistic IRT/PFA model of :mod:`.baselines` (question and skill difficulty, per-skill
counts of right and wrong answers in the window, the shared history features). It is
exported in the artefact format of :class:`.inference.LearnerModel` with the recurrent part
switched off, so the app has one inference path for both kinds of model.

Validation is *online* and the same for every kind of model: for each validation learner,
every answer after the first is predicted from the answers before it (at most the last
199), through the artefact the app would load. A retrained model is compared with the
active one on exactly these predictions.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .baselines import LogisticPFA, auc
from .data import Sequence as Learner
from .data import Split
from .features import N_DENSE
from .inference import LearnerModel

Interaction = tuple[Hashable, Iterable[Hashable], int]

PFA_GRID = (0.3, 3.0, 30.0)  # L2 penalties tried, chosen on the validation learners


def fit_pfa(split: Split, grid: tuple[float, ...] = PFA_GRID) -> LogisticPFA:
    """Fit the logistic IRT/PFA model on ``split.train``; L2 chosen on ``split.valid``."""
    model = LogisticPFA(split.n_questions, split.n_skills)
    model.fit(split.train, split.valid or None, grid=grid)
    return model


def pfa_weights(model: LogisticPFA) -> dict[str, np.ndarray]:
    """The fitted coefficients as :class:`LearnerModel` weights (recurrent part zero).

    LearnerModel's logit is ``fc2(relu(...)) + fc2_b + q_bias[q] + mean_s(skill_bias_s
    + pfa_s . (succ_s, fail_s)) + dense . dense_w``; with ``fc2`` zero that is exactly
    the logistic model's ``b + beta_q + mean_s(beta_s + gamma_s succ_s + rho_s fail_s)
    + w . dense``.
    """
    nq, ns = model.nq, model.ns
    c = np.asarray(model.coef, dtype=np.float64)
    base = 1 + nq
    q_bias = c[1:base].copy()
    q_bias[0] = 0.0  # "unknown question" has no column value in the design
    skill_bias = c[base : base + ns]
    gamma = c[base + ns : base + 2 * ns]
    rho = c[base + 2 * ns : base + 3 * ns]
    dense = c[base + 3 * ns : base + 3 * ns + N_DENSE]
    dim = hidden = 1
    z = np.zeros
    return {
        "skill.weight": z((ns, dim)),
        "skill_var.weight": z((ns, dim)),
        "q_mu.weight": z((nq, 1)),
        "inter.weight": z((2 * ns, dim)),
        "resp_var.weight": z((2, dim)),
        "rnn.weight_ih_l0": z((3 * hidden, dim)),
        "rnn.weight_hh_l0": z((3 * hidden, hidden)),
        "rnn.bias_ih_l0": z(3 * hidden),
        "rnn.bias_hh_l0": z(3 * hidden),
        "fc1.weight": z((hidden, hidden + dim)),
        "fc1.bias": z(hidden),
        "fc2.weight": z((1, hidden)),
        "fc2.bias": np.array([c[0]]),
        "q_bias.weight": q_bias[:, None],
        "skill_bias.weight": skill_bias[:, None],
        "skill_pfa.weight": np.stack([gamma, rho], axis=1),
        "dense_w.weight": dense[None, :],
    }


def as_interactions(
    learner: Learner, item_keys: Sequence[str], skill_keys: Sequence[str]
) -> list[tuple[str, list[str], int]]:
    """A learner in index space as (item key, skill keys, correct) rows."""
    return [
        (item_keys[int(q)], [skill_keys[int(s)] for s in row if s], int(r))
        for q, row, r in zip(
            learner.questions.tolist(),
            learner.skills.tolist(),
            learner.responses.tolist(),
            strict=True,
        )
    ]


@dataclass(frozen=True)
class Validation:
    auc: float
    ece: float
    positions: int
    learners: int
    reliability: list[tuple[float, float, int]]  # (mean predicted, observed, count)

    def to_dict(self) -> dict[str, object]:
        return {
            "valid_auc": round(self.auc, 4),
            "valid_ece": round(self.ece, 4),
            "valid_positions": self.positions,
            "valid_learners": self.learners,
        }


def online_predictions(
    model: LearnerModel,
    learners: Sequence[Sequence[Interaction]],
    max_positions: int = 20_000,
) -> tuple[np.ndarray, np.ndarray]:
    """(observed, predicted) for every answer after each learner's first, each
    predicted as the app serves it: from the learner's state after the answers
    before it, extended answer by answer (the last 199 answers for the features,
    the recurrent context of :func:`~.windows.context_start`).

    Learners are taken in order until ``max_positions`` predictions are made."""
    ys: list[int] = []
    ps: list[float] = []
    for rows in learners:
        if len(ys) >= max_positions:
            break
        rows = list(rows)
        if not rows:
            continue
        state = model.encode(rows[:1])
        for t in range(1, len(rows)):
            item, skills, correct = rows[t]
            ps.append(model.predict_state(state, item, skills))
            ys.append(1 if correct else 0)
            if len(ys) >= max_positions:
                break
            state = model.extend(state, [rows[t]])
    return np.asarray(ys, dtype=np.int64), np.asarray(ps, dtype=np.float64)


def calibration(
    y: np.ndarray, p: np.ndarray, bins: int = 10
) -> tuple[float, list[tuple[float, float, int]]]:
    """Expected calibration error over equal-width bins, and the reliability table."""
    if len(y) == 0:
        return math.nan, []
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    ece = 0.0
    table: list[tuple[float, float, int]] = []
    for b in range(bins):
        mask = which == b
        n = int(mask.sum())
        if not n:
            continue
        mean_p, observed = float(p[mask].mean()), float(y[mask].mean())
        ece += n / len(y) * abs(mean_p - observed)
        table.append((round(mean_p, 4), round(observed, 4), n))
    return ece, table


def validate(
    model: LearnerModel,
    learners: Sequence[Sequence[Interaction]],
    max_positions: int = 20_000,
) -> Validation:
    """AUC and calibration of ``model`` on the validation learners (online)."""
    y, p = online_predictions(model, learners, max_positions)
    score = auc(y, p) if len(set(y.tolist())) == 2 else math.nan
    ece, table = calibration(y, p)
    return Validation(score, ece, len(y), len(learners), table)
