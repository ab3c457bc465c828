"""Mastery estimators the recommender stands on (pure Python + NumPy, no Django).

``ArtefactEstimator`` wraps a trained knowledge-tracing model (``kt.LearnerModel``).
``CountEstimator`` is the fallback when no trained model is active (a new platform, a
machine without the ``nanum[ml]`` extra): a recency-weighted Beta estimate per skill and
a smoothed success rate per item. Both answer the same two questions.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

History = Sequence[tuple[Hashable, Sequence[str], bool]]  # (item, skills, correct)


@dataclass(frozen=True)
class SkillStats:
    answered: int = 0
    correct: int = 0


@dataclass
class Estimate:
    mastery: dict[str, float]
    stats: dict[str, SkillStats] = field(default_factory=dict)


class Estimator(Protocol):
    name: str

    def estimate(self, history: History) -> Estimate: ...

    def p_correct(
        self, history: History, item: Hashable, skills: Sequence[str]
    ) -> float: ...


def skill_stats(history: History) -> dict[str, SkillStats]:
    counts: dict[str, list[int]] = {}
    for _item, skills, correct in history:
        for s in skills:
            c = counts.setdefault(s, [0, 0])
            c[0] += 1
            c[1] += 1 if correct else 0
    return {s: SkillStats(a, c) for s, (a, c) in counts.items()}


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class CountEstimator:
    """Recency-weighted Beta(1, 1) mastery per skill; item difficulty from all answers."""

    name = "count-beta"

    def __init__(
        self,
        item_success: Mapping[Hashable, tuple[int, int]] | None = None,
        decay: float = 0.85,
    ) -> None:
        # item -> (answered, correct) over every student, for difficulty
        self.item_success = dict(item_success or {})
        total = sum(a for a, _ in self.item_success.values())
        right = sum(c for _, c in self.item_success.values())
        self.global_rate = (right + 1) / (total + 2)
        self.decay = decay
        # The estimate of the last history asked about: a page asks p_correct of
        # dozens of items for one history (as ArtefactEstimator keeps its state).
        self._last: tuple[History, Estimate] | None = None

    def _estimate_of(self, history: History) -> Estimate:
        last = self._last
        if last is not None and last[0] is history:
            return last[1]
        est = self.estimate(history)
        self._last = (history, est)
        return est

    def estimate(self, history: History) -> Estimate:
        weights: dict[str, list[float]] = {}
        # Newest answers weigh most: walk backwards, decaying per skill.
        seen: dict[str, int] = {}
        for _item, skills, correct in reversed(list(history)):
            for s in skills:
                k = seen.get(s, 0)
                w = self.decay**k
                seen[s] = k + 1
                acc = weights.setdefault(s, [0.0, 0.0])
                acc[0] += w
                acc[1] += w if correct else 0.0
        mastery = {s: (1.0 + c) / (2.0 + a) for s, (a, c) in weights.items()}
        return Estimate(mastery=mastery, stats=skill_stats(history))

    def item_rate(self, item: Hashable) -> float:
        a, c = self.item_success.get(item, (0, 0))
        # shrink towards the global rate with 5 pseudo-answers
        return (c + 5 * self.global_rate) / (a + 5)

    def p_correct(
        self, history: History, item: Hashable, skills: Sequence[str]
    ) -> float:
        est = self._estimate_of(history)
        ms = [est.mastery.get(s, 0.5) for s in skills] or [0.5]
        skill_part = _logit(sum(ms) / len(ms))
        item_part = _logit(self.item_rate(item)) - _logit(self.global_rate)
        return _expit(skill_part + item_part)


Answer = tuple[Hashable, Iterable[Hashable], int]  # (item, skills, correct)
Row = tuple[str, list[str], int]


_A = TypeVar("_A")


class AnswerWindow(list[_A]):
    """A learner's last answers, oldest first, and how many they have given in all
    (``total``); a trained model places its recurrent context by the total."""

    def __init__(self, rows: Iterable[_A], total: int) -> None:
        super().__init__(rows)
        if total < len(self):
            raise ValueError("total is below the number of answers given")
        self.total = total


class TrainedModel(Protocol):
    """What the estimator needs of a trained model (``kt.inference.LearnerModel``)."""

    def encode(self, history: Sequence[Answer], answers: int | None = None) -> Any: ...

    def extend(self, state: Any, new: Sequence[Answer]) -> Any: ...

    def mastery_state(self, state: Any) -> dict[str, float]: ...

    def predict_state(
        self, state: Any, item: Hashable, skills: Iterable[Hashable]
    ) -> float: ...


class StateCache:
    """Per-learner encoded states, kept between requests and updated per answer.

    ``get`` returns the state after ``rows``, the last of a learner's ``total``
    answers: the cached one when nothing changed, the cached one extended by the new
    answers when the rows continue it (also when the 199-answer window slid), else a
    fresh encoding. Bounded (LRU)."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._data: OrderedDict[Hashable, tuple[list[Row], int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.extended = self.encoded = 0

    def get(
        self,
        model: TrainedModel,
        key: Hashable,
        rows: list[Row],
        total: int | None = None,
    ) -> Any:
        total = len(rows) if total is None else total
        with self._lock:
            entry = self._data.get(key)
            if entry is not None:
                self._data.move_to_end(key)
        state = None
        if entry is not None:
            old, old_total, cached = entry
            new = total - old_total  # answers given since the cached state
            if new == 0 and rows == old:
                self.hits += 1
                return cached
            kept = len(rows) - new  # rows that the cached state already holds
            if (
                0 < new
                and 0 <= kept <= len(old)
                and rows[:kept] == old[len(old) - kept :]
            ):
                state = model.extend(cached, rows[kept:])
                self.extended += 1
        if state is None:
            self.encoded += 1
            state = model.encode(rows, total)
        with self._lock:
            self._data[key] = (list(rows), total, state)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return state


class ArtefactEstimator:
    """A trained knowledge-tracing model (NumPy inference).

    The encoded state of a history is reused for every question asked about it (one
    page asks for the mastery map and dozens of candidate items), and, with a
    ``StateCache`` and a learner key, from one request to the next."""

    def __init__(
        self,
        model: TrainedModel,
        version: str,
        states: StateCache | None = None,
        key: Hashable | None = None,
    ) -> None:
        self.model = model
        self.name = version
        self.states = states
        self.key = key
        self._last: tuple[History, Any] | None = None

    def _state(self, history: History) -> Any:
        if self._last is not None and self._last[0] is history:
            return self._last[1]
        rows: list[Row] = [(str(i), [str(x) for x in s], int(c)) for i, s, c in history]
        total = history.total if isinstance(history, AnswerWindow) else len(rows)
        if self.states is not None and self.key is not None:
            state = self.states.get(self.model, self.key, rows, total)
        else:
            state = self.model.encode(rows, total)
        self._last = (history, state)
        return state

    def estimate(self, history: History) -> Estimate:
        mastery = self.model.mastery_state(self._state(history))
        return Estimate(mastery=dict(mastery), stats=skill_stats(history))

    def p_correct(
        self, history: History, item: Hashable, skills: Sequence[str]
    ) -> float:
        return float(
            self.model.predict_state(self._state(history), str(item), list(skills))
        )
