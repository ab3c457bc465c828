"""The harness reports calibration next to AUC: ECE per fold and a reliability plot."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import numpy as np

from nanum.learner_model.kt.evaluate import (
    reliability_report,
    run_fold,
    summary_rows,
)
from nanum.learner_model.kt.production import calibration
from nanum.learner_model.kt.report import ece_of, pooled, reliability_svg
from nanum.learner_model.kt.synthetic import synthetic_split
from nanum.learner_model.kt.train import TrainSettings

SVG = "{http://www.w3.org/2000/svg}"


def test_ece_is_zero_when_calibrated_and_large_when_not() -> None:
    rng = np.random.default_rng(3)
    p = rng.uniform(0.05, 0.95, 40_000)
    y = (rng.uniform(size=p.size) < p).astype(np.int64)
    good, _ = calibration(y, p)
    bad, table = calibration(y, np.clip(p + 0.2, 0, 1))  # over-confident by 0.2
    assert good < 0.01
    assert 0.15 < bad < 0.21
    assert math.isclose(ece_of(table), bad, rel_tol=1e-3)


def test_pooled_bins_weight_each_fold_by_its_count() -> None:
    a = [(0.15, 0.1, 100), (0.85, 0.9, 300)]
    b = [(0.17, 0.3, 300)]
    merged = pooled([a, b])
    assert merged[0] == (0.165, 0.25, 400)
    assert merged[1] == (0.85, 0.9, 300)
    assert pooled([]) == []
    assert math.isnan(ece_of([]))


def test_reliability_svg_has_a_title_a_description_and_one_curve_per_model() -> None:
    curves = {"ours": [(0.2, 0.25, 10), (0.8, 0.7, 30)], "irt <x>": [(0.5, 0.5, 5)]}
    root = ET.fromstring(reliability_svg(curves, "demo & plot"))  # noqa: S314 (our own output)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "demo & plot"  # type: ignore[union-attr]
    desc = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "ours: ECE 0.0875" in desc and "irt <x>: ECE 0.0000" in desc
    assert len(root.findall(f"{SVG}polyline")) == 2


def test_the_harness_reports_ece_per_fold_and_in_the_summary() -> None:
    split = synthetic_split(0, n_learners=120)
    results = run_fold(split, ["skillmean", "irt"], TrainSettings())
    for r in results:
        assert 0.0 <= r.ece < 0.5
        table = r.info["reliability"]
        assert sum(n for _, _, n in table) == r.n_scored
        assert math.isclose(ece_of(table), r.ece, abs_tol=1e-3)
    rows = summary_rows(results)
    assert [row["model"] for row in rows] == ["irt", "skillmean"]
    assert all(" ± " in row["ece"] for row in rows)
    root = ET.fromstring(reliability_report(results, "synthetic"))  # noqa: S314 (our own output)
    assert len(root.findall(f"{SVG}polyline")) == 2
