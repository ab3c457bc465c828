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
    max_phases: int = 60,
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
    rc_new = -ew[new] + pi[es[new]] - pi[n + em[new]]
    hot = new[rc_new < 0]
    f[hot] = 1
    excess = np.zeros(size, dtype=np.int64)
    np.add.at(excess, n + em[hot], 1)
    np.add.at(excess, es[hot], -1)
    students, mentors = np.arange(n), n + np.arange(m)
    one = np.ones(1, dtype=np.int64)
    for _ in range(max_phases):
        if not excess.any():
            break
        # residual arcs: (tail, head, capacity, cost, kind, index)
        parts = [
            (np.full(n, src), students, 1 - x, np.zeros(n), 0),
            (students, np.full(n, src), x, np.zeros(n), 1),
            (es, n + em, 1 - f, -ew, 2),
            (n + em, es, f, ew, 3),
            (mentors, np.full(m, snk), cap - load, np.zeros(m), 4),
            (np.full(m, snk), mentors, load, np.zeros(m), 5),
            ([src], [snk], (n - bypass) * one, np.zeros(1), 6),
            ([snk], [src], bypass * one, np.zeros(1), 7),
        ]
        tails, heads, caps, kinds, index = [], [], [], [], []
        costs = []
        for pt, ph, pc, pw, pk in parts:
            live = np.asarray(pc) > 0
            at = np.flatnonzero(live)
            tails.append(np.asarray(pt)[live])
            heads.append(np.asarray(ph)[live])
            caps.append(np.asarray(pc)[live])
            costs.append(np.asarray(pw, dtype=np.int64)[live])
            kinds.append(np.full(len(at), pk))
            index.append(at)
        t, h = np.concatenate(tails), np.concatenate(heads)
        c, kind, idx = (
            np.concatenate(caps),
            np.concatenate(kinds),
            np.concatenate(index),
        )
        rc = np.concatenate(costs) + pi[t] - pi[h]
        if rc.min(initial=0) < 0:  # pragma: no cover - potentials not optimal
            return None
        sources = np.flatnonzero(excess > 0)
        graph = csr_matrix((rc.astype(np.float64), (t, h)), shape=(size, size))
        dist = dijkstra(graph, indices=sources, min_only=True)
        sinks = np.flatnonzero(excess < 0)
        reach = dist[sinks].min()
        if not np.isfinite(reach):  # pragma: no cover - cannot happen (undo arcs)
            return None
        pi = pi + np.minimum(dist, reach).astype(np.int64)
        rc = rc + np.minimum(dist, reach)[t].astype(np.int64)
        rc -= np.minimum(dist, reach)[h].astype(np.int64)
        zero = rc == 0
        sup, sink = size, size + 1
        ft = np.concatenate([t[zero], np.full(len(sources), sup), sinks])
        fh = np.concatenate([h[zero], sources, np.full(len(sinks), sink)])
        fc = np.concatenate([c[zero], excess[sources], -excess[sinks]])
        # several residual arcs may join one pair of nodes: merge them (sum capacity)
        net = csr_matrix((fc.astype(np.int32), (ft, fh)), shape=(size + 2, size + 2))
        res = maximum_flow(net, sup, sink)
        if res.flow_value == 0:  # pragma: no cover - a zero-cost path exists
            return None
        flows = res.flow.tocsr()
        # hand the flow on each (tail, head) back to its residual arcs, first fit
        zt, zh, zc, zk, zi = t[zero], h[zero], c[zero], kind[zero], idx[zero]
        pushed = np.asarray(flows[zt, zh]).ravel().astype(np.int64)
        order = np.lexsort((zk, zh, zt))
        zt, zh, zc, zk, zi, pushed = (a[order] for a in (zt, zh, zc, zk, zi, pushed))
        key = zt * (size + 2) + zh
        first = np.searchsorted(key, key, side="left")
        before = np.cumsum(zc) - zc
        taken = before - before[first]
        amount = np.clip(pushed - taken, 0, zc)
        for k in range(8):
            sel = (zk == k) & (amount > 0)
            a, j = amount[sel], zi[sel]
            if k == 0:
                x[j] += a
            elif k == 1:
                x[j] -= a
            elif k == 2:
                f[j] += a
            elif k == 3:
                f[j] -= a
            elif k == 4:
                load[j] += a
            elif k == 5:
                load[j] -= a
            elif k == 6:
                bypass += int(a.sum())
            else:
                bypass -= int(a.sum())
        np.add.at(excess, zt[amount > 0], -amount[amount > 0])
        np.add.at(excess, zh[amount > 0], amount[amount > 0])
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
