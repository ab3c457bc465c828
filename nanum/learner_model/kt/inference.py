"""NumPy-only inference for our knowledge-tracing model (no torch import).

An artefact is one ``.npz`` holding the weights (``w/<torch name>``), the
item/skill vocabularies and the metadata as embedded JSON (``meta_json``); a
JSON sidecar with the same metadata is written next to it for humans.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import expit as _expit

from .features import N_DENSE, WINDOW, next_features
from .windows import RESTART, context_start

MODEL_VERSION = "nanum-kt-rasch-gru/1"
FORMAT_VERSION = 1

Interaction = tuple[Hashable, Iterable[Hashable], int]  # (item, skills, correct)


def save_artefact(
    path: str | Path,
    weights: Mapping[str, np.ndarray],
    meta: dict[str, Any],
    item_keys: Iterable[str] | None = None,
    skill_keys: Iterable[str] | None = None,
) -> Path:
    """Write ``<path>.npz`` (weights + vocabularies + embedded JSON) and a sidecar.

    ``item_keys[i]`` / ``skill_keys[i]`` are the external ids of index ``i``
    (index 0 is "unknown"); by default the index itself, as text.
    """
    path = Path(path).with_suffix(".npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    n_items = weights["q_bias.weight"].shape[0]
    n_skills = weights["skill.weight"].shape[0]
    items = np.asarray(
        list(item_keys) if item_keys is not None else [str(i) for i in range(n_items)],
        dtype=str,
    )
    skills = np.asarray(
        list(skill_keys)
        if skill_keys is not None
        else [str(i) for i in range(n_skills)],
        dtype=str,
    )
    meta = {
        "model_version": MODEL_VERSION,
        "format_version": FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        **meta,
    }
    text = json.dumps(meta, indent=2, sort_keys=True, default=str)
    arrays: dict[str, np.ndarray] = {
        f"w/{k}": np.asarray(v, dtype=np.float32) for k, v in weights.items()
    }
    arrays.update(
        item_keys=items,
        skill_keys=skills,
        meta_json=np.frombuffer(text.encode(), dtype=np.uint8),
    )
    np.savez_compressed(path, allow_pickle=False, **arrays)
    path.with_suffix(".json").write_text(text + "\n")
    return path


@dataclass
class LearnerState:
    """A learner after ``answers`` answers: the last 199 of them (for the features)
    and the GRU state served, over the answers from ``context_start(answers)``.

    ``h_next`` is the run that will be served from the next restart (over the answers
    from ``context_start(answers) + RESTART``, zeros while there are none); it is
    computed when the state is first extended."""

    questions: np.ndarray
    skills: np.ndarray
    responses: np.ndarray
    h: np.ndarray
    answers: int
    h_next: np.ndarray | None = None


@dataclass
class Prediction:
    p_correct: float
    mastery: dict[str, float]


def _sigmoid(x: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


class LearnerModel:
    """P(correct) for a candidate item and per-skill mastery, from a history.

    ``history`` is a list of ``(item, skills, correct)`` in time order, with the
    external ids of the artefact's vocabularies; unknown ids count as "unknown
    item" (average difficulty) and are ignored as skills.  Only the last 199
    interactions are used, as in training and evaluation.
    """

    def __init__(
        self,
        weights: Mapping[str, np.ndarray],
        meta: dict[str, Any],
        item_keys: np.ndarray,
        skill_keys: np.ndarray,
    ) -> None:
        w = {k: np.asarray(v, dtype=np.float64) for k, v in weights.items()}
        self.meta = meta
        self.skill = w["skill.weight"]
        self.skill_var = w["skill_var.weight"]
        self.q_mu = w["q_mu.weight"][:, 0]
        self.inter = w["inter.weight"]
        self.resp_var = w["resp_var.weight"]
        self.w_ih, self.w_hh = w["rnn.weight_ih_l0"], w["rnn.weight_hh_l0"]
        self.b_ih, self.b_hh = w["rnn.bias_ih_l0"], w["rnn.bias_hh_l0"]
        self.w_hh_t = np.ascontiguousarray(self.w_hh.T)
        self.hidden = self.w_hh.shape[1]
        self.fc1_w, self.fc1_b = w["fc1.weight"], w["fc1.bias"]
        self.fc1_h = np.ascontiguousarray(self.fc1_w[:, : self.hidden].T)
        self.fc1_e = np.ascontiguousarray(self.fc1_w[:, self.hidden :].T)
        self.fc2_w, self.fc2_b = w["fc2.weight"][0], float(w["fc2.bias"][0])
        self.q_bias = w["q_bias.weight"][:, 0]
        self.skill_bias = w["skill_bias.weight"][:, 0]
        self.skill_pfa = w["skill_pfa.weight"]
        self.dense_w = w["dense_w.weight"][0]
        self.item_keys = [str(k) for k in item_keys]
        self.skill_keys = [str(k) for k in skill_keys]
        self.item_index = {k: i for i, k in enumerate(self.item_keys)}
        self.skill_index = {k: i for i, k in enumerate(self.skill_keys)}
        if self.dense_w.shape[0] != N_DENSE:
            raise ValueError("artefact was built with another feature set")
        # A logistic (IRT/PFA) artefact has no recurrent part: its output weights are
        # zero, so the GRU state never reaches the prediction and is not computed.
        self.recurrent = bool(np.any(self.fc2_w))

    @classmethod
    def load(cls, path: str | Path) -> LearnerModel:
        with np.load(Path(path), allow_pickle=False) as z:
            weights = {k[2:]: z[k] for k in z.files if k.startswith("w/")}
            meta = json.loads(bytes(z["meta_json"]).decode())
            return cls(weights, meta, z["item_keys"], z["skill_keys"])

    # -- encoding ---------------------------------------------------------
    def _encode(
        self, rows: Sequence[Interaction]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        q = np.array(
            [self.item_index.get(str(i), 0) for i, _, _ in rows], dtype=np.int64
        )
        sk = [[self.skill_index.get(str(s), 0) for s in ss] for _, ss, _ in rows]
        sk = [[s for s in row if s] or [0] for row in sk]
        width = max((len(x) for x in sk), default=1)
        skills = np.zeros((len(rows), width), dtype=np.int64)
        for i, row in enumerate(sk):
            skills[i, : len(row)] = row
        r = np.array([1 if c else 0 for _, _, c in rows], dtype=np.int64)
        return q, skills, r

    def _item_emb(
        self, q: np.ndarray, skills: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        m = (skills > 0).astype(np.float64)
        wts = (m / np.maximum(m.sum(1, keepdims=True), 1.0))[:, :, None]
        mu = self.q_mu[q][:, None]
        e = (self.skill[skills] * wts).sum(1) + mu * (self.skill_var[skills] * wts).sum(
            1
        )
        return e, wts

    def encode_rows(
        self, rows: Sequence[Interaction]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(questions, skills, responses) arrays of ``rows`` in the model's indices."""
        return self._encode(rows)

    @property
    def kind(self) -> str:
        """``"logistic"`` (IRT/PFA, no recurrent part) or ``"neural"``."""
        return "neural" if self.recurrent else "logistic"

    def state(
        self,
        q: np.ndarray,
        skills: np.ndarray,
        r: np.ndarray,
        h0: np.ndarray | None = None,
    ) -> np.ndarray:
        """GRU state after the given (already windowed) interactions, starting from
        ``h0`` (the state before them; zeros by default)."""
        h = np.zeros(self.hidden) if h0 is None else np.array(h0, dtype=np.float64)
        if len(r) == 0 or not self.recurrent:
            return h
        for g in self._inputs(q, skills, r):
            h = self._step(h, g)
        return h

    def _inputs(self, q: np.ndarray, skills: np.ndarray, r: np.ndarray) -> np.ndarray:
        """The GRU's input-side gate values of each answer (with the r, z biases)."""
        e, wts = self._item_emb(q, skills)
        x = e + (self.inter[2 * skills + r[:, None]] * wts).sum(1)
        x += self.q_mu[q][:, None] * self.resp_var[r]
        gi = x @ self.w_ih.T + self.b_ih
        gi[:, : 2 * self.hidden] += self.b_hh[: 2 * self.hidden]
        return gi

    def _step(self, h: np.ndarray, g: np.ndarray) -> np.ndarray:
        """One GRU step from ``h`` on an answer's input gate values ``g``."""
        n_h = self.hidden
        two = 2 * n_h
        gh = h @ self.w_hh_t
        rz = _expit(gh[:two] + g[:two])
        n = np.tanh(g[two:] + rz[:n_h] * (gh[two:] + self.b_hh[two:]))
        return n + rz[n_h:] * (h - n)

    def _window(self, history: Sequence[Interaction]) -> list[Interaction]:
        return list(history)[-WINDOW:] if WINDOW > 0 else []

    # -- public API -------------------------------------------------------
    def encode(
        self, history: Sequence[Interaction], answers: int | None = None
    ) -> LearnerState:
        """The learner's state after ``history`` (reuse it for many candidates).

        ``answers`` is how many answers the learner has given in all, when
        ``history`` holds only the last of them (at least the last 199, or all);
        it places the recurrent context (:func:`~.windows.context_start`)."""
        rows = self._window(history)
        total = len(history) if answers is None else answers
        if total < len(history) or len(rows) < min(total, WINDOW):
            raise ValueError("history does not hold the learner's last answers")
        q, sk, r = self._encode(rows)
        return self._state_of(q, sk, r, total)

    def _state_of(
        self, q: np.ndarray, sk: np.ndarray, r: np.ndarray, total: int
    ) -> LearnerState:
        """The state after ``total`` answers, the last ``len(r)`` (<= 199) given."""
        h = np.zeros(self.hidden)
        if self.recurrent:
            span = total - context_start(total)  # <= WINDOW
            h = self.state(q[len(r) - span :], sk[len(r) - span :], r[len(r) - span :])
        return LearnerState(q, sk, r, h, total)

    def _next_run(self, state: LearnerState) -> np.ndarray:
        """The run from the next restart (``state.h_next``), computed if missing."""
        if state.h_next is not None:
            return state.h_next
        span = max(0, state.answers - context_start(state.answers) - RESTART)
        if span == 0:
            return np.zeros(self.hidden)
        q, sk, r = state.questions, state.skills, state.responses
        return self.state(q[-span:], sk[-span:], r[-span:])

    def extend(self, state: LearnerState, new: Sequence[Interaction]) -> LearnerState:
        """The state after ``state``'s answers and then the ``new`` ones.

        Exactly ``encode(window + new, answers=state.answers + len(new))``, but the
        GRU is stepped, not re-encoded: two steps per answer (the run served and the
        run from the next restart), whatever the learner's number of answers."""
        if not new:
            return state
        q, sk, r = self._encode(list(new))
        width = max(state.skills.shape[1], sk.shape[1])
        pad = lambda a: np.pad(a, ((0, 0), (0, width - a.shape[1])))  # noqa: E731
        q_all = np.concatenate([state.questions, q])[-WINDOW:]
        sk_all = np.concatenate([pad(state.skills), pad(sk)])[-WINDOW:]
        r_all = np.concatenate([state.responses, r])[-WINDOW:]
        total = state.answers + len(r)
        if not self.recurrent:
            return LearnerState(q_all, sk_all, r_all, state.h, total)
        if len(r) > RESTART:  # a long batch: as cheap to encode afresh
            return self._state_of(q_all, sk_all, r_all, total)
        h, h_next = state.h, self._next_run(state)
        count = state.answers
        for g in self._inputs(q, sk, r):
            h = self._step(h, g)
            if count >= context_start(count) + RESTART:
                h_next = self._step(h_next, g)
            count += 1
            if context_start(count) != context_start(count - 1):
                h, h_next = h_next, np.zeros(self.hidden)
        return LearnerState(q_all, sk_all, r_all, h, total, h_next)

    def predict_state(
        self, state: LearnerState, item: Hashable, skills: Iterable[Hashable]
    ) -> float:
        """P(correct) on ``item`` for an encoded learner state."""
        q = self.item_index.get(str(item), 0)
        sk = [i for i in (self.skill_index.get(str(s), 0) for s in skills) if i]
        sk = sk or [0]
        succ, fail, dense = next_features(
            state.questions, state.skills, state.responses, q, sk
        )
        s = np.asarray(sk)
        m = (s > 0).astype(np.float64)
        w = m / max(m.sum(), 1.0)
        e = w @ self.skill[s] + self.q_mu[q] * (w @ self.skill_var[s])
        z = np.maximum(state.h @ self.fc1_h + e @ self.fc1_e + self.fc1_b, 0.0)
        pfa = (
            self.skill_bias[s]
            + self.skill_pfa[s, 0] * succ
            + self.skill_pfa[s, 1] * fail
        )
        logit = (
            z @ self.fc2_w
            + self.fc2_b
            + float(pfa @ w)
            + self.q_bias[q]
            + float(dense @ self.dense_w)
        )
        return float(_sigmoid(logit))

    def predict(
        self, history: Sequence[Interaction], item: Hashable, skills: Iterable[Hashable]
    ) -> float:
        """P(the learner answers ``item`` (tagged ``skills``) correctly)."""
        return self.predict_state(self.encode(history), item, skills)

    def mastery(self, history: Sequence[Interaction]) -> dict[str, float]:
        """P(correct) on an unknown (average) item of each skill.

        Equals ``predict(history, <unknown item>, [skill])`` for every skill,
        computed for all skills at once.
        """
        return self.mastery_state(self.encode(history))

    def mastery_state(self, state: LearnerState) -> dict[str, float]:
        """Per-skill mastery for an encoded learner state."""
        sk, r, h = state.skills, state.responses, state.h
        n_s = len(self.skill_keys)
        ok = np.zeros(n_s)
        bad = np.zeros(n_s)
        last = np.zeros(n_s)
        last_pos = np.full(n_s, -1)
        for t, (row, res) in enumerate(zip(sk.tolist(), r.tolist(), strict=True)):
            for s in row:
                if s:
                    (ok if res else bad)[s] += 1
                    last[s] = 1.0 if res else -1.0
                    last_pos[s] = t
        n = len(r)
        dense = np.zeros((n_s, N_DENSE))
        dense[:, 0] = np.log1p(n)
        dense[:, 1] = np.log((r.sum() + 1) / (n - r.sum() + 1))
        if n:
            dense[:, 2], dense[:, 3] = r[-1], 1 - r[-1]
            prev = [s for s in sk[-1].tolist() if s]
            if len(prev) == 1:
                dense[prev[0], 6] = 1.0
        dense[:, 5] = last
        seen = last_pos >= 0
        dense[:, 7] = np.where(seen, np.log1p(n - last_pos), np.log1p(WINDOW + 1))
        e = self.skill + self.q_mu[0] * self.skill_var  # an unknown item of skill s
        z = np.maximum(h @ self.fc1_h + e @ self.fc1_e + self.fc1_b, 0.0)
        logit = (
            z @ self.fc2_w
            + self.fc2_b
            + self.q_bias[0]
            + self.skill_bias
            + self.skill_pfa[:, 0] * np.log1p(ok)
            + self.skill_pfa[:, 1] * np.log1p(bad)
            + dense @ self.dense_w
        )
        p = _sigmoid(logit)
        return {k: float(p[i]) for i, k in enumerate(self.skill_keys) if i}

    def assess(
        self, history: Sequence[Interaction], item: Hashable, skills: Iterable[Hashable]
    ) -> Prediction:
        state = self.encode(history)
        return Prediction(
            self.predict_state(state, item, skills), self.mastery_state(state)
        )


