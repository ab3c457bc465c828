"""The pure lottery: reproducible, fair to the reserved share, order-independent."""

from __future__ import annotations

import numpy as np
import pytest

from nanum.programs import selection


def _draw(seed: int = 7, n: int = 1000, pools: int = 20, share: float = 0.3):
    rng = np.random.default_rng(1)
    ids = np.arange(1, n + 1) * 3
    pool = rng.integers(0, pools, n)
    prio = rng.random(n) < 0.2
    cap = np.full(pools, 10)
    return (
        ids,
        pool,
        prio,
        cap,
        selection.lottery(
            ids=ids,
            pools=pool,
            priority=prio,
            capacity=cap,
            share=np.full(pools, share),
            seed=seed,
        ),
    )


def test_same_seed_same_outcome_and_different_seed_differs():
    *_, a = _draw(seed=7)
    *_, b = _draw(seed=7)
    *_, c = _draw(seed=8)
    assert a.digest() == b.digest()
    assert a.digest() != c.digest()


def test_outcome_does_not_depend_on_input_order():
    ids, pool, prio, cap, a = _draw()
    perm = np.random.default_rng(3).permutation(len(ids))
    b = selection.lottery(
        ids=ids[perm],
        pools=pool[perm],
        priority=prio[perm],
        capacity=cap,
        share=np.full(len(cap), 0.3),
        seed=7,
    )
    assert a.digest() == b.digest()


def test_capacity_is_filled_and_priority_share_is_reserved():
    _ids, pool, prio, cap, r = _draw()
    selected = r.outcome != selection.WAITLIST
    for p in range(len(cap)):
        in_pool = pool == p
        assert selected[in_pool].sum() == min(cap[p], in_pool.sum())
        n_prio = (prio & in_pool).sum()
        got = (selected & prio & in_pool).sum()
        assert got >= min(
            n_prio, r.reserved[p]
        )  # reserved places went to priority first
    assert (r.outcome[~prio] != selection.PRIORITY_SEAT).all()


def test_unused_reserved_places_go_to_everyone_else():
    r = selection.lottery(
        ids=[1, 2, 3, 4, 5],
        pools=[0] * 5,
        priority=[False] * 5,
        capacity=[3],
        share=[0.5],
        seed=1,
    )
    assert (r.outcome != selection.WAITLIST).sum() == 3
    assert sorted(r.waitlist_position[r.outcome == selection.WAITLIST]) == [1, 2]


def test_waiting_list_positions_are_consecutive_in_draw_order():
    _ids, pool, _prio, cap, r = _draw()
    for p in range(len(cap)):
        wl = (pool == p) & (r.outcome == selection.WAITLIST)
        assert sorted(r.waitlist_position[wl]) == list(range(1, wl.sum() + 1))
        ranks = r.draw_rank[wl][np.argsort(r.waitlist_position[wl])]
        assert (np.diff(ranks) > 0).all()


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        selection.lottery(
            ids=[1, 1], pools=[0, 0], priority=[0, 0], capacity=[1], share=[0], seed=1
        )
    with pytest.raises(ValueError):
        selection.lottery(
            ids=[1], pools=[2], priority=[0], capacity=[1], share=[0], seed=1
        )


def test_empty_draw():
    r = selection.lottery(
        ids=[], pools=[], priority=[], capacity=[5], share=[0.3], seed=1
    )
    assert r.outcome.shape == (0,)
