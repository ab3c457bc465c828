"""The batch matcher: optimal (checked against an exact LP), hard rules, reasons."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from nanum.mentoring.matching import (
    Mentors,
    Students,
    candidates,
    greedy,
    hours_to_mask,
    solve,
    synthetic,
)
from nanum.mentoring.matching.exact import lp_optimum
from nanum.mentoring.matching.flow import flow, potentials, prices_from, repair
from nanum.mentoring.matching.kernel import Kernel
from nanum.mentoring.matching.score import block_scores, prepare

# the module, not the function of the same name that the package re-exports
solver_module = importlib.import_module("nanum.mentoring.matching.solve")


@pytest.mark.parametrize(
    ("n", "m", "k", "seed"), [(300, 80, 32, 1), (600, 150, 4, 2), (400, 60, 2, 3)]
)
def test_objective_equals_the_exact_lp_optimum(
    n: int, m: int, k: int, seed: int
) -> None:
    st = synthetic.students(n, seed=seed, towns=2)
    mt = synthetic.mentors(m, seed=seed + 10, towns=2)
    result = solve(st, mt, k=k, max_rounds=20)
    exact = lp_optimum(st, mt)
    assert result.objective == pytest.approx(exact)
    assert result.certified
    assert result.upper_bound == pytest.approx(exact)
    assert greedy(st, mt, k=k) <= result.objective


def test_every_pair_keeps_the_hard_rules_and_capacity() -> None:
    st = synthetic.students(500, seed=5, towns=2)
    mt = synthetic.mentors(100, seed=6, towns=2, capacity=3)
    result = solve(st, mt)
    load = np.bincount([p.mentor for p in result.pairs], minlength=len(mt))
    assert (load <= 3).all()
    students = [p.student for p in result.pairs]
    assert len(students) == len(set(students))
    for pair in result.pairs:
        assert st.town[pair.student] == mt.town[pair.mentor]
        one = prepare(
            Students(
                **{f: getattr(st, f)[[pair.student]] for f in st.__dataclass_fields__}
            ),
            Mentors(
                **{f: getattr(mt, f)[[pair.mentor]] for f in mt.__dataclass_fields__}
            ),
        )
        assert block_scores(one, np.arange(1))[0, 0] == pair.score > 0
        assert pair.subjects & int(st.subjects[pair.student])
        hours = {pair.start_hour}
        assert (hours_to_mask(hours) & st.avail[pair.student]).any()
        assert (hours_to_mask(hours) & mt.avail[pair.mentor]).any()
    assert len(result.pairs) + len(result.unmatched) == len(st)


def _one_student(
    subjects: int,
    hours: list[int],
    mode: int = 1,
    district: int = -1,
    gender_pref: int = 0,
) -> dict:
    return dict(
        subjects=subjects,
        primary=0,
        level=1,
        avail=hours_to_mask(hours),
        mode=mode,
        district=district,
        gender_pref=gender_pref,
    )


def _build(students: list[dict], mentors: list[dict]) -> tuple[Students, Mentors]:
    st = Students(
        town=np.zeros(len(students), np.int32),
        subjects=np.array([s["subjects"] for s in students], np.uint32),
        primary=np.array([s["primary"] for s in students], np.int8),
        level=np.array([s["level"] for s in students], np.int8),
        avail=np.array([s["avail"] for s in students], np.uint64),
        mode=np.array([s["mode"] for s in students], np.int8),
        district=np.array([s["district"] for s in students], np.int16),
        gender_pref=np.array([s["gender_pref"] for s in students], np.int8),
    )
    mt = Mentors(
        town=np.zeros(len(mentors), np.int32),
        subjects=np.array([m["subjects"] for m in mentors], np.uint32),
        levels=np.array([m.get("levels", 0b111) for m in mentors], np.uint8),
        avail=np.array([hours_to_mask(m["hours"]) for m in mentors], np.uint64),
        mode=np.array([m.get("mode", 3) for m in mentors], np.int8),
        districts=np.array([m.get("districts", 0) for m in mentors], np.uint64),
        home_district=np.zeros(len(mentors), np.int16),
        capacity=np.array([m.get("capacity", 1) for m in mentors], np.int32),
        gender=np.array([m.get("gender", 1) for m in mentors], np.int8),
    )
    return st, mt


def test_unmatched_students_get_the_rule_that_stopped_them() -> None:
    evening = [24 * 2 + 19]  # Wednesday 19:00
    st, mt = _build(
        [
            _one_student(0b100000, evening),  # coding: nobody teaches it
            _one_student(
                0b1, [24 * 5 + 10]
            ),  # Korean, Saturday morning: no mentor free
            _one_student(0b1, evening, mode=2, district=7),  # in person, district 7
            _one_student(0b1, evening, gender_pref=2),  # wants a male mentor
            _one_student(0b1, evening),  # gets the mentor
            _one_student(0b1, evening),  # ... so this one finds them full
        ],
        [{"subjects": 0b1, "hours": evening, "districts": 1 << 3, "capacity": 1}],
    )
    result = solve(st, mt)
    assert [p.student for p in result.pairs] in ([4], [5])
    assert result.unmatched[0] == "no_subject"
    assert result.unmatched[1] == "no_time"
    assert result.unmatched[2] == "no_mode"
    assert result.unmatched[3] == "no_preference"
    assert (
        result.unmatched[9 - (next(p.student for p in result.pairs))] == "mentors_full"
    )


def test_the_optimum_beats_greedy_when_greedy_blocks_a_student() -> None:
    # Greedy gives the only maths-and-English mentor to the student who could also
    # have had the English-only mentor; the optimum matches both students.
    eve = [24 * 1 + 18, 24 * 1 + 19]
    st, mt = _build(
        [_one_student(0b110, eve), _one_student(0b100, eve)],
        [{"subjects": 0b110, "hours": eve}, {"subjects": 0b010, "hours": eve}],
    )
    result = solve(st, mt)
    assert len(result.pairs) == 2
    assert result.objective > greedy(st, mt)


def test_the_fast_kernel_scores_every_cell_like_block_scores() -> None:
    st = synthetic.students(700, seed=8)
    st.university_pref[:50] = st.university_pref[:50] % 20  # some ask for one
    mt = synthetic.mentors(300, seed=9)
    p = prepare(st, mt)
    full = block_scores(p, np.arange(len(st)))
    kernel = Kernel(p)
    seen = np.zeros_like(full, dtype=bool)
    for g in kernel.groups():
        got = kernel.scores(g, 0, len(g.rows), len(g.cols))
        want = full[np.ix_(g.rows, g.cols)]
        assert np.array_equal(np.where(got > 0, got, 0), want)
        seen[np.ix_(g.rows, g.cols)] = True
    assert not full[~seen].any()  # every other pair is infeasible


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_warm_started_re_solve_equals_a_fresh_flow(seed: int) -> None:
    """``repair`` (used when a round adds few pairs) reaches the same optimum as a
    min-cost flow solved from scratch on all pairs, with valid potentials."""
    st = synthetic.students(500, seed=seed)
    mt = synthetic.mentors(130, seed=seed + 100, capacity=3)
    kernel = Kernel(prepare(st, mt))
    cap = mt.capacity.astype(np.int64)
    (es, em, ew), _ = candidates(kernel, 12)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(es))
    es, em, ew = es[order], em[order], ew[order]
    start = len(es) * 2 // 3  # the first two thirds, then the rest arrives
    chosen, _ = flow(len(st), cap, es[:start], em[:start], ew[:start])
    pi = potentials(len(st), cap, es[:start], em[:start], ew[:start], chosen)
    ext = np.concatenate([chosen, np.zeros(len(es) - start, dtype=bool)])
    fixed = repair(len(st), cap, es, em, ew, ext, pi, start)
    assert fixed is not None
    warm, pi = fixed
    _, fresh = flow(len(st), cap, es, em, ew)
    assert int(ew[warm].sum()) == fresh > int(ew[:start][chosen].sum())
    assert np.bincount(em[warm], minlength=len(cap)).max() <= cap.max()
    assert np.bincount(es[warm], minlength=len(st)).max() == 1
    # the potentials price every pair: no pair gains over its student and mentor
    v = prices_from(len(st), len(cap), pi)
    u = np.zeros(len(st), dtype=np.int64)
    np.maximum.at(u, es, ew - v[em])
    assert u.sum() + (v * cap).sum() == fresh


def test_rounds_after_the_first_re_solve_warm_and_stay_exact() -> None:
    st = synthetic.students(500, seed=4)
    mt = synthetic.mentors(130, seed=104, capacity=4)
    result = solve(st, mt, k=4)
    assert result.timings.get("repairs", 0) >= 1 and result.certified
    assert result.objective == pytest.approx(lp_optimum(st, mt))


def _pruned_instance() -> tuple[Students, Mentors]:
    """An instance on which each student's 2 best mentors (plus the mentor-side
    lists) do not hold the optimum: the certificate must find the missing pairs."""
    return (
        synthetic.students(500, seed=4),
        synthetic.mentors(130, seed=104, capacity=4),
    )


def test_pruning_to_the_best_k_alone_is_wrong_and_the_certificate_fixes_it() -> None:
    st, mt = _pruned_instance()
    exact = lp_optimum(st, mt)
    kernel = Kernel(prepare(st, mt))
    (es, em, ew), tau = candidates(kernel, 2, solver_module.MENTOR_SIDE)
    _, pruned = flow(len(st), mt.capacity.astype(np.int64), es, em, ew)
    assert pruned < exact  # the optimum over the kept pairs is not the optimum
    assert (tau > 0).any()  # ... and some students had pairs left out
    result = solve(st, mt, k=2)
    assert result.rounds >= 2  # the dual check found violating pairs and re-solved
    assert result.certified
    assert result.objective == pytest.approx(exact)
    assert result.upper_bound == pytest.approx(exact)


def test_a_match_that_runs_out_of_rounds_is_not_called_optimal() -> None:
    st, mt = _pruned_instance()
    exact = lp_optimum(st, mt)
    result = solve(st, mt, k=2, max_rounds=1)
    assert not result.certified
    assert result.upper_bound == float("inf")
    assert result.objective < exact


def test_a_failed_warm_start_falls_back_to_a_fresh_flow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    st, mt = _pruned_instance()
    calls: list[int] = []

    def refuse(*args: object, **kwargs: object) -> None:
        calls.append(1)
        return None  # as when the repaired flow fails a consistency check

    monkeypatch.setattr(solver_module, "repair", refuse)
    result = solve(st, mt, k=4)
    assert calls  # a warm start was tried ...
    assert result.timings.get("repairs", 0) == 0  # ... refused, and a flow solved
    assert result.certified
    assert result.objective == pytest.approx(lp_optimum(st, mt))
