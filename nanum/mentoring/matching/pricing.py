"""The two dense passes over student–mentor cells: candidate pairs, then the
certificate (pairs whose reduced value is positive under given duals).

Both run in blocks of at most ``BLOCK_CELLS`` cells (never the whole matrix) on
``WORKERS`` threads; NumPy releases the GIL inside its element-wise operations.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from .kernel import Group, Kernel

R = TypeVar("R")
W = TypeVar("W")
Arrays = tuple[
    NDArray[np.signedinteger[Any]],
    NDArray[np.signedinteger[Any]],
    NDArray[np.signedinteger[Any]],
]

BLOCK_CELLS = 1_000_000  # students × mentors scored per block (memory bound)
WORKERS = max(1, min(4, os.cpu_count() or 1))
TIE_BREAK = np.random.default_rng(6).integers(0, 16, 2 * BLOCK_CELLS, dtype=np.int16)


def parallel(fn: Callable[[W], R], items: Sequence[W]) -> list[R]:
    if WORKERS == 1 or len(items) < 2:
        return [fn(b) for b in items]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(fn, items))


def cat(parts: Sequence[Arrays]) -> Arrays:
    empty = np.zeros(0, dtype=np.int64)
    a, b, c = (
        np.concatenate([empty, *(p[i] for p in parts)]).astype(np.int64)
        for i in range(3)
    )
    return a, b, c


def _first_per_row(rows: NDArray, limit: int) -> NDArray[np.bool_]:
    """For entries sorted by row (best first within a row): the first ``limit``."""
    first = np.searchsorted(rows, rows, side="left")
    return np.arange(len(rows)) - first < limit


def candidates(
    kernel: Kernel, k: int, mentor_side: int = 0
) -> tuple[Arrays, NDArray[np.int64]]:
    """Candidate pairs ``(students, mentors, scores)`` and ``tau``.

    Each student keeps their ``k`` best feasible mentors; ``tau[s]`` is the lowest
    kept score when some feasible pair of ``s`` was left out (every left-out pair
    scores ``≤ tau[s]``), else 0. With ``mentor_side``, each mentor also keeps that
    many students who gain most over their own ``k``-th option (block winners), so
    that the first flow already fills unpopular mentors and its prices are close.
    """
    tau = np.zeros(kernel.n, dtype=np.int64)

    def one(item: tuple[Group, int, int]) -> tuple[Arrays, Arrays, NDArray]:
        g, lo, hi = item
        scores = kernel.scores(g, lo, hi, len(g.cols))
        rows, width = g.rows[lo:hi], len(g.cols)
        kk = max(1, min(k, width))
        feasible = np.count_nonzero(scores > 0, axis=1)
        # score × 16 + a random tie-break per cell, so that students who rate many
        # mentors equally do not all pick the same ones
        key = np.maximum(scores, 0) << 4
        if key.size <= len(TIE_BREAK):
            key |= TIE_BREAK[: key.size].reshape(key.shape)
        top = np.empty((len(rows), kk), dtype=np.intp)
        at_row = np.arange(len(rows))
        for i in range(kk):  # k row-wise argmax passes: far cheaper than a partition
            top[:, i] = key.argmax(axis=1)
            key[at_row, top[:, i]] = -1
        top_w = np.take_along_axis(scores, top, axis=1)
        keep = top_w > 0
        low = np.where(keep.all(axis=1), top_w[:, -1], 0).astype(np.int16)
        cut = (low > 0) & (feasible > kk)
        tau[rows[cut]] = low[cut]
        # each mentor's student of the block with the most to gain over their own
        # k-th option (students with few good options come first)
        gain = scores - low[:, None]
        best = gain.argmax(axis=0)
        at = np.arange(width)
        best_w, best_g = scores[best, at], gain[best, at]
        ok = best_w > 0
        return (
            (np.repeat(rows, keep.sum(axis=1)), g.cols[top[keep]], top_w[keep]),
            (rows[best[ok]], g.cols[ok], best_w[ok]),
            best_g[ok],
        )

    items = [
        (g, lo, min(len(g.rows), lo + max(1, BLOCK_CELLS // len(g.cols))))
        for g in kernel.groups()
        for lo in range(0, len(g.rows), max(1, BLOCK_CELLS // len(g.cols)))
    ]
    found = parallel(one, items)
    es, em, ew = cat([f[0] for f in found])
    if mentor_side:
        ms, mm, mw = cat([f[1] for f in found])
        mg = np.concatenate([np.zeros(0, dtype=np.int16), *(f[2] for f in found)])
        order = np.lexsort((-mg.astype(np.int64), mm))
        top = order[_first_per_row(mm[order], mentor_side)]
        es, em, ew = (
            np.concatenate([a, b[top]]) for a, b in ((es, ms), (em, mm), (ew, mw))
        )
        first = np.unique(es * kernel.m + em, return_index=True)[1]
        es, em, ew = es[first], em[first], ew[first]
    return (es, em, ew), tau


def violations(
    kernel: Kernel,
    v: NDArray,
    u: NDArray,
    tau: NDArray,
    extra: int,
    near: int = 0,
    rows: NDArray[np.bool_] | None = None,
    cols: NDArray[np.bool_] | None = None,
) -> tuple[Arrays, int, int]:
    """Feasible pairs with ``w − v_m > u_s`` (at most ``extra`` per student, most
    violating first), and how many cells were scored to know.

    Pairs in the candidate set satisfy the inequality already (``u`` is computed
    from them); a left-out pair has ``w ≤ tau_s``, so it can only violate when
    ``v_m < tau_s − u_s``. Mentors are sorted by price and students by that
    threshold, so each block scores only a prefix of its mentors.

    ``rows`` / ``cols`` limit the scan to those students / mentors (the caller
    knows that every other left-out pair was checked under duals no larger).
    """
    theta = tau - u + near
    keep = (tau > 0) & (theta > v.min(initial=0))
    if rows is not None:
        keep &= rows
    need = np.flatnonzero(keep)
    if len(need) == 0:
        return cat([]), 0, 0
    need = need[np.argsort(-theta[need], kind="stable")]
    items = []
    for g in kernel.groups(need):  # stable: students stay sorted by theta
        gc = g.cols if cols is None else g.cols[cols[g.cols]]
        if len(gc) == 0:
            continue
        g = kernel.group(g.rows, gc[np.argsort(v[gc], kind="stable")])
        prices = v[g.cols]
        step = max(1, BLOCK_CELLS // len(g.cols))
        for lo in range(0, len(g.rows), step):
            width = int(np.searchsorted(prices, theta[g.rows[lo]], side="left"))
            if width:
                items.append((g, lo, min(len(g.rows), lo + step), width))

    def one(item: tuple[Group, int, int, int]) -> Arrays:
        g, lo, hi, width = item
        rows, cols = g.rows[lo:hi], g.cols[:width]
        reduced = kernel.scores(g, lo, hi, width).astype(np.int32)
        reduced -= v[cols].astype(np.int32)[None, :]
        reduced -= u[rows].astype(np.int32)[:, None]
        i, j = np.nonzero(reduced > -near)
        if len(i) == 0:
            return cat([])
        r = reduced[i, j]
        order = np.lexsort((-r, i))
        i, j, r = i[order], j[order], r[order]
        keep = _first_per_row(i, extra)
        i, j, r = i[keep], j[keep], r[keep]
        return rows[i], cols[j], r + v[cols[j]] + u[rows[i]]

    found = cat(parallel(one, items))
    positive = int(np.count_nonzero(found[2] - v[found[1]] - u[found[0]] > 0))
    return found, positive, sum((hi - lo) * w for _, lo, hi, w in items)
