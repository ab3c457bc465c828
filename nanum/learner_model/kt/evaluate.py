"""Evaluation harness: every model on the same pyKT-protocol splits."""

from __future__ import annotations

import json
import math
import random
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from rich.table import Table

from .baselines import LogisticPFA, SkillMean, accuracy, auc
from .data import Split, dataset_slug, load_split
from .ensemble import Stack, fit_stack
from .features import add_features
from .production import calibration
from .report import pooled, reliability_svg
from .train import (
    TrainResult,
    TrainSettings,
    export_artefact,
    predict_sequences,
    predict_served,
    train_model,
)

MODEL_NAMES = ("ensemble", "ours", "dkt", "irt", "skillmean")
PUBLISHED_BEST = {"assist2015": 0.7502, "assist2009": 0.7878, "statics2011": 0.8309}


@dataclass
class FoldResult:
    dataset: str
    fold: int
    model: str
    auc: float
    accuracy: float
    n_scored: int
    train_seconds: float
    ece: float = math.nan  # expected calibration error on the test positions
    info: dict[str, Any] = field(default_factory=dict)


def tiny_split(split: Split, n_train: int = 150, n_eval: int = 60) -> Split:
    """A small random subset of the learners (for quick checks and CI)."""
    rng = random.Random(split.fold)

    def pick(seqs: list, n: int) -> list:
        return rng.sample(seqs, min(n, len(seqs)))

    return replace(
        split,
        train=pick(split.train, n_train),
        valid=pick(split.valid, n_eval),
        test=pick(split.test, n_eval),
        notes=[*split.notes, "tiny subset"],
    )


class Trained:
    """The fold's sequence models, each trained once (per kind and seed) and scored
    once per part, shared by the "ours", "dkt" and "ensemble" rows."""

    def __init__(
        self, split: Split, settings: TrainSettings, irt: LogisticPFA | None
    ) -> None:
        self.split, self.settings, self.irt = split, settings, irt
        self.models: dict[tuple[str, int], tuple[TrainResult, float]] = {}
        self.scores: dict[tuple[str, int, str], tuple[np.ndarray, np.ndarray]] = {}

    def model(self, kind: str, seed: int) -> tuple[TrainResult, float]:
        """The trained model and its training seconds."""
        if (kind, seed) not in self.models:
            start = time.perf_counter()
            res = train_model(
                kind,
                self.split,
                replace(self.settings, seed=seed),
                self.irt if kind == "ours" else None,
            )
            self.models[kind, seed] = (res, time.perf_counter() - start)
        return self.models[kind, seed]

    def predict(self, kind: str, seed: int, part: str) -> tuple[np.ndarray, np.ndarray]:
        """Labels and probabilities on the "valid" or "test" learners."""
        if (kind, seed, part) not in self.scores:
            res, _ = self.model(kind, seed)
            seqs = self.split.valid if part == "valid" else self.split.test
            self.scores[kind, seed, part] = predict_sequences(res.model, seqs)
        return self.scores[kind, seed, part]


def ensemble_members(settings: TrainSettings) -> list[tuple[str, int, str]]:
    """(kind, seed, name) of each member: our model from ``ensemble_seeds`` seeds
    and DKT."""
    ours = [("ours", settings.seed + i) for i in range(settings.ensemble_seeds)]
    return [(k, s, f"{k}{s}") for k, s in ours] + [("dkt", settings.seed, "dkt")]


