"""Optimal batch matching: one scoring pass, a min-cost flow, a dual certificate.

1. Per town, score every student against every mentor who teaches one of their
   courses (``kernel``: a few vectorised operations per cell, in blocks) and keep
   each student's best ``k`` feasible mentors, plus for each mentor the students who
   gain most over their own ``k``-th option (``pricing.candidates``). ``tau[s]``
   bounds the score of every pair of ``s`` left out.
2. Solve the b-matching exactly on the kept pairs as a min-cost flow (``flow``); the
   node potentials of its residual graph give mentor prices ``v ≥ 0``, and
   ``u[s] = max(0, max over kept pairs of w − v)``. Then ``Σu + Σ cap·v`` equals the
   flow's objective (LP duality on the kept pairs).
3. Certificate over ALL pairs (``pricing.violations``): a left-out pair can only
   break the dual if ``w − v_m > u_s``, and ``w ≤ tau[s]``, so only mentors with
   ``v_m < tau[s] − u[s]`` are scored. Violating pairs are added and the flow solved
   again (pairs far from tight move to a reserve that is priced every round). With
   no violation left, ``Σu + Σ cap·v`` is an upper bound over every feasible pair
   and equals the objective: the match is optimal (``certified``).
"""

from __future__ import annotations

import time
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from .flow import flow, potentials, prices_from, repair
from .kernel import Kernel
from .pricing import BLOCK_CELLS, candidates, cat, violations
from .problem import MatchResult, Mentors, Pair, Students
from .score import REASON_SUBJECT, block_reasons, pair_details, prepare

T = TypeVar("T", Students, Mentors)

MENTOR_SIDE = 24  # students kept per mentor besides each student's own k best
EXTRA = 24  # violating pairs added per student and round
NEAR = 3  # first scan: pairs this close to tight are added too (fewer re-solves)
PRUNE = 60  # working pairs this far below tight move to the reserve
REPAIR_MAX = 2_000  # re-optimise from the last flow when at most this many pairs came


def _take(obj: T, idx: NDArray[np.intp]) -> T:
    kwargs = {name: getattr(obj, name)[idx] for name in obj.__dataclass_fields__}
    return type(obj)(**kwargs)


