"""The shared chart kernel: SVG with a title, and the same figures as a table."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from nanum.core.charts import Series, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_vertical_chart_draws_one_bar_per_positive_value_and_a_goal() -> None:
    chart = bar_chart(
        title="Minutes per week",
        labels=["W1", "W2", "W3"],
        series=[Series("Minutes", [30, None, 120])],
        unit="min",
        goal=100,
    )
    root = ET.fromstring(str(chart.svg))  # noqa: S314 (our own output)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and "Minutes per week" in (title.text or "")
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 2  # the None week is a gap, not a zero bar
    heights = sorted(float(b.get("height") or 0) for b in bars)
    assert heights[1] == pytest.approx(4 * heights[0], rel=0.01)  # 120 vs 30
    assert chart.maximum == 200  # a readable axis top at or above 120 and the goal
    assert chart.table_rows == [("W1", ["30"]), ("W2", ["—"]), ("W3", ["120"])]


def test_grouped_and_horizontal_charts_have_a_legend_and_bars_per_series() -> None:
    chart = bar_chart(
        title="Seats",
        labels=["Gangnam", "Nowon"],
        series=[Series("bought", [10, 20]), Series("used", [5, 20])],
        horizontal=True,
    )
    root = ET.fromstring(str(chart.svg))  # noqa: S314 (our own output)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "bought" in texts and "used" in texts
    assert len(root.findall(f"{SVG}rect")) == 4 + 2  # four bars and two legend keys


def test_labels_are_escaped_and_bad_series_are_refused() -> None:
    chart = bar_chart(title="<b>x</b>", labels=["<script>"], series=[Series("a", [1])])
    assert "<script>" not in str(chart.svg) and "&lt;script" in str(chart.svg)
    with pytest.raises(ValueError):
        bar_chart(title="t", labels=["a", "b"], series=[Series("a", [1])])
    with pytest.raises(ValueError):
        bar_chart(title="t", labels=["a"], series=[Series("a", [-1])])


def test_include_renders_the_table_equivalent_in_korean() -> None:
    chart = bar_chart(
        title="주간 학습 시간", labels=["11/23"], series=[Series("분", [45])], goal=60
    )
    with translation.override("ko"):
        html = render_to_string("core/chart.html", {"chart": chart})
    assert "수치를 표로 보기" in html
    assert '<th scope="row">11/23</th><td>45</td>' in html
    assert "style=" not in html
    empty = bar_chart(title="t", labels=["a"], series=[Series("a", [0])])
    with translation.override("en"):
        assert "No figures yet" in render_to_string("core/chart.html", {"chart": empty})
