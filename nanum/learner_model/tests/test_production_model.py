"""The model that serves students: the logistic export is the fitted model exactly, the
cached per-learner state equals a fresh encoding after every answer, calibration."""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence
from pathlib import Path

import numpy as np
import pytest

from nanum.learner_model.engine.estimators import (
    AnswerWindow,
    ArtefactEstimator,
    StateCache,
)
from nanum.learner_model.kt.baselines import auc
from nanum.learner_model.kt.data import Split
from nanum.learner_model.kt.inference import LearnerModel, random_weights, save_artefact
from nanum.learner_model.kt.production import (
    as_interactions,
    calibration,
    fit_pfa,
    pfa_weights,
    validate,
)
from nanum.learner_model.kt.synthetic import generate
from nanum.learner_model.kt.windows import context_start


@pytest.fixture(scope="module")
def synthetic() -> tuple[Split, list[str], list[str]]:
    seqs = generate(
        n_learners=80, n_skills=6, n_items=40, min_len=10, max_len=50, seed=3
    ).sequences
    nq = int(max(s.questions.max() for s in seqs)) + 1
    ns = int(max(s.skills.max() for s in seqs)) + 1
    split = Split("syn", 0, seqs[:60], seqs[60:], [], nq, ns, "x")
    return split, [f"i{i}" for i in range(nq)], [f"s{i}" for i in range(ns)]


def _load(tmp_path: Path, name: str, weights, items, skills) -> LearnerModel:
    path = save_artefact(
        tmp_path / name, weights, {}, item_keys=items, skill_keys=skills
    )
    return LearnerModel.load(path)


def test_the_logistic_artefact_predicts_what_the_fitted_model_predicts(
    synthetic, tmp_path
):
    split, items, skills = synthetic
    fitted = fit_pfa(split)
    y, p = fitted.predict(split.valid)
    model = _load(tmp_path, "pfa", pfa_weights(fitted), items, skills)
    assert model.kind == "logistic"
    held_out = [as_interactions(s, items, skills) for s in split.valid]
    check = validate(model, held_out)
    assert check.positions == len(y)
    assert check.auc == pytest.approx(auc(y, p), abs=1e-6)
    assert check.auc > 0.6  # the synthetic learners are learnable


@pytest.mark.parametrize("kind", ["logistic", "neural"])
def test_the_cached_state_after_each_answer_equals_a_fresh_encoding(
    synthetic, tmp_path, kind
):
    split, items, skills = synthetic
    if kind == "logistic":
        weights = pfa_weights(fit_pfa(split))
    else:
        weights = random_weights(len(items), len(skills), dim=8, hidden=8)
        weights["rnn.bias_hh_l0"][8:16] = 6.0  # a long memory (see below)
    model = _load(tmp_path, kind, weights, items, skills)
    assert model.kind == kind
    cache = StateCache(size=4)
    rng = random.Random(1)
    history: list[tuple[Hashable, Sequence[str], bool]] = []
    pages = 0
    for n in range(430):  # past the 199-answer window and two context restarts
        history.append(
            (rng.choice(items[1:]), [rng.choice(skills[1:])], rng.random() < 0.6)
        )
        if n % 3 and n != 429:
            continue  # answers also arrive several at a time between two pages
        window = AnswerWindow(history[-199:], total=len(history))
        pages += 1
        cached = ArtefactEstimator(model, kind, cache, key="learner-1")
        fresh = ArtefactEstimator(model, kind)
        for item in items[1:4]:
            assert cached.p_correct(window, item, [skills[1]]) == pytest.approx(
                fresh.p_correct(window, item, [skills[1]]), abs=1e-9
            )
        ours, theirs = cached.estimate(window).mastery, fresh.estimate(window).mastery
        assert ours.keys() == theirs.keys()
        assert np.allclose([ours[k] for k in ours], [theirs[k] for k in ours])
    assert cache.extended == pages - 1  # every later page extended the cached state
    assert cache.encoded == 1  # only the first page encoded from scratch


def test_the_recurrent_state_is_stepped_over_the_served_context(tmp_path):
    """Answer by answer or several at a time, the GRU state equals the GRU run over
    the answers from ``context_start``; the window of features keeps 199 answers."""
    items, skills = [f"i{i}" for i in range(30)], [f"s{i}" for i in range(6)]
    weights = random_weights(30, 6, dim=8, hidden=8)
    # a long memory (update gates near 1), so that a state over the wrong answers
    # differs measurably from the right one even hundreds of answers later
    weights["rnn.bias_hh_l0"][8:16] = 6.0
    model = _load(tmp_path, "gru", weights, items, skills)
    rng = random.Random(5)
    rows = [
        (rng.choice(items[1:]), [rng.choice(skills[1:])], int(rng.random() < 0.6))
        for _ in range(520)
    ]
    state = model.encode(rows[:1])
    n = 1
    while n < len(rows):
        step = rng.choice([1, 1, 1, 2, 5, 37])
        state = model.extend(state, rows[n : n + step])
        n = min(n + step, len(rows))
        start = context_start(n)
        assert n - start <= 199 and (n < 200 or n - start >= 100)
        q, sk, r = model.encode_rows(rows[start:n])
        assert np.allclose(state.h, model.state(q, sk, r), atol=1e-12)
        assert state.answers == n and len(state.responses) == min(n, 199)
        fresh = model.encode(rows[max(0, n - 199) : n], answers=n)
        assert np.allclose(state.h, fresh.h, atol=1e-12)
        assert np.array_equal(state.responses, fresh.responses)
    # a state encoded afresh mid-way (a cache miss) extends the same way
    for n0 in (150, 250, 299, 300, 333):
        state = model.encode(rows[max(0, n0 - 199) : n0], answers=n0)
        for n in range(n0 + 1, n0 + 121):
            state = model.extend(state, [rows[n - 1]])
        q, sk, r = model.encode_rows(rows[context_start(n) : n])
        assert np.allclose(state.h, model.state(q, sk, r), atol=1e-12)
    # before the first restart the context is simply every answer so far
    early = model.encode(rows[:150])
    q, sk, r = model.encode_rows(rows[:150])
    assert np.allclose(early.h, model.state(q, sk, r))


def test_a_history_that_is_not_the_learners_last_answers_is_refused(tmp_path):
    items, skills = ["i0", "i1"], ["s0", "s1"]
    model = _load(tmp_path, "gru", random_weights(2, 2, dim=4, hidden=4), items, skills)
    rows = [("i1", ["s1"], 1)] * 50
    with pytest.raises(ValueError):
        model.encode(rows, answers=300)  # 300 answers in all, but only 50 given
    with pytest.raises(ValueError):
        model.encode(rows, answers=10)  # fewer in all than given
    with pytest.raises(ValueError):
        AnswerWindow(rows, total=10)


def test_calibration_error_is_zero_when_predictions_match_the_rates():
    y = np.array([0, 1, 1, 1, 0, 0, 0, 0, 1, 1])
    p = np.array([0.75, 0.75, 0.75, 0.75, 0.2, 0.2, 0.2, 0.2, 0.2, 0.9])
    ece, table = calibration(y, p)
    # bins: 0.2 (5 answers, 1 right = 0.2), 0.75 (4, 3 right), 0.9 (1, 1 right)
    assert ece == pytest.approx(0.1 * 0.1)
    assert [n for _p, _o, n in table] == [5, 4, 1]
    ece, _table = calibration(np.array([1, 0]), np.array([0.9, 0.1]))
    assert ece == pytest.approx(0.1)