def _scores(
    trained: Trained, members: list[tuple[str, int, str]], part: str
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    y: np.ndarray | None = None
    probs: dict[str, np.ndarray] = {}
    for kind, seed, name in members:
        labels, probs[name] = trained.predict(kind, seed, part)
        if y is None:
            y = labels
        elif not np.array_equal(labels, y):
            raise RuntimeError("ensemble members scored positions in different orders")
    assert y is not None
    return y, probs


def fit_ensemble(
    trained: Trained, settings: TrainSettings
) -> tuple[Stack, float, dict[str, Any]]:
    """Train the members and fit the stack on the validation learners only.

    Returns the stack, the members' training seconds and the info for the log."""
    members = ensemble_members(settings)
    seconds = sum(trained.model(kind, seed)[1] for kind, seed, _ in members)
    y_valid, valid = _scores(trained, members, "valid")
    stack = fit_stack(y_valid, valid)
    info: dict[str, Any] = {
        "members": [name for _, _, name in members],
        "member_valid_auc": {
            name: round(trained.model(kind, seed)[0].valid_auc, 5)
            for kind, seed, name in members
        },
        "stack": stack.to_dict(),
        "valid_auc": round(auc(y_valid, stack.predict(valid)), 5),
    }
    return stack, seconds, info


def run_fold(
    split: Split,
    models: Iterable[str],
    settings: TrainSettings,
    export_dir: Path | None = None,
) -> list[FoldResult]:
    """Train and score ``models`` on one fold; test scores never drive choices."""
    add_features(split.train + split.valid + split.test)
    out: list[FoldResult] = []
    models = list(models)
    irt: LogisticPFA | None = None
    irt_seconds = 0.0
    needs_head = settings.irt_head and bool({"ours", "ensemble"} & set(models))
    if "irt" in models or needs_head:
        start = time.perf_counter()  # fitted once, used by "irt" and our head
        irt = LogisticPFA(split.n_questions, split.n_skills)
        irt.fit(split.train, split.valid)
        irt_seconds = time.perf_counter() - start
    trained = Trained(split, settings, irt)
    for name in models:
        start = time.perf_counter()
        info: dict[str, Any] = {}
        if name == "skillmean":
            sm = SkillMean(split.n_skills)
            sm.fit(split.train)
            seconds = time.perf_counter() - start
            y, p = sm.predict(split.test)
        elif name == "irt":
            assert irt is not None
            seconds = irt_seconds
            info["l2"] = irt.l2
            y, p = irt.predict(split.test)
        elif name == "ensemble":
            stack, seconds, info = fit_ensemble(trained, settings)
            y, test = _scores(trained, ensemble_members(settings), "test")
            p = stack.predict(test)
            if settings.irt_head:
                seconds += irt_seconds  # its members' heads start from the IRT fit
        elif name in ("dkt", "ours"):
            res, seconds = trained.model(name, settings.seed)
            if name == "ours" and settings.irt_head:
                seconds += irt_seconds  # our model includes fitting its IRT head
                info["irt_head_seconds"] = round(irt_seconds, 1)
            info.update(
                best_epoch=res.best_epoch,
                valid_auc=round(res.valid_auc, 5),
                valid_history=[round(h, 5) for h in res.history],
            )
            y, p = trained.predict(name, settings.seed, "test")
            if name == "ours":  # the test AUC with the app's restart grid
                y_served, p_served = predict_served(res.model, split.test)
                if len(y_served) != len(y):
                    raise RuntimeError("served scoring missed positions")
                info["served_auc"] = round(auc(y_served, p_served), 5)
                if export_dir is not None:
                    path = (
                        Path(export_dir)
                        / f"{dataset_slug(split.dataset)}_fold{split.fold}"
                    )
                    metrics = {"test_auc": auc(y, p), "test_accuracy": accuracy(y, p)}
                    info["artefact"] = str(
                        export_artefact(res, split, settings, path, metrics)
                    )
        else:
            raise ValueError(f"unknown model {name!r}; choose from {MODEL_NAMES}")
        ece, reliability = calibration(np.asarray(y), np.asarray(p, dtype=np.float64))
        info["reliability"] = reliability
        out.append(
            FoldResult(
                split.dataset,
                split.fold,
                name,
                auc(y, p),
                accuracy(y, p),
                len(y),
                seconds,
                ece,
                info,
            )
        )
    return out


def evaluate(
    dataset: str,
    folds: Iterable[int] = range(5),
    models: Iterable[str] = MODEL_NAMES,
    settings: TrainSettings | None = None,
    tiny: bool = False,
    root: Path | None = None,
    export_dir: Path | None = None,
    log: Path | None = None,
    on_result: Callable[[FoldResult], None] | None = None,
) -> tuple[list[FoldResult], list[str]]:
    """Run the protocol on ``folds``; returns the results and the data notes."""
    settings = settings or TrainSettings()
    results: list[FoldResult] = []
    notes: list[str] = []
    for fold in folds:
        split = load_split(dataset, fold, root)
        if tiny:
            split = tiny_split(split)
        notes = split.notes
        for r in run_fold(split, models, settings, export_dir):
            results.append(r)
            if log is not None:
                with Path(log).open("a") as fh:
                    fh.write(json.dumps(asdict(r)) + "\n")
            if on_result is not None:
                on_result(r)
    return results, notes


def _mean_sd(values: list[float], digits: int = 4) -> str:
    vals = [v for v in values if not np.isnan(v)]
    if not vals:
        return "-"
    sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
    return f"{statistics.fmean(vals):.{digits}f} ± {sd:.{digits}f}"


def summary_rows(results: list[FoldResult]) -> list[dict[str, str]]:
    rows = []
    keys = sorted(
        {(r.dataset, r.model) for r in results},
        key=lambda k: (k[0], MODEL_NAMES.index(k[1])),
    )
    for dataset, model in keys:
        rs = [r for r in results if r.dataset == dataset and r.model == model]
        rows.append(
            {
                "dataset": dataset,
                "model": model,
                "folds": ",".join(str(r.fold) for r in rs),
                "auc": _mean_sd([r.auc for r in rs]),
                "accuracy": _mean_sd([r.accuracy for r in rs]),
                "ece": _mean_sd([r.ece for r in rs]),
                "train_s": _mean_sd([r.train_seconds for r in rs], 1),
                "published_best": str(PUBLISHED_BEST.get(dataset, "-")),
            }
        )
    return rows


def summary_table(results: list[FoldResult], title: str = "Test scores") -> Table:
    table = Table(title=title)
    for col in (
        "dataset",
        "model",
        "folds",
        "test AUC (mean ± sd)",
        "test accuracy",
        "test ECE",
        "train time s/fold",
        "published best AUC",
    ):
        table.add_column(col)
    for row in summary_rows(results):
        table.add_row(*row.values())
    return table


def reliability_curves(
    results: list[FoldResult], dataset: str
) -> dict[str, list[tuple[float, float, int]]]:
    """Each model's reliability bins for ``dataset``, pooled over its folds."""
    return {
        model: pooled(
            r.info.get("reliability", [])
            for r in results
            if r.dataset == dataset and r.model == model
        )
        for model in MODEL_NAMES
        if any(r.dataset == dataset and r.model == model for r in results)
    }


def reliability_report(results: list[FoldResult], dataset: str) -> str:
    """The dataset's reliability plot (SVG) of :func:`reliability_curves`."""
    folds = sorted({r.fold for r in results if r.dataset == dataset})
    return reliability_svg(
        reliability_curves(results, dataset),
        f"{dataset}: reliability, folds {','.join(map(str, folds))}",
    )
