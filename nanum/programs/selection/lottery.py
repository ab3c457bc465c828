"""The selection algorithm: a pure, vectorised function with no database access.

Lottery with a reserved priority share (documented in docs/programs.md):

1. Applications are sorted by their id (a stable, public order). A generator
   ``numpy.random.Generator(numpy.random.PCG64(seed))`` draws one uniform number per
   application in that order: ``keys = rng.random(n)``. Smaller key = earlier in the draw.
2. Within each pool (one programme, or one session in the benchmark), applications are
   ranked by key; ties (practically impossible) are broken by id.
3. ``reserved = min(capacity, floor(capacity * share + 0.5))`` places are offered first to
   priority applicants in key order.
4. The remaining places (``capacity`` minus the priority places actually used) go to every
   other applicant, priority or not, in key order. Reserved places nobody priority needs
   are therefore never wasted.
5. Everyone else is on the waiting list, in key order (position 1, 2, ...).

The same seed and the same applications give the same outcome, whatever order the
caller passes them in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Outcome codes in the arrays returned.
PRIORITY_SEAT = 1
GENERAL_SEAT = 2
WAITLIST = 3


@dataclass(frozen=True)
class DrawResult:
    """Per application (in the caller's order): outcome, draw rank and waitlist place."""

    ids: npt.NDArray[np.int64]
    outcome: npt.NDArray[np.int8]
    draw_rank: npt.NDArray[np.int64]  # 1-based rank by key within the pool
    waitlist_position: npt.NDArray[np.int64]  # 1-based; 0 when selected
    reserved: npt.NDArray[np.int64]  # reserved places per pool

    def digest(self) -> str:
        """A SHA-256 of the outcome, sorted by id: equal digests = equal draws."""
        order = np.argsort(self.ids, kind="stable")
        h = hashlib.sha256()
        h.update(np.ascontiguousarray(self.ids[order]).tobytes())
        h.update(np.ascontiguousarray(self.outcome[order]).tobytes())
        h.update(np.ascontiguousarray(self.waitlist_position[order]).tobytes())
        return h.hexdigest()


def reserved_places(
    capacity: npt.ArrayLike, share: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    cap = np.asarray(capacity, dtype=np.int64)
    raw = np.floor(cap * np.asarray(share, dtype=np.float64) + 0.5).astype(np.int64)
    return np.minimum(np.maximum(raw, 0), cap)


def _rank_within(
    groups: npt.NDArray[np.int64],
    mask: npt.NDArray[np.bool_],
    starts: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """0-based rank of each True element of ``mask`` among True elements of its group.

    ``groups`` is sorted; ``starts`` is the index where each element's group begins.
    """
    csum = np.cumsum(mask, dtype=np.int64)
    before = np.where(starts > 0, csum[starts - 1], 0)
    return csum - before - 1


def lottery(
    *,
    ids: npt.ArrayLike,
    pools: npt.ArrayLike,
    priority: npt.ArrayLike,
    capacity: npt.ArrayLike,
    share: npt.ArrayLike,
    seed: int,
) -> DrawResult:
    """Draw places for every pool at once.

    ``ids``, ``pools`` (0..P-1) and ``priority`` have one entry per application;
    ``capacity`` and ``share`` (0..1) one entry per pool.
    """
    ids_a = np.asarray(ids, dtype=np.int64)
    pools_a = np.asarray(pools, dtype=np.int64)
    prio_a = np.asarray(priority, dtype=bool)
    cap = np.asarray(capacity, dtype=np.int64)
    n = ids_a.shape[0]
    if not (pools_a.shape[0] == n and prio_a.shape[0] == n):
        raise ValueError("ids, pools and priority must have the same length")
    if n and (pools_a.min() < 0 or pools_a.max() >= cap.shape[0]):
        raise ValueError("pool index out of range")
    if np.unique(ids_a).shape[0] != n:
        raise ValueError("application ids must be unique")
    reserved = reserved_places(cap, share)

    by_id = np.argsort(ids_a, kind="stable")
    keys = np.empty(n, dtype=np.float64)
    keys[by_id] = np.random.Generator(np.random.PCG64(seed)).random(n)

    order = np.lexsort((ids_a, keys, pools_a))  # pool, then key, then id
    p = pools_a[order]
    pr = prio_a[order]
    starts = np.searchsorted(p, p, side="left").astype(np.int64)
    rank = np.arange(n, dtype=np.int64) - starts

    prio_rank = _rank_within(p, pr, starts)
    got_priority = pr & (prio_rank < reserved[p])
    used = np.bincount(p[got_priority], minlength=cap.shape[0]).astype(np.int64)
    general_places = cap - used
    rest = ~got_priority
    rest_rank = _rank_within(p, rest, starts)
    got_general = rest & (rest_rank < general_places[p])
    waiting = rest & ~got_general

    out_sorted = np.full(n, WAITLIST, dtype=np.int8)
    out_sorted[got_priority] = PRIORITY_SEAT
    out_sorted[got_general] = GENERAL_SEAT
    wl_sorted = np.where(waiting, rest_rank - general_places[p] + 1, 0)

    outcome = np.empty(n, dtype=np.int8)
    outcome[order] = out_sorted
    draw_rank = np.empty(n, dtype=np.int64)
    draw_rank[order] = rank + 1
    waitlist_position = np.empty(n, dtype=np.int64)
    waitlist_position[order] = wl_sorted
    return DrawResult(ids_a, outcome, draw_rank, waitlist_position, reserved)
