"""DKT's ways of reading a question with several skills (``--dkt-input``), and the
Django command passing every option of the shared parser through."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from nanum.cli import main
from nanum.learner_model.kt.synthetic import synthetic_split
from nanum.learner_model.kt.train import DKT_INPUTS, TrainSettings


def _dkt(dkt_input: str) -> tuple[Any, Any]:
    torch = pytest.importorskip("torch")  # optional: torch (the nanum[ml] extra)
    # optional: torch (torch_models imports it)
    from nanum.learner_model.kt.torch_models import DKT, ModelConfig

    torch.manual_seed(0)
    cfg = ModelConfig(n_questions=5, n_skills=9, dim=8, hidden=8, dkt_input=dkt_input)
    return torch, DKT(cfg).eval()


def test_every_input_reads_single_skill_questions_the_same() -> None:
    torch, mean = _dkt("mean")
    sk = torch.randint(1, 9, (3, 11, 1))
    sk[2, 7:] = 0  # a shorter learner (padding)
    batch = {"skills": sk, "r": torch.randint(0, 2, (3, 11))}
    want = mean(batch)
    for name in ("sum", "expanded"):
        _, other = _dkt(name)  # same seed: same weights
        torch.testing.assert_close(other(batch), want)


def test_expanded_input_steps_once_per_skill_and_predicts_from_before() -> None:
    torch, model = _dkt("expanded")
    # questions: skill 1 (right), skills 3 and 4 (wrong), skill 2 (right)
    sk = torch.tensor([[[1, 0], [3, 4], [2, 0]]])
    got = model({"skills": sk, "r": torch.tensor([[1, 0, 1]])})[0]
    steps = torch.tensor([[2 * 1 + 1, 2 * 3 + 0, 2 * 4 + 0, 2 * 2 + 1]])
    h, _ = model.rnn(model.inter(steps))
    out = model.out(h)[0]
    first = model.out(torch.zeros(8))[1]  # nothing seen yet
    want = torch.stack([first, (out[0, 3] + out[0, 4]) / 2, out[2, 2]])
    torch.testing.assert_close(got, want)
    _, mean = _dkt("mean")
    assert not torch.allclose(
        mean({"skills": sk, "r": torch.tensor([[1, 0, 1]])})[0], got
    )


def test_dkt_input_and_dropout_reach_the_network() -> None:
    pytest.importorskip("torch")  # optional: torch (the nanum[ml] extra)
    # optional: torch (train_model imports it)
    from nanum.learner_model.kt.train import train_model

    split = synthetic_split(0, n_learners=40)
    settings = TrainSettings(
        epochs=1, dim=8, hidden=8, dkt_dim=8, dkt_input="sum", dkt_dropout=0.5
    )
    cfg = train_model("dkt", split, settings).model.cfg
    assert (cfg.dkt_input, cfg.dropout, cfg.hidden) == ("sum", 0.5, 8)
    ours = train_model("ours", split, settings).model.cfg
    assert ours.dropout == 0.2  # DKT's dropout is DKT's only
    with pytest.raises(ValueError, match="dkt_input"):
        _dkt("concat")
    assert DKT_INPUTS == ("mean", "sum", "expanded")


def test_the_django_command_passes_every_option(tmp_path: Path) -> None:
    out = StringIO()
    svg = tmp_path / "r.svg"
    call_command(
        "learner_model",
        "evaluate",
        "--dataset",
        "synthetic",
        "--tiny",
        "--folds",
        "0",
        "--models",
        "irt,skillmean",
        "--seed",
        "5",
        "--dkt-input",
        "expanded",
        "--reliability-svg",
        str(svg),
        stdout=out,
    )
    printed = " ".join(out.getvalue().split())  # the console wraps long lines
    assert "'seed': 5" in printed and "'dkt_input': 'expanded'" in printed
    assert svg.read_text().startswith("<svg")


def test_nanum_learner_model_evaluate_runs_to_the_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The issue's command, ``nanum learner-model evaluate``, through the console
    entry point (it ended in an AttributeError when the command dropped options)."""
    argv = ["nanum", "learner-model", "evaluate", "--dataset", "synthetic", "--tiny"]
    assert main([*argv, "--folds", "0", "--models", "skillmean"]) == 0
    printed = capsys.readouterr().out
    assert "synthetic: test scores" in printed and "wall time" in printed
