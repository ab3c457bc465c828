"""The model that serves students: the logistic export is the fitted model exactly, the
cached per-learner state equals a fresh encoding after every answer, calibration."""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence
from pathlib import Path

import numpy as np
import pytest

from nanum.learner_model.engine.estimators import ArtefactEstimator, StateCache
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
    model = _load(tmp_path, kind, weights, items, skills)
    assert model.kind == kind
    cache = StateCache(size=4)
    rng = random.Random(1)
    history: list[tuple[Hashable, Sequence[str], bool]] = []
    for n in range(230):  # past the 199-answer window, so it slides
        history.append(
            (rng.choice(items[1:]), [rng.choice(skills[1:])], rng.random() < 0.6)
        )
        if n % 3 and n != 229:
            continue  # answers also arrive several at a time between two pages
        window = history[-199:]
        cached = ArtefactEstimator(model, kind, cache, key="learner-1")
        fresh = ArtefactEstimator(model, kind)
        for item in items[1:4]:
            assert cached.p_correct(window, item, [skills[1]]) == pytest.approx(
                fresh.p_correct(window, item, [skills[1]]), abs=1e-9
            )
        ours, theirs = cached.estimate(window).mastery, fresh.estimate(window).mastery
        assert ours.keys() == theirs.keys()
        assert np.allclose([ours[k] for k in ours], [theirs[k] for k in ours])
    assert cache.extended > 60  # most pages extended the cached state
    assert cache.encoded == 1  # only the first page encoded from scratch


def test_calibration_error_is_zero_when_predictions_match_the_rates():
    y = np.array([0, 1, 1, 1, 0, 0, 0, 0, 1, 1])
    p = np.array([0.75, 0.75, 0.75, 0.75, 0.2, 0.2, 0.2, 0.2, 0.2, 0.9])
    ece, table = calibration(y, p)
    # bins: 0.2 (5 answers, 1 right = 0.2), 0.75 (4, 3 right), 0.9 (1, 1 right)
    assert ece == pytest.approx(0.1 * 0.1)
    assert [n for _p, _o, n in table] == [5, 4, 1]
    ece, _table = calibration(np.array([1, 0]), np.array([0.9, 0.1]))
    assert ece == pytest.approx(0.1)
