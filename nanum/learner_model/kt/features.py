"""History features shared by the logistic baseline, our model and inference.

Every feature of position ``t`` is computed from the window of up to
``WINDOW`` previous interactions of the same learner (never from ``t`` itself),
so training, evaluation and live inference see the same information.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .data import MAX_LEN, Sequence

WINDOW = MAX_LEN - 1
DENSE_NAMES = (
    "log_attempts",
    "success_logit",
    "prev_correct",
    "prev_wrong",
    "log_question_seen",
    "last_on_skill",
    "same_skill_as_prev",
    "log_gap_skill",
)
N_DENSE = len(DENSE_NAMES)


def history_features(
    questions: np.ndarray, skills: np.ndarray, responses: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of every position of one learner.

    Returns ``succ`` and ``fail`` (L, K): log1p of prior correct / wrong answers
    on each skill of the position within the window, and ``dense`` (L, N_DENSE).
    """
    n, k = skills.shape
    succ = np.zeros((n, k), dtype=np.float32)
    fail = np.zeros((n, k), dtype=np.float32)
    dense = np.zeros((n, N_DENSE), dtype=np.float32)
    q_list = questions.tolist()
    s_list = skills.tolist()
    r_list = responses.tolist()
    s_cnt: dict[int, list[int]] = {}  # skill -> [correct, wrong] in window
    q_cnt: dict[int, int] = {}
    last_pos: dict[int, int] = {}
    last_res: dict[int, int] = {}
    n_ok = n_bad = 0
    log_far = math.log1p(WINDOW + 1)
    for t in range(n):
        if t > 0:  # add interaction t-1 to the window
            r = r_list[t - 1]
            n_ok += r
            n_bad += 1 - r
            for s in s_list[t - 1]:
                if s:
                    c = s_cnt.setdefault(s, [0, 0])
                    c[0 if r else 1] += 1
                    last_pos[s] = t - 1
                    last_res[s] = r
            q = q_list[t - 1]
            if q:
                q_cnt[q] = q_cnt.get(q, 0) + 1
        old = t - 1 - WINDOW
        if old >= 0:  # interaction leaving the window
            r = r_list[old]
            n_ok -= r
            n_bad -= 1 - r
            for s in s_list[old]:
                if s:
                    s_cnt[s][0 if r else 1] -= 1
            q = q_list[old]
            if q:
                q_cnt[q] -= 1
        row = dense[t]
        row[0] = math.log1p(n_ok + n_bad)
        row[1] = math.log((n_ok + 1) / (n_bad + 1))
        if t > 0:
            row[2] = r_list[t - 1]
            row[3] = 1 - r_list[t - 1]
            row[6] = float(s_list[t - 1] == s_list[t])
        q = q_list[t]
        if q:
            row[4] = math.log1p(q_cnt.get(q, 0))
        ks = 0
        last = 0.0
        gap = 0.0
        for j, s in enumerate(s_list[t]):
            if not s:
                continue
            ks += 1
            counts = s_cnt.get(s)
            if counts is not None:
                succ[t, j] = math.log1p(counts[0])
                fail[t, j] = math.log1p(counts[1])
            p = last_pos.get(s)
            if p is not None and t - p <= WINDOW:
                last += 1.0 if last_res[s] else -1.0
                gap += math.log1p(t - p)
            else:
                gap += log_far
        if ks:
            row[5] = last / ks
            row[7] = gap / ks
    return succ, fail, dense


def add_features(seqs: Iterable[Sequence]) -> None:
    """Attach ``succ``, ``fail`` and ``dense`` features to each sequence."""
    for s in seqs:
        if "dense" in s.extra:
            continue
        succ, fail, dense = history_features(s.questions, s.skills, s.responses)
        s.extra.update(succ=succ, fail=fail, dense=dense)


def next_features(
    questions: np.ndarray,
    skills: np.ndarray,
    responses: np.ndarray,
    question: int,
    item_skills: list[int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of one new item after a history of at most ``WINDOW`` rows.

    Vectorised equivalent of the last row of :func:`history_features` (used at
    inference).  Returns ``succ``/``fail`` (len(item_skills),) and ``dense``.
    """
    n = len(responses)
    if n > WINDOW:
        raise ValueError(f"history longer than the window ({n} > {WINDOW})")
    k = len(item_skills)
    succ = np.zeros(k)
    fail = np.zeros(k)
    dense = np.zeros(N_DENSE)
    r = responses.astype(bool)
    n_ok = int(r.sum())
    dense[0] = math.log1p(n)
    dense[1] = math.log((n_ok + 1) / (n - n_ok + 1))
    if n:
        dense[2] = float(r[-1])
        dense[3] = 1.0 - float(r[-1])
        prev = [s for s in skills[-1].tolist() if s] or [0]
        dense[6] = float(prev == (item_skills or [0]))
        if question:
            dense[4] = math.log1p(int((questions == question).sum()))
    ks = 0
    last = 0.0
    gap = 0.0
    log_far = math.log1p(WINDOW + 1)
    for j, s in enumerate(item_skills):
        if not s:
            continue
        ks += 1
        hit = (skills == s).any(1) if n else np.zeros(0, dtype=bool)
        idx = np.flatnonzero(hit)
        if len(idx):
            ok = int(r[idx].sum())
            succ[j] = math.log1p(ok)
            fail[j] = math.log1p(len(idx) - ok)
            last += 1.0 if r[idx[-1]] else -1.0
            gap += math.log1p(n - int(idx[-1]))
        else:
            gap += log_far
    if ks:
        dense[5] = last / ks
        dense[7] = gap / ks
    return succ, fail, dense
