"""The stacked ensemble: weights fitted on validation, members trained once."""

from __future__ import annotations

import numpy as np
import pytest

from nanum.learner_model.kt.baselines import auc
from nanum.learner_model.kt.ensemble import features, fit_stack, logit
from nanum.learner_model.kt.evaluate import run_fold
from nanum.learner_model.kt.synthetic import synthetic_split
from nanum.learner_model.kt.train import TrainSettings


def _members(rng: np.random.Generator, n: int) -> tuple[np.ndarray, dict]:
    truth = rng.normal(0, 1.5, n)
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-truth))).astype(np.int64)

    def noisy(sd: float) -> np.ndarray:
        return 1 / (1 + np.exp(-(truth + rng.normal(0, sd, n))))

    return y, {"ours0": noisy(1.0), "ours1": noisy(1.0), "dkt": noisy(2.0)}


def test_stack_weights_the_better_member_and_beats_each_alone() -> None:
    rng = np.random.default_rng(7)
    y_valid, valid = _members(rng, 40_000)
    stack = fit_stack(y_valid, valid)
    # columns: mean logit of ours0/ours1 (less noise), then dkt (more noise)
    assert stack.weights[0] > stack.weights[1] > 0
    y_test, test = _members(rng, 40_000)  # fresh draws: no fitting on them
    p = stack.predict(test)
    assert auc(y_test, p) > max(auc(y_test, v) for v in test.values()) + 0.005
    # the intercept and weights recalibrate: mean prediction close to the base rate
    assert abs(p.mean() - y_test.mean()) < 0.01


def test_features_average_our_seeds_and_refuse_bad_input() -> None:
    a, b, d = np.array([0.2, 0.6]), np.array([0.4, 0.8]), np.array([0.5, 0.5])
    x = features({"ours0": a, "ours1": b, "dkt": d})
    np.testing.assert_allclose(x[:, 0], (logit(a) + logit(b)) / 2)
    np.testing.assert_allclose(x[:, 1], 0.0, atol=1e-12)
    with pytest.raises(ValueError, match="different positions"):
        features({"ours0": a, "dkt": np.array([0.5])})
    with pytest.raises(ValueError, match="at least one member"):
        features({})
    with pytest.raises(ValueError, match="all equal"):
        fit_stack(np.array([1, 1]), {"ours0": a})


def test_the_harness_trains_each_member_once_and_reports_the_stack() -> None:
    pytest.importorskip("torch")
    split = synthetic_split(0, n_learners=300)
    settings = TrainSettings(
        epochs=3, dim=16, hidden=16, dkt_dim=16, lr=5e-3, ensemble_seeds=2
    )
    rows = {r.model: r for r in run_fold(split, ["ensemble", "ours", "dkt"], settings)}
    ens = rows["ensemble"]
    assert ens.info["members"] == ["ours0", "ours1", "dkt"]
    # "ours" and "dkt" are the ensemble's seed-0 members, not trained again
    assert ens.info["member_valid_auc"]["ours0"] == rows["ours"].info["valid_auc"]
    assert ens.info["member_valid_auc"]["dkt"] == rows["dkt"].info["valid_auc"]
    assert ens.train_seconds >= rows["dkt"].train_seconds
    assert ens.n_scored == rows["ours"].n_scored
    assert len(ens.info["stack"]["weights"]) == 2
    assert 0.5 < ens.auc <= 1.0 and 0.0 <= ens.ece < 0.2
