"""Simulated learners with known per-skill ability and item difficulty.

Model: learner ``u`` has ability ``theta[u, s] = g_u + d_{u,s}`` on skill ``s``;
item ``i`` (skill ``skill_of[i]``) has difficulty ``b_i``.  An answer is correct
with probability ``sigmoid(theta[u, s] - b_i)``; after each attempt on ``s`` the
ability grows by ``rate_u`` (more after a correct answer), so learners learn
over time.  Learners practise skills in blocks, as in a skill builder.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import Sequence, Split, make_sequence


@dataclass
class SyntheticData:
    sequences: list[Sequence]
    ability_start: np.ndarray  # (U, S+1) true ability before practice (col 0 unused)
    ability_end: np.ndarray  # (U, S+1) true ability after the last interaction
    difficulty: np.ndarray  # (I+1,) item difficulty (index 0 unused)
    skill_of: np.ndarray  # (I+1,) skill of each item
    params: dict[str, float | int]


def generate(
    n_learners: int = 400,
    n_skills: int = 10,
    n_items: int = 120,
    min_len: int = 30,
    max_len: int = 120,
    learn_rate: float = 0.08,
    seed: int = 0,
) -> SyntheticData:
    """Simulate ``n_learners`` learners (1-based item and skill ids)."""
    rng = np.random.default_rng(seed)
    skill_of = np.concatenate([[0], 1 + np.arange(n_items) % n_skills])
    difficulty = np.concatenate([[0.0], rng.normal(0.0, 1.0, n_items)])
    skill_shift = np.concatenate([[0.0], rng.normal(0.0, 0.5, n_skills)])
    items_by_skill = [np.flatnonzero(skill_of == s) for s in range(n_skills + 1)]
    general = rng.normal(0.0, 1.0, n_learners)
    specific = rng.normal(0.0, 0.8, (n_learners, n_skills + 1))
    start = general[:, None] + specific - skill_shift[None, :]
    start[:, 0] = 0.0
    theta = start.copy()
    rates = learn_rate * rng.uniform(0.5, 1.5, n_learners)
    seqs: list[Sequence] = []
    for u in range(n_learners):
        length = int(rng.integers(min_len, max_len + 1))
        qs: list[int] = []
        ss: list[int] = []
        rs: list[int] = []
        while len(qs) < length:
            s = int(rng.integers(1, n_skills + 1))
            for _ in range(int(rng.integers(3, 9))):
                i = int(rng.choice(items_by_skill[s]))
                p = 1.0 / (1.0 + np.exp(-(theta[u, s] - difficulty[i])))
                r = int(rng.random() < p)
                qs.append(i)
                ss.append(s)
                rs.append(r)
                theta[u, s] += rates[u] * (1.0 + 0.5 * r)
                if len(qs) >= length:
                    break
        seqs.append(make_sequence(f"syn{u}", qs, ss, rs))
    params = {
        "n_learners": n_learners,
        "n_skills": n_skills,
        "n_items": n_items,
        "min_len": min_len,
        "max_len": max_len,
        "learn_rate": learn_rate,
        "seed": seed,
    }
    return SyntheticData(seqs, start, theta, difficulty, skill_of, params)


def synthetic_split(fold: int = 0, n_learners: int = 600, seed: int = 0) -> Split:
    """A 60/20/20 learner split of simulated data (fold picks the rotation)."""
    data = generate(n_learners=n_learners, seed=seed)
    order = np.random.default_rng(seed + 1).permutation(n_learners)
    parts = np.array_split(order, 5)
    test_idx = parts[fold % 5]
    valid_idx = parts[(fold + 1) % 5]
    train_idx = np.concatenate([parts[(fold + j) % 5] for j in range(2, 5)])
    train, valid, test = (
        [data.sequences[i] for i in idx] for idx in (train_idx, valid_idx, test_idx)
    )
    digest = hashlib.sha256(json.dumps(data.params, sort_keys=True).encode())
    return Split(
        "synthetic",
        fold,
        train,
        valid,
        test,
        len(data.difficulty),
        int(data.skill_of.max()) + 1,
        digest.hexdigest(),
        ["simulated learners (IRT with learning), see kt/synthetic.py"],
    )


def _join(values: Iterable[int]) -> str:
    return ",".join(str(int(v)) for v in values)


def write_pykt_csv(path: Path, seqs: list[Sequence], folds: list[int]) -> None:
    """Write a pyKT ``fold,uid,concepts,responses`` file (0-based concepts)."""
    with Path(path).open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["fold", "uid", "concepts", "responses"])
        for f, s in zip(folds, seqs, strict=True):
            w.writerow([f, s.uid, _join(s.skills[:, 0] - 1), _join(s.responses)])


def write_akt_file(path: Path, seqs: list[Sequence], with_questions: bool) -> None:
    """Write AKT per-learner blocks (header, [questions], skills, responses)."""
    lines: list[str] = []
    for n, s in enumerate(seqs):
        lines.append(f"{n},{s.uid}" if with_questions else str(len(s)))
        if with_questions:
            lines.append(_join(s.questions))
        lines += [_join(s.skills[:, 0]), _join(s.responses)]
    Path(path).write_text("\n".join(lines) + "\n")
