"""Mastery estimators the recommender stands on (pure Python + NumPy, no Django).

``ArtefactEstimator`` wraps a trained knowledge-tracing model (``kt.LearnerModel``).
``CountEstimator`` is the fallback when no trained model is active (a new platform, a
machine without the ``nanum[ml]`` extra): a recency-weighted Beta estimate per skill and
a smoothed success rate per item. Both answer the same two questions.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

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
        est = self.estimate(history)
        ms = [est.mastery.get(s, 0.5) for s in skills] or [0.5]
        skill_part = _logit(sum(ms) / len(ms))
        item_part = _logit(self.item_rate(item)) - _logit(self.global_rate)
        return _expit(skill_part + item_part)


Answer = tuple[Hashable, Iterable[Hashable], int]  # (item, skills, correct)


class TrainedModel(Protocol):
    """What the estimator needs of a trained model (``kt.inference.LearnerModel``)."""

    def mastery(self, history: Sequence[Answer]) -> dict[str, float]: ...

    def predict(
        self, history: Sequence[Answer], item: Hashable, skills: Iterable[Hashable]
    ) -> float: ...


class ArtefactEstimator:
    """A trained knowledge-tracing model (NumPy inference)."""

    def __init__(self, model: TrainedModel, version: str) -> None:
        self.model = model
        self.name = version

    def estimate(self, history: History) -> Estimate:
        rows = [(str(i), list(s), int(c)) for i, s, c in history]
        mastery = self.model.mastery(rows)
        return Estimate(mastery=dict(mastery), stats=skill_stats(history))

    def p_correct(
        self, history: History, item: Hashable, skills: Sequence[str]
    ) -> float:
        rows = [(str(i), list(s), int(c)) for i, s, c in history]
        return float(self.model.predict(rows, str(item), list(skills)))
