"""Exact max-weight b-matching on a sparse set of pairs, and a dual solution.

``flow`` solves it as a min-cost flow (OR-Tools network simplex / cost scaling):
source → student (cap 1) → mentor (cap 1, cost −score) → sink (cap = mentor
capacity), plus a zero-cost source → sink arc so students may stay unmatched.
``mentor_prices`` turns the node potentials of the optimal residual graph
(shortest-path distances, vectorised Bellman–Ford) into LP-dual mentor prices.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow


def flow(
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


def mentor_prices(
    n: int, cap: NDArray, es: NDArray, em: NDArray, ew: NDArray, chosen: NDArray
) -> NDArray[np.int64]:
    """LP-dual mentor prices ``v ≥ 0`` of an optimal flow (integers: costs are)."""
    m = len(cap)
    pi = potentials(n, cap, es, em, ew, chosen)
    return np.maximum(np.rint(pi[n + m + 1] - pi[n : n + m]), 0).astype(np.int64)
