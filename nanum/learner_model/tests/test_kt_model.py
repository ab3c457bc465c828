"""Our model: artefact round trip, NumPy = torch, recovery of known abilities."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nanum.learner_model.kt.baselines import SkillMean, auc
from nanum.learner_model.kt.cli import (
    DKT_DIM,
    DKT_LR,
    DKT_PATIENCE,
    _settings,
    add_arguments,
)
from nanum.learner_model.kt.data import Sequence
from nanum.learner_model.kt.features import add_features
from nanum.learner_model.kt.inference import (
    MODEL_VERSION,
    LearnerModel,
    random_weights,
    save_artefact,
)
from nanum.learner_model.kt.synthetic import generate, synthetic_split
from nanum.learner_model.kt.train import (
    TrainSettings,
    export_artefact,
    predict_sequences,
    train_model,
)
from nanum.learner_model.kt.windows import context_start


def _history(seq: Sequence) -> list[tuple[str, list[str], int]]:
    return [
        (str(q), [str(s) for s in row if s], int(r))
        for q, row, r in zip(seq.questions, seq.skills, seq.responses, strict=True)
    ]


def test_artefact_round_trip_keeps_predictions_and_metadata(tmp_path: Path) -> None:
    weights = random_weights(n_questions=30, n_skills=6, dim=8, hidden=12, seed=1)
    weights["rnn.bias_hh_l0"][12:24] = 6.0  # update gates near 1: a long memory
    meta = {
        "dataset": "synthetic",
        "data_sha256": "ab" * 32,
        "settings": {"dim": 8, "hidden": 12},
        "metrics": {"test_auc": 0.8},
    }
    path = save_artefact(tmp_path / "m", weights, meta)
    assert path.suffix == ".npz" and path.with_suffix(".json").exists()
    direct = LearnerModel(
        weights,
        meta,
        np.array([str(i) for i in range(30)]),
        np.array([str(i) for i in range(6)]),
    )
    loaded = LearnerModel.load(path)
    seq = generate(
        n_learners=1, n_skills=5, n_items=29, min_len=250, max_len=250, seed=4
    ).sequences[0]
    hist = _history(seq)
    for item, skills in (("3", ["2"]), ("17", ["1", "4"]), ("unknown", ["5"])):
        assert loaded.predict(hist, item, skills) == direct.predict(hist, item, skills)
    assert loaded.mastery(hist) == direct.mastery(hist)
    for m in (loaded.meta, json.loads(path.with_suffix(".json").read_text())):
        assert m["model_version"] == MODEL_VERSION
        assert m["data_sha256"] == "ab" * 32
        assert m["settings"] == {"dim": 8, "hidden": 12}
        assert m["created"].startswith("20")
    # only the last 199 interactions count, and how many there were in all (the
    # GRU's context starts at context_start(250) = 150; the features count 199)
    tail = loaded.encode(hist[-199:], answers=len(hist))
    assert loaded.predict(hist, "3", ["2"]) == loaded.predict_state(tail, "3", ["2"])
    assert loaded.predict(hist, "3", ["2"]) != loaded.predict(hist[-150:], "3", ["2"])


def test_mastery_is_the_prediction_for_an_unknown_item_of_each_skill() -> None:
    weights = random_weights(n_questions=10, n_skills=5, dim=8, hidden=8, seed=2)
    model = LearnerModel(
        weights,
        {},
        np.array([str(i) for i in range(10)]),
        np.array([str(i) for i in range(5)]),
    )
    hist = [("1", ["1"], 1), ("2", ["2", "3"], 0), ("3", ["3"], 1), ("4", ["3"], 1)]
    mastery = model.mastery(hist)
    assert set(mastery) == {"1", "2", "3", "4"}
    for skill, p in mastery.items():
        assert (
            abs(p - model.predict(hist, "no-such-item", [skill])) < 1e-6
        )  # features are float32
    assert model.predict([], "1", ["1"]) > 0  # empty history works


def test_inference_module_does_not_import_torch() -> None:
    code = (
        "import sys; import nanum.learner_model.kt.inference, "
        "nanum.learner_model.kt.evaluate; assert 'torch' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_numpy_inference_equals_torch_forward() -> None:
    torch = pytest.importorskip("torch")
    # optional: torch (torch_models imports it)
    from nanum.learner_model.kt.torch_models import (
        ModelConfig,
        RaschGRU,
        collate,
        export_weights,
    )

    torch.manual_seed(0)
    model = RaschGRU(ModelConfig(n_questions=41, n_skills=6, dim=8, hidden=10))
    with torch.no_grad():  # make every part of the head matter
        for p in model.parameters():
            p.add_(0.2 * torch.randn_like(p))
    model.eval()
    seq = generate(
        n_learners=1, n_skills=5, n_items=40, min_len=420, max_len=420, seed=7
    ).sequences[0]
    seq.skills = np.pad(seq.skills, ((0, 0), (0, 1)))
    seq.skills[::7, 1] = 1 + (seq.skills[::7, 0] % 5)  # some two-skill items
    add_features([seq])
    lm = LearnerModel(
        export_weights(model),
        {},
        np.array([str(i) for i in range(41)]),
        np.array([str(i) for i in range(6)]),
    )
    hist = _history(seq)
    # the GRU's context as served: from context_start (here 0, 0, 0, 0, 100, 300);
    # the features, computed on the whole sequence, count up to 199 previous answers
    for end in (1, 5, 120, 200, 230, 420):
        window = seq.slice(context_start(end - 1), end)
        with torch.no_grad():
            logit = model(collate([(window, 0)], torch.device("cpu")))[0, -1]
        want = float(torch.sigmoid(logit))
        q, sk, _ = hist[end - 1]
        got = lm.predict(hist[: end - 1], q, sk)
        assert abs(got - want) < 1e-5


def test_model_recovers_known_skill_levels_better_than_skill_mean(
    tmp_path: Path,
) -> None:
    pytest.importorskip("torch")

    split = synthetic_split(0, n_learners=400)
    settings = TrainSettings(epochs=6, dim=16, hidden=16, lr=5e-3, patience=2)
    res = train_model("ours", split, settings)
    y, p = predict_sequences(res.model, split.test)
    sm = SkillMean(split.n_skills)
    sm.fit(split.train)
    ys, ps = sm.predict(split.test)
    assert len(y) == len(ys) and y.sum() == ys.sum()  # the same scored positions
    assert auc(y, p) > auc(ys, ps) + 0.08
    path = export_artefact(res, split, settings, tmp_path / "syn", {"test_auc": 0.0})
    lm = LearnerModel.load(path)
    assert lm.meta["data_sha256"] == split.data_hash
    assert lm.meta["settings"]["dim"] == 16
    truth = generate(n_learners=400, seed=0)  # same generator as synthetic_split
    est, true = [], []
    for seq in split.test:
        u = int(seq.uid[3:])
        mastery = lm.mastery(_history(seq))
        for s in range(1, split.n_skills):
            if (seq.skills == s).any():  # skills this learner practised
                est.append(mastery[str(s)])
                true.append(truth.ability_end[u, s])
    corr = np.corrcoef(est, true)[0, 1]
    assert corr > 0.5, corr


def test_dkt_trains_with_its_own_validated_settings() -> None:
    base = TrainSettings(dim=64, hidden=64, lr=2e-3, patience=2)
    assert base.for_model("dkt") == base  # none set: as ours
    both = TrainSettings(dim=64, hidden=64, dkt_dim=200, dkt_lr=1e-3, dkt_patience=3)
    dkt = both.for_model("dkt")
    assert (dkt.dim, dkt.hidden, dkt.lr, dkt.patience) == (200, 200, 1e-3, 3)
    assert both.for_model("ours") is both
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    cli = _settings(parser.parse_args(["evaluate", "--dataset", "assist2015"]))
    assert (cli.dkt_dim, cli.dkt_lr, cli.dkt_patience) == (
        DKT_DIM,
        DKT_LR,
        DKT_PATIENCE,
    )
    assert (cli.dim, cli.lr) == (64, 2e-3)  # ours keeps its own
    argv = "evaluate --dataset assist2015 --dim 32 --lr 0.004 --dkt-dim 48"
    given = _settings(parser.parse_args(argv.split()))
    assert (given.for_model("ours").dim, given.for_model("ours").lr) == (32, 0.004)
    assert (given.for_model("dkt").dim, given.for_model("dkt").lr) == (48, DKT_LR)