def random_weights(
    n_questions: int, n_skills: int, dim: int = 32, hidden: int = 32, seed: int = 0
) -> dict[str, np.ndarray]:
    """Random weights with the shapes of our model (for tests and benchmarks)."""
    rng = np.random.default_rng(seed)

    def r(*shape: int) -> np.ndarray:
        return rng.normal(0.0, 0.3, shape).astype(np.float32)

    return {
        "skill.weight": r(n_skills, dim),
        "skill_var.weight": r(n_skills, dim),
        "q_mu.weight": r(n_questions, 1),
        "inter.weight": r(2 * n_skills, dim),
        "resp_var.weight": r(2, dim),
        "rnn.weight_ih_l0": r(3 * hidden, dim),
        "rnn.weight_hh_l0": r(3 * hidden, hidden),
        "rnn.bias_ih_l0": r(3 * hidden),
        "rnn.bias_hh_l0": r(3 * hidden),
        "fc1.weight": r(hidden, hidden + dim),
        "fc1.bias": r(hidden),
        "fc2.weight": r(1, hidden),
        "fc2.bias": r(1),
        "q_bias.weight": r(n_questions, 1),
        "skill_bias.weight": r(n_skills, 1),
        "skill_pfa.weight": r(n_skills, 2),
        "dense_w.weight": r(1, N_DENSE),
    }
