"""Baselines: per-skill mean and a logistic IRT/PFA model (NumPy + SciPy)."""

from __future__ import annotations

from collections.abc import Sequence as Seq

import numpy as np
from scipy import optimize, sparse
from scipy.special import expit
from scipy.stats import rankdata

from .data import Sequence
from .features import N_DENSE, add_features
from .windows import eval_windows


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve (rank formula, ties averaged)."""
    y = np.asarray(y, dtype=bool)
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(p)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def accuracy(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((np.asarray(p) >= 0.5) == np.asarray(y, dtype=bool)))


def scored_rows(seqs: Seq[Sequence]) -> tuple[list[Sequence], np.ndarray]:
    """Positions scored by the protocol: every interaction but each learner's first.

    Returns the sequences and, for each, the index of its first scored row.
    Features use up to 199 previous interactions, the same information as the
    sliding windows of :func:`eval_windows`.
    """
    return list(seqs), np.ones(len(seqs), dtype=np.int64)


def _flat(seqs: Seq[Sequence], first: int = 1) -> dict[str, np.ndarray]:
    """Concatenate the scored rows (positions >= ``first``) of all sequences."""
    add_features(seqs)
    keys = ("questions", "skills", "responses")
    width = max(s.skills.shape[1] for s in seqs)
    out: dict[str, list[np.ndarray]] = {k: [] for k in (*keys, "succ", "fail", "dense")}
    for s in seqs:
        pad = width - s.skills.shape[1]
        out["questions"].append(s.questions[first:])
        out["responses"].append(s.responses[first:])
        for name, arr in (
            ("skills", s.skills),
            ("succ", s.extra["succ"]),
            ("fail", s.extra["fail"]),
        ):
            out[name].append(np.pad(arr[first:], ((0, 0), (0, pad))))
        out["dense"].append(s.extra["dense"][first:])
    return {k: np.concatenate(v) for k, v in out.items()}


def fit_logistic(
    x: sparse.csr_matrix | np.ndarray,
    y: np.ndarray,
    l2: float,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """L2-penalised logistic regression by L-BFGS (sum of log-losses plus
    ``l2 / 2 * |w|^2``); column 0 of ``x`` is the intercept and is not penalised."""
    pen = np.ones(x.shape[1])
    pen[0] = 0.0
    xt = x.T if isinstance(x, np.ndarray) else x.T.tocsr()

    def fg(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        # log(1 + exp(z)) - y z, stable
        loss = np.logaddexp(0.0, z) - y * z
        p = expit(z)
        g = xt @ (p - y) + l2 * pen * w
        return float(loss.sum() + 0.5 * l2 * np.sum(pen * w * w)), g

    x0 = np.zeros(x.shape[1]) if start is None else start
    res = optimize.minimize(
        fg, x0, jac=True, method="L-BFGS-B", options={"maxiter": 300}
    )
    return np.asarray(res.x)


class SkillMean:
    """P(correct) = training success rate of the item's skills (averaged)."""

    name = "skillmean"

    def __init__(self, n_skills: int) -> None:
        self.rate = np.full(n_skills, 0.5)

    def fit(self, train: Seq[Sequence], valid: Seq[Sequence] | None = None) -> None:
        ok = np.zeros(len(self.rate))
        tot = np.zeros(len(self.rate))
        for s in train:
            for j in range(s.skills.shape[1]):
                col = s.skills[:, j]
                m = col > 0
                np.add.at(ok, col[m], s.responses[m])
                np.add.at(tot, col[m], 1)
        prior = float(ok.sum() / max(tot.sum(), 1))
        self.rate = (ok + prior) / (tot + 1)  # one pseudo-count of the global mean

    def predict_rows(self, skills: np.ndarray) -> np.ndarray:
        m = skills > 0
        vals = np.where(m, self.rate[skills], 0.0)
        return vals.sum(1) / np.maximum(m.sum(1), 1)

    def predict(self, seqs: Seq[Sequence]) -> tuple[np.ndarray, np.ndarray]:
        rows = _flat(seqs)
        return rows["responses"], self.predict_rows(rows["skills"])


class LogisticPFA:
    """Logistic regression on question + skill difficulty and PFA counts.

    logit = b + beta_q + mean_s(beta_s + gamma_s * log1p(succ_s)
            + rho_s * log1p(fail_s)) + w . dense
    fitted by L-BFGS on a sparse design with an L2 penalty (chosen on the
    validation learners).
    """

    name = "irt"

    def __init__(self, n_questions: int, n_skills: int) -> None:
        self.nq, self.ns = n_questions, n_skills
        self.coef = np.zeros(self._width())
        self.l2 = 1.0

    def _width(self) -> int:
        return 1 + self.nq + 3 * self.ns + N_DENSE

    def design(self, rows: dict[str, np.ndarray]) -> sparse.csr_matrix:
        sk, n = rows["skills"], len(rows["responses"])
        k = sk.shape[1]
        m = sk > 0
        w = m / np.maximum(m.sum(1, keepdims=True), 1)
        r_idx = np.arange(n)
        blocks_r = [r_idx, r_idx]
        blocks_c = [np.zeros(n, dtype=np.int64), 1 + rows["questions"]]
        blocks_v = [np.ones(n), (rows["questions"] > 0).astype(float)]
        base = 1 + self.nq
        for j in range(k):
            for off, val in (
                (0, w[:, j]),
                (self.ns, w[:, j] * rows["succ"][:, j]),
                (2 * self.ns, w[:, j] * rows["fail"][:, j]),
            ):
                blocks_r.append(r_idx)
                blocks_c.append(base + off + sk[:, j])
                blocks_v.append(val)
        d0 = 1 + self.nq + 3 * self.ns
        for j in range(N_DENSE):
            blocks_r.append(r_idx)
            blocks_c.append(np.full(n, d0 + j))
            blocks_v.append(rows["dense"][:, j].astype(float))
        x = sparse.csr_matrix(
            (
                np.concatenate(blocks_v),
                (np.concatenate(blocks_r), np.concatenate(blocks_c)),
            ),
            shape=(n, self._width()),
        )
        x.eliminate_zeros()
        return x

    def fit(
        self,
        train: Seq[Sequence],
        valid: Seq[Sequence] | None = None,
        grid: tuple[float, ...] = (0.3, 3.0, 30.0),
    ) -> None:
        rows = _flat(train, first=0)
        x, y = self.design(rows), rows["responses"].astype(float)
        if valid is None or len(grid) == 1:
            self.coef = fit_logistic(x, y, grid[0] if valid is None else self.l2)
            return
        vrows = _flat(valid)
        xv, yv = self.design(vrows), vrows["responses"]
        best = -1.0
        coef = None
        for l2 in sorted(grid, reverse=True):  # warm start: strong to weak L2
            coef = fit_logistic(x, y, l2, coef)
            score = auc(yv, xv @ coef)
            if score > best:
                best, self.coef, self.l2 = score, coef, l2

    def predict(self, seqs: Seq[Sequence]) -> tuple[np.ndarray, np.ndarray]:
        rows = _flat(seqs)
        z = self.design(rows) @ self.coef
        return rows["responses"], 1.0 / (1.0 + np.exp(-z))


__all__ = ["LogisticPFA", "SkillMean", "accuracy", "auc", "eval_windows"]
