"""Optimal batch matching: min-cost flow on candidate pairs, proved by a dual check.

1. Per town, score every student against every mentor in vectorised blocks and keep
   each student's best ``k`` feasible mentors (all of them when fewer).
2. Solve the b-matching exactly as a min-cost flow (OR-Tools network simplex / cost
   scaling): source → student (cap 1) → mentor (cap 1, cost −score) → sink (cap =
   mentor capacity), plus a zero-cost source → sink arc so students may stay unmatched.
3. Certificate: node potentials π are shortest-path distances in the residual graph
   (Bellman–Ford, no negative cycle at an optimum). A pair left out in step 1 could
   only improve the match if its reduced cost −w + π_s − π_m were negative. Students
   whose worst kept score already satisfies the bound for every mentor need no look;
   the rest are re-scored against all mentors and any violating pair is added and the
   flow solved again. When no violation is left the result is optimal over ALL
   feasible pairs, not only the candidates (``MatchResult.certified``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from .problem import MatchResult, Mentors, Pair, Students
from .score import (
    REASON_SUBJECT,
    Prepared,
    block_reasons,
    block_scores,
    pair_details,
    prepare,
)

R = TypeVar("R")
T = TypeVar("T", Students, Mentors)

BLOCK_CELLS = 1_000_000  # students × mentors scored per block (memory bound)
WORKERS = max(1, min(4, os.cpu_count() or 1))  # NumPy releases the GIL in ufuncs


def _take(obj: T, idx: NDArray[np.intp]) -> T:
    kwargs = {name: getattr(obj, name)[idx] for name in obj.__dataclass_fields__}
    return type(obj)(**kwargs)


def _blocks(n: int, m: int) -> list[NDArray[np.intp]]:
    step = max(1, BLOCK_CELLS // max(1, m))
    return [np.arange(lo, min(n, lo + step)) for lo in range(0, n, step)]


def _parallel(fn: Callable[[NDArray[np.intp]], R], blocks: list) -> list[R]:
    if WORKERS == 1 or len(blocks) < 2:
        return [fn(b) for b in blocks]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(fn, blocks))


def _tasks(p: Prepared, n: int) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Blocks of students who want the same courses, each with only the mentors who
    teach one of them (every other pair is infeasible): roughly halves the work."""
    order = np.argsort(p.s_course, kind="stable")
    keys, starts = np.unique(p.s_course[order], return_index=True)
    ends = [*starts[1:].tolist(), n]
    tasks = []
    for key, lo, hi in zip(keys.tolist(), starts.tolist(), ends, strict=True):
        rows = order[lo:hi]
        cols = np.flatnonzero(p.m_course & np.uint32(key))
        if len(cols) == 0:
            continue
        step = max(1, BLOCK_CELLS // len(cols))
        tasks.extend((rows[i : i + step], cols) for i in range(0, len(rows), step))
    return tasks


def candidates(
    p: Prepared, n: int, m: int, k: int, cache: list | None = None
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Best ``k`` feasible mentors per student: (students, mentors, scores, kth).

    ``kth[s]`` is the lowest kept score of ``s`` when some feasible pair was left out,
    else 0 (nothing left out).
    """
    kth = np.zeros(n, dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0 or m == 0:
        return empty, empty, empty, kth

    def one(task: tuple) -> tuple:
        rows, cols = task
        scores = block_scores(p.take_mentors(cols), rows)
        width = len(cols)
        kk = min(k, width)
        if kk < width:
            top = np.argpartition(scores, width - kk, axis=1)[:, width - kk :]
        else:
            top = np.broadcast_to(np.arange(width), (len(rows), width))
        top_w = np.take_along_axis(scores, top, axis=1)
        cut = np.count_nonzero(scores, axis=1) > kk
        keep = top_w > 0
        if cache is not None:  # every feasible score, for the pricing passes
            cache.append((rows, cols, scores))
        return rows, cols[top], top_w, cut, keep

    es, em, ew = [empty], [empty], [empty]
    for rows, top, top_w, cut, keep in _parallel(one, _tasks(p, n)):
        kth[rows[cut]] = top_w[cut].min(axis=1)
        es.append(np.repeat(rows, keep.sum(axis=1)))
        em.append(top[keep])
        ew.append(top_w[keep])
    return (
        np.concatenate(es).astype(np.int64),
        np.concatenate(em).astype(np.int64),
        np.concatenate(ew).astype(np.int64),
        kth,
    )


def _flow(
    n: int, cap: NDArray, es: NDArray, em: NDArray, ew: NDArray
) -> tuple[NDArray[np.bool_], int]:
    """Exact max-weight b-matching on the given pairs. Returns (chosen, objective)."""
    m = len(cap)
    src, snk = n + m, n + m + 1
    e = len(es)
    tails = np.concatenate([np.full(n, src), es, n + np.arange(m), [src]])
    heads = np.concatenate([np.arange(n), n + em, np.full(m, snk), [snk]])
    caps = np.concatenate([np.ones(n), np.ones(e), cap, [n]]).astype(np.int64)
    costs = np.concatenate([np.zeros(n), -ew, np.zeros(m), [0]]).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs
    )
    supplies = np.zeros(n + m + 2, dtype=np.int64)
    supplies[src], supplies[snk] = n, -n
    flow.set_nodes_supplies(np.arange(n + m + 2, dtype=np.int32), supplies)
    status = flow.solve()
    if (
        status != flow.OPTIMAL
    ):  # pragma: no cover - the zero-cost bypass is always feasible
        raise RuntimeError(f"min-cost flow failed: {status}")
    chosen = flow.flows(arcs[n : n + e]) > 0
    return chosen, -int(flow.optimal_cost())


def _bellman_ford(size: int, tails: NDArray, heads: NDArray, w: NDArray) -> NDArray:
    """Distances from a virtual root joined to every node by a zero-cost arc.

    Frontier (queue-like) Bellman–Ford, vectorised: only arcs leaving a node whose
    distance dropped in the last pass are relaxed.
    """
    dist = np.zeros(size)
    active = np.ones(size, dtype=bool)
    for _ in range(size + 1):
        sel = active[tails]
        t, h, c = tails[sel], heads[sel], w[sel]
        cand = dist[t] + c
        better = cand < dist[h] - 1e-9
        if not better.any():
            return dist
        new = dist.copy()
        np.minimum.at(new, h[better], cand[better])
        active = new < dist - 1e-9
        dist = new
    raise RuntimeError("negative cycle: the flow is not optimal")  # pragma: no cover


def potentials(
    n: int, cap: NDArray, es: NDArray, em: NDArray, ew: NDArray, chosen: NDArray
) -> NDArray[np.float64]:
    """Shortest-path potentials of the residual graph (a dual solution)."""
    m = len(cap)
    src, snk = n + m, n + m + 1
    matched = np.zeros(n, dtype=bool)
    matched[es[chosen]] = True
    load = np.bincount(em[chosen], minlength=m)
    unmatched = int(n - matched.sum())
    students, mentors = np.arange(n), n + np.arange(m)
    parts = [
        (np.full(n, src), students, ~matched, 0),  # src → s while s is free
        (students, np.full(n, src), matched, 0),  # s → src when s is matched
        (es, n + em, ~chosen, -ew),  # unused pair
        (n + em, es, chosen, ew),  # used pair, backwards
        (mentors, np.full(m, snk), load < cap, 0),
        (np.full(m, snk), mentors, load > 0, 0),
        (np.array([src]), np.array([snk]), np.array([unmatched < n]), 0),
        (np.array([snk]), np.array([src]), np.array([unmatched > 0]), 0),
    ]
    tails, heads, weights = [], [], []
    for t, h, mask, w in parts:
        tails.append(t[mask])
        heads.append(h[mask])
        weights.append(np.broadcast_to(np.asarray(w, dtype=np.float64), t.shape)[mask])
    return _bellman_ford(
        n + m + 2, np.concatenate(tails), np.concatenate(heads), np.concatenate(weights)
    )


def price_pass(
    cache: list, n: int, v: NDArray, caps: NDArray, base: NDArray, extra: int
) -> tuple[float, NDArray, NDArray, NDArray]:
    """One pass over ALL feasible pairs at mentor prices ``v`` (LP duals, ≥ 0).

    Returns an upper bound on the best possible objective (the LP dual value with
    ``u_s = max(0, max_m w_sm − v_m)``, valid for any ``v ≥ 0``), and for each student
    whose best reduced value ``w − v`` beats ``base[s]`` (what the student gets now)
    up to ``extra`` such pairs: the columns to add while the bound is not met.
    ``cache`` holds every feasible score from the candidate pass.
    """
    v32 = v.astype(np.float32)
    u = np.zeros(n)

    def one(task: tuple) -> tuple:
        rows, cols, scores = task
        reduced = scores - v32[cols][None, :]
        reduced[scores == 0] = -1
        best = reduced.max(axis=1)
        u[rows] = np.maximum(best, 0)
        hot = np.flatnonzero(best > base[rows] + 1e-4)
        if len(hot) == 0:
            return empty, empty, empty
        sub = reduced[hot]
        width = len(cols)
        kk = min(extra, width)
        top = np.argpartition(sub, width - kk, axis=1)[:, width - kk :]
        top_r = np.take_along_axis(sub, top, axis=1)
        i, j = np.nonzero(top_r > base[rows[hot], None] + 1e-4)
        local = top[i, j]
        return rows[hot[i]], cols[local], scores[hot[i], local].astype(np.int64)

    empty = np.zeros(0, dtype=np.int64)
    found = [(empty, empty, empty), *_parallel(one, cache)]
    bound = float(u.sum()) + float((v * caps).sum())
    return (
        bound,
        *(np.concatenate([f[i] for f in found]).astype(np.int64) for i in range(3)),
    )  # type: ignore[return-value]


def _solve_town(
    st: Students,
    mt: Mentors,
    k: int,
    max_rounds: int,
    timings: dict[str, float],
    extra: int = 16,
    prune: float = 40.0,
) -> tuple[NDArray, NDArray, NDArray, int, int, float, int]:
    """Column generation: flow on a candidate set, price every feasible pair, add
    the improving ones, drop candidates whose reduced value is far below zero (the
    pricing pass brings any back that could matter), until the bound is met."""
    n, m = len(st), len(mt)
    cap = mt.capacity.astype(np.int64)
    t0 = time.perf_counter()
    p = prepare(st, mt)
    cache: list = []
    es, em, ew, _kth = candidates(p, n, m, k, cache)
    timings["candidates"] += time.perf_counter() - t0
    rounds, chosen, objective = 0, np.zeros(0, dtype=bool), 0
    bound, edges = float("inf"), len(es)
    for rounds in range(1, max_rounds + 1):
        t0 = time.perf_counter()
        chosen, objective = _flow(n, cap, es, em, ew)
        timings["flow"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        pi = potentials(n, cap, es, em, ew, chosen)
        v = np.maximum(pi[n + m + 1] - pi[n : n + m], 0.0)  # mentor prices
        base = np.zeros(n)
        base[es[chosen]] = ew[chosen] - v[em[chosen]]
        bound, vs, vm, vw = price_pass(cache, n, v, cap, base, extra)
        if len(vs):  # pairs already in the set need no second copy
            known = np.isin(vs * m + vm, es * m + em)
            vs, vm, vw = vs[~known], vm[~known], vw[~known]
        timings["certificate"] += time.perf_counter() - t0
        if bound <= objective + 1e-6 or len(vs) == 0 or rounds == max_rounds:
            break
        u = np.maximum(pi[:n] - pi[n + m + 1], 0.0)
        keep = chosen | (ew - v[em] - u[es] > -prune)
        es, em, ew = (
            np.concatenate([es[keep], vs]),
            np.concatenate([em[keep], vm]),
            np.concatenate([ew[keep], vw]),
        )
        chosen = np.concatenate([chosen[keep], np.zeros(len(vs), dtype=bool)])
        edges = max(edges, len(es))
    return es[chosen], em[chosen], ew[chosen], objective, edges, bound, rounds


def solve(
    st: Students, mt: Mentors, *, k: int = 8, max_rounds: int = 12
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
        p = prepare(_take(st, s_idx), sub_mt)
        es, em, ew, _ = candidates(p, len(s_idx), len(m_idx), k)
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
