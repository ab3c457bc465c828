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
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra, maximum_flow

from .problem import W_BASE

SHIFT = W_BASE  # the least score of a feasible pair


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
    # every pair scores at least SHIFT: taking it off the pairs and charging it on
    # the bypass (an unmatched student) changes every solution's cost by the same
    # n·SHIFT, and the smaller cost range saves cost-scaling work (~10 %)
    costs = np.concatenate([np.zeros(n), SHIFT - ew, np.zeros(m), [SHIFT]])
    costs = costs.astype(np.int64)
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
    return chosen, int(ew[chosen].sum())


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


def prices_from(n: int, m: int, pi: NDArray) -> NDArray[np.int64]:
    """Mentor prices ``v ≥ 0`` from node potentials of an optimal residual graph."""
    return np.maximum(np.rint(pi[n + m + 1] - pi[n : n + m]), 0).astype(np.int64)


def repair(
    n: int,
    cap: NDArray,
    es: NDArray,
    em: NDArray,
    ew: NDArray,
    chosen: NDArray,
    pi: NDArray,
    start: int,
    max_phases: int = 200,
) -> tuple[NDArray[np.bool_], NDArray[np.float64]] | None:
    """Re-optimise after pairs ``start:`` were added to an optimal flow (warm start).

    ``chosen[:start]`` is optimal on the old pairs and ``pi`` are potentials of its
    residual graph (every reduced cost ≥ 0). New pairs with a negative reduced cost
    are saturated, which leaves a unit of excess at their mentor and of deficit at
    their student; a primal-dual method then routes the excess back (a Dijkstra over
    reduced costs, potentials raised, a max flow over the arcs of zero reduced cost,
    repeated). Far cheaper than a new flow when few pairs were added. Returns the
    optimal ``chosen`` and new potentials, or ``None`` (the caller solves afresh).
    """
    m = len(cap)
    src, snk = n + m, n + m + 1
    size = n + m + 2
    pi = np.rint(pi).astype(np.int64)
    f = np.zeros(len(es), dtype=np.int64)
    f[:start] = chosen[:start]
    x = np.zeros(n, dtype=np.int64)  # flow src → student
    x[es[:start][chosen[:start]]] = 1
    load = np.bincount(em[f > 0], minlength=m).astype(np.int64)
    bypass = n - int(x.sum())  # flow src → snk
    new = np.arange(start, len(es))
    hot = new[-ew[new] + pi[es[new]] - pi[n + em[new]] < 0]
    f[hot] = 1
    excess = np.zeros(size, dtype=np.int64)
    np.add.at(excess, n + em[hot], 1)
    np.add.at(excess, es[hot], -1)
    if not excess.any():
        return f > 0, pi.astype(np.float64)
    # every residual arc, both directions, once: src→s, s→src, s→m, m→s, m→snk,
    # snk→m, src→snk, snk→src; (tail, head) is unique, so arcs sort by it once
    e = len(es)
    students, mentors = np.arange(n), n + np.arange(m)
    t = np.concatenate(
        [np.full(n, src), students, es, n + em, mentors, np.full(m, snk), [src, snk]]
    )
    h = np.concatenate(
        [students, np.full(n, src), n + em, es, np.full(m, snk), mentors, [snk, src]]
    )
    cost = np.concatenate(
        [np.zeros(2 * n, dtype=np.int64), -ew, ew, np.zeros(2 * m + 2, dtype=np.int64)]
    ).astype(np.int64)
    order = np.argsort(t * size + h, kind="stable")
    t, h, cost = t[order], h[order], cost[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(t, minlength=size))])
    big = float(2**50)  # "no arc" for Dijkstra: further than any real path
    width = size + 2  # the max flow adds a super source and a super sink
    for _ in range(max_phases):
        if not excess.any():
            break
        caps = np.concatenate(
            [1 - x, x, 1 - f, f, cap - load, load, [n - bypass, bypass]]
        )[order]
        live = caps > 0
        rc = cost + pi[t] - pi[h]
        if rc[live].min(initial=0) < 0:  # pragma: no cover - potentials not optimal
            return None
        sources = np.flatnonzero(excess > 0)
        sinks = np.flatnonzero(excess < 0)
        graph = csr_matrix((np.where(live, rc, big), h, indptr), shape=(size, size))
        dist = dijkstra(graph, indices=sources, min_only=True)
        reach = dist[sinks].min()
        if not reach < big:  # pragma: no cover - cannot happen (undo arcs exist)
            return None
        lift = np.minimum(dist, reach).astype(np.int64)
        pi = pi + lift
        # arcs of zero reduced cost inside the ball of radius ``reach`` around
        # the sources: every shortest path to a deficit lies in it
        near = dist <= reach
        ok = live & near[t] & near[h] & (rc + lift[t] - lift[h] == 0)
        at = np.flatnonzero(ok)
        ft = np.concatenate([t[at], np.full(len(sources), size), sinks])
        fh = np.concatenate([h[at], sources, np.full(len(sinks), size + 1)])
        fc = np.concatenate([caps[at], excess[sources], -excess[sinks]])
        key = ft * width + fh
        srt = np.argsort(key, kind="stable")
        net = csr_matrix(
            (
                fc[srt].astype(np.int32),
                fh[srt],
                np.concatenate([[0], np.cumsum(np.bincount(ft, minlength=width))]),
            ),
            shape=(width, width),
        )
        res = maximum_flow(net, size, size + 1)
        if res.flow_value == 0:  # pragma: no cover - a zero-cost path exists
            return None
        got = res.flow.tocoo()
        pos = got.data > 0
        gk = got.row[pos].astype(np.int64) * width + got.col[pos]
        gv = got.data[pos].astype(np.int64)
        gs = np.argsort(gk)
        gk, gv = gk[gs], gv[gs]
        ak = t[at] * width + h[at]
        j = np.minimum(np.searchsorted(gk, ak), max(len(gk) - 1, 0))
        amount = np.where((len(gk) > 0) & (gk[j] == ak), gv[j], 0) if len(gk) else 0
        amount = np.minimum(amount, caps[at])
        if not np.any(amount):  # pragma: no cover
            return None
        moved = at[amount > 0]
        a = amount[amount > 0]
        delta = np.zeros(len(t), dtype=np.int64)
        delta[moved] = a
        back = np.empty_like(delta)
        back[order] = delta  # per arc in the build order above
        bounds = np.cumsum([0, n, n, e, e, m, m, 1, 1])
        part = [back[bounds[i] : bounds[i + 1]] for i in range(8)]
        x += part[0] - part[1]
        f += part[2] - part[3]
        load += part[4] - part[5]
        bypass += int(part[6].sum() - part[7].sum())
        np.add.at(excess, t[moved], -a)
        np.add.at(excess, h[moved], a)
    else:
        return None
    if excess.any():  # pragma: no cover
        return None
    # a feasible b-matching: flow conserved at every student and mentor
    out = np.bincount(es[f > 0], minlength=n)
    into = np.bincount(em[f > 0], minlength=m)
    if (
        f.min(initial=0) < 0
        or f.max(initial=0) > 1
        or (out != x).any()
        or (into != load).any()
        or (load > cap).any()
        or (x > 1).any()
    ):  # pragma: no cover - a bug: the caller falls back to a fresh flow
        return None
    return f > 0, pi.astype(np.float64)