def _blocks(n: int, m: int) -> list[NDArray[np.intp]]:
    step = max(1, BLOCK_CELLS // max(1, m))
    return [np.arange(lo, min(n, lo + step)) for lo in range(0, n, step)]


def _contains(sorted_keys: NDArray, keys: NDArray) -> NDArray[np.bool_]:
    """``np.isin`` against a sorted haystack (np.isin took ~1 s per full-scale run)."""
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return (sorted_keys[at] == keys) if len(sorted_keys) else np.zeros(len(keys), bool)


def _solve_town(
    st: Students, mt: Mentors, k: int, max_rounds: int, timings: dict[str, float]
) -> tuple[NDArray, NDArray, NDArray, int, int, float, int]:
    n = len(st)
    cap = mt.capacity.astype(np.int64)
    t0 = time.perf_counter()
    kernel = Kernel(prepare(st, mt))
    (es, em, ew), tau = candidates(kernel, k, MENTOR_SIDE)
    timings["candidates"] += time.perf_counter() - t0
    empty = np.zeros(0, dtype=np.int64)
    rs, rm, rw = empty, empty, empty  # the reserve
    rounds, chosen, objective, bound, edges = 0, empty.astype(bool), 0, 0.0, len(es)
    pi: NDArray | None = None
    start = 0
    checked: tuple[NDArray, NDArray, NDArray] | None = None
    for rounds in range(1, max_rounds + 1):
        t0 = time.perf_counter()
        fixed = None
        if pi is not None and len(es) - start <= REPAIR_MAX:  # warm start
            fixed = repair(n, cap, es, em, ew, chosen, pi, start)
            timings["repairs"] = timings.get("repairs", 0) + (fixed is not None)
        if fixed is None:
            chosen, objective = flow(n, cap, es, em, ew)
            pi = potentials(n, cap, es, em, ew, chosen)
        else:
            chosen, pi = fixed
            objective = int(ew[chosen].sum())
        timings["flow"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        v = prices_from(n, len(cap), pi)
        u = np.zeros(n, dtype=np.int64)
        np.maximum.at(u, es, ew - v[em])
        if u.sum() + (v * cap).sum() != objective:  # pragma: no cover - not tight
            pi = potentials(n, cap, es, em, ew, chosen)
            v = prices_from(n, len(cap), pi)
            u = np.zeros(n, dtype=np.int64)
            np.maximum.at(u, es, ew - v[em])
        hot = rw - v[rm] - u[rs] > 0
        if hot.any():  # the reserve first: no scoring needed
            (vs, vm, vw), cells = (rs[hot], rm[hot], rw[hot]), 0
            rs, rm, rw = rs[~hot], rm[~hot], rw[~hot]
            positive = len(vs)
        elif checked is None:  # the first scan: every student
            (vs, vm, vw), positive, cells = violations(kernel, v, u, tau, EXTRA, NEAR)
        else:
            # every other left-out pair passed under duals no larger than now:
            # rescan students whose u fell (or who hit the cap) against every
            # mentor, and every student against the mentors whose price fell
            cu, cv, capped = checked
            found = [
                violations(kernel, v, u, tau, EXTRA, rows=(u < cu) | capped),
                violations(kernel, v, u, tau, EXTRA, cols=v < cv),
            ]
            vs, vm, vw = cat([a for a, _, _ in found])
            _, first = np.unique(vs * len(cap) + vm, return_index=True)
            vs, vm, vw = vs[first], vm[first], vw[first]
            positive = int(np.count_nonzero(vw - v[vm] - u[vs] > 0))
            cells = sum(c for _, _, c in found)
        if not hot.any():
            checked = (u, v, np.bincount(vs, minlength=n) >= EXTRA)
            new = ~_contains(np.sort(es * len(cap) + em), vs * len(cap) + vm)
            vs, vm, vw = vs[new], vm[new], vw[new]
        timings["certificate"] += time.perf_counter() - t0
        timings["cells checked"] = timings.get("cells checked", 0.0) + cells
        if positive == 0:  # the dual is feasible for every pair: a proof
            bound = float(u.sum() + (v * cap).sum())
            break
        bound = float("inf")
        if rounds == max_rounds:
            break
        drop = ~chosen & (ew - v[em] - u[es] < -PRUNE)
        rs, rm, rw = (
            np.concatenate([r, a[drop]]) for r, a in ((rs, es), (rm, em), (rw, ew))
        )
        es, em, ew = (
            np.concatenate([a[~drop], b]) for a, b in ((es, vs), (em, vm), (ew, vw))
        )
        start = int(np.count_nonzero(~drop))
        chosen = np.concatenate([chosen[~drop], np.zeros(len(vs), dtype=bool)])
        edges = max(edges, len(es))
    return es[chosen], em[chosen], ew[chosen], objective, edges, bound, rounds


def solve(
    st: Students, mt: Mentors, *, k: int = 8, max_rounds: int = 30
) -> MatchResult:
    """Maximise the total score over all feasible pairs; explain every outcome."""
    timings = {"candidates": 0.0, "flow": 0.0, "certificate": 0.0, "explain": 0.0}
    pairs_s, pairs_m, pairs_w = [], [], []
    objective, edges, bound, rounds = 0, 0, 0.0, 0
    for town in np.unique(st.town):
        s_idx = np.flatnonzero(st.town == town)
        m_idx = np.flatnonzero(mt.town == town)
        if len(m_idx) == 0:
            continue
        s, m, w, obj, e, ub, r = _solve_town(
            _take(st, s_idx), _take(mt, m_idx), k, max_rounds, timings
        )
        pairs_s.append(s_idx[s])
        pairs_m.append(m_idx[m])
        pairs_w.append(w)
        objective += obj
        edges += e
        bound += ub
        rounds = max(rounds, r)
    t0 = time.perf_counter()
    ps = np.concatenate(pairs_s) if pairs_s else np.zeros(0, dtype=np.intp)
    pm = np.concatenate(pairs_m) if pairs_m else np.zeros(0, dtype=np.intp)
    pw = np.concatenate(pairs_w) if pairs_w else np.zeros(0, dtype=np.int64)
    shared, start, length, mode = pair_details(st, ps, mt, pm)
    pairs = [
        Pair(int(a), int(b), int(c), int(d), int(e), int(f), int(g))
        for a, b, c, d, e, f, g in zip(
            ps, pm, pw, shared, start, length, mode, strict=True
        )
    ]
    unmatched = explain_unmatched(st, mt, ps, pm)
    timings["explain"] = time.perf_counter() - t0
    certified = bound <= objective + 1e-6
    return MatchResult(
        pairs,
        unmatched,
        objective,
        edges,
        certified,
        rounds,
        timings,
        upper_bound=bound,
    )


def explain_unmatched(
    st: Students, mt: Mentors, ps: NDArray, pm: NDArray
) -> dict[int, str]:
    """Reason code for each student without a pair (see ``score.REASON_*``)."""
    matched = np.zeros(len(st), dtype=bool)
    matched[ps] = True
    out: dict[int, str] = {}
    for town in np.unique(st.town):
        s_idx = np.flatnonzero((st.town == town) & ~matched)
        m_idx = np.flatnonzero(mt.town == town)
        if len(s_idx) == 0:
            continue
        if len(m_idx) == 0:
            out.update(dict.fromkeys(s_idx.tolist(), REASON_SUBJECT))
            continue
        p = prepare(_take(st, s_idx), _take(mt, m_idx))
        for rows in _blocks(len(s_idx), len(m_idx)):
            for i, reason in zip(rows, block_reasons(p, rows), strict=True):
                out[int(s_idx[i])] = reason
    return out


def greedy(st: Students, mt: Mentors, *, k: int = 32) -> int:
    """Baseline: take candidate pairs best-first while both sides have room."""
    total = 0
    for town in np.unique(st.town):
        s_idx = np.flatnonzero(st.town == town)
        m_idx = np.flatnonzero(mt.town == town)
        sub_mt = _take(mt, m_idx)
        kernel = Kernel(prepare(_take(st, s_idx), sub_mt))
        (es, em, ew), _ = candidates(kernel, k)
        order = np.argsort(-ew, kind="stable")
        free = sub_mt.capacity.astype(np.int64).copy()
        done = np.zeros(len(s_idx), dtype=bool)
        for s, m, w in zip(
            es[order].tolist(), em[order].tolist(), ew[order].tolist(), strict=True
        ):
            if not done[s] and free[m] > 0:
                done[s] = True
                free[m] -= 1
                total += w
    return total
