"""Server-drawn SVG charts with a table equivalent (no JavaScript, no CDN).

One small kernel for every app: build a :class:`Chart` with :func:`bar_chart` in a view or
selector, then render it in a template with ``{% include "core/chart.html" with chart=chart %}``.
The include draws the SVG (``role="img"``, titled) and, beside it, the same figures as a table
inside a disclosure, so a screen reader or a person who prefers numbers reads the same thing.

No inline ``style`` is written (the CSP forbids it); colours are SVG presentation attributes
whose contrast against white is at least 3:1 (WCAG 1.4.11), and the series are also told apart
by the table and the legend text, never by colour alone.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colours with ≥ 3:1 contrast on white (graphical objects, WCAG 1.4.11).
PALETTE = ("#1f5fa8", "#b35900", "#1e6b34", "#6b3fa0", "#a3154a", "#4d5b6a")
_ids = itertools.count(1)

WIDTH = 640
BAR_AREA_HEIGHT = 200
TOP = 16
LEFT = 56
BOTTOM = 48
ROW_HEIGHT = 28


@dataclass(frozen=True)
class Series:
    """One named row of values, one per label; ``None`` is "no figure" (drawn as a gap)."""

    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Chart:
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    goal: float | None = None
    horizontal: bool = False
    chart_id: str = field(default_factory=lambda: f"chart-{next(_ids)}")

    # -- the figures -------------------------------------------------------------------
    @property
    def maximum(self) -> float:
        values = [v for s in self.series for v in s.values if v is not None]
        if self.goal is not None:
            values.append(self.goal)
        return _nice_ceiling(max(values, default=0.0))

    @property
    def table_rows(self) -> list[tuple[str, list[str]]]:
        """Rows of the table equivalent: (label, [formatted value per series])."""
        return [
            (
                label,
                [_fmt(s.values[i]) if i < len(s.values) else "—" for s in self.series],
            )
            for i, label in enumerate(self.labels)
        ]

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(s.name, PALETTE[i % len(PALETTE)]) for i, s in enumerate(self.series)]

    @property
    def is_empty(self) -> bool:
        return not any(v for s in self.series for v in s.values if v)

    # -- the drawing -------------------------------------------------------------------
    @property
    def svg(self) -> SafeString:
        body = self._horizontal() if self.horizontal else self._vertical()
        height = self._height()
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
            'aria-labelledby="{id}-title" class="chart-svg" focusable="false">'
            '<title id="{id}-title">{title}</title>{body}</svg>',
            w=WIDTH,
            h=height,
            id=self.chart_id,
            title=self._accessible_title(),
            body=body,
        )

    def _accessible_title(self) -> str:
        if self.unit:
            return _(
                "%(title)s (unit: %(unit)s; the table below gives every figure)"
            ) % {
                "title": self.title,
                "unit": self.unit,
            }
        return _("%(title)s (the table below gives every figure)") % {
            "title": self.title
        }

    def _height(self) -> int:
        if self.horizontal:
            rows = max(1, len(self.labels)) * max(1, len(self.series))
            return TOP + rows * ROW_HEIGHT + len(self.labels) * 8 + 24
        return TOP + BAR_AREA_HEIGHT + BOTTOM

    def _vertical(self) -> SafeString:
        top_value = self.maximum or 1.0
        plot_w = WIDTH - LEFT - 8
        n = max(1, len(self.labels))
        group_w = plot_w / n
        k = max(1, len(self.series))
        bar_w = max(2.0, (group_w * 0.8) / k)
        base_y = TOP + BAR_AREA_HEIGHT
        parts: list[SafeString] = []
        for tick in range(5):
            value = top_value * tick / 4
            y = base_y - BAR_AREA_HEIGHT * tick / 4
            parts.append(
                format_html(
                    '<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="#c9d2dc" stroke-width="1"/>'
                    '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#555">{}</text>',
                    LEFT,
                    WIDTH - 8,
                    LEFT - 6,
                    f"{y + 4:.1f}",
                    _fmt(value),
                    y=f"{y:.1f}",
                )
            )
        for i, label in enumerate(self.labels):
            x0 = LEFT + group_w * i + group_w * 0.1
            for j, s in enumerate(self.series):
                v = s.values[i] if i < len(s.values) else None
                if v is None or v <= 0:
                    continue
                h = BAR_AREA_HEIGHT * min(v, top_value) / top_value
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                        f"{x0 + j * bar_w:.1f}",
                        f"{base_y - h:.1f}",
                        f"{bar_w * 0.92:.1f}",
                        f"{h:.1f}",
                        PALETTE[j % len(PALETTE)],
                    )
                )
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#1a1a1a">{}</text>',
                    f"{LEFT + group_w * (i + 0.5):.1f}",
                    base_y + 16,
                    _short(label),
                )
            )
        if self.goal is not None:
            gy = base_y - BAR_AREA_HEIGHT * min(self.goal, top_value) / top_value
            parts.append(_goal_line(LEFT, WIDTH - 8, gy, self.goal))
        parts.append(_legend(self.legend, base_y + 36))
        return mark_safe("".join(parts))  # every part is format_html output

    def _horizontal(self) -> SafeString:
        top_value = self.maximum or 1.0
        label_w = 150
        plot_w = WIDTH - label_w - 60
        parts: list[SafeString] = []
        y = TOP
        for i, label in enumerate(self.labels):
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#1a1a1a">{}</text>',
                    label_w - 8,
                    y + 17,
                    _short(label, 16),
                )
            )
            for j, s in enumerate(self.series):
                v = s.values[i] if i < len(s.values) else None
                w = plot_w * min(v or 0, top_value) / top_value
                if v:
                    parts.append(
                        format_html(
                            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                            label_w,
                            y + 4,
                            f"{max(w, 1):.1f}",
                            ROW_HEIGHT - 8,
                            PALETTE[j % len(PALETTE)],
                        )
                    )
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" font-size="11" fill="#1a1a1a">{}</text>',
                        f"{label_w + w + 4:.1f}",
                        y + 17,
                        _fmt(v),
                    )
                )
                y += ROW_HEIGHT
            y += 8
        if self.goal is not None:
            gx = label_w + plot_w * min(self.goal, top_value) / top_value
            parts.append(
                format_html(
                    '<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#1a1a1a" '
                    'stroke-dasharray="4 3" stroke-width="1.5"/>',
                    TOP,
                    y,
                    x=f"{gx:.1f}",
                )
            )
        if len(self.series) > 1:
            parts.append(_legend(self.legend, y + 12))
        return mark_safe("".join(parts))  # every part is format_html output


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    goal: float | None = None,
    horizontal: bool = False,
) -> Chart:
    """A bar chart (grouped when there are several series) with its table equivalent."""
    labels = tuple(str(label) for label in labels)
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(
                f"series {s.name!r} has {len(s.values)} values for {len(labels)} labels"
            )
        if any(v is not None and (math.isnan(v) or v < 0) for v in s.values):
            raise ValueError(f"series {s.name!r} has a negative or missing value")
    return Chart(
        title=str(title),
        labels=labels,
        series=tuple(Series(str(s.name), tuple(s.values)) for s in series),
        unit=str(unit),
        goal=goal,
        horizontal=horizontal,
    )


def _goal_line(x1: float, x2: float, y: float, goal: float) -> SafeString:
    return format_html(
        '<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="#1a1a1a" stroke-dasharray="4 3" '
        'stroke-width="1.5"/><text x="{}" y="{}" font-size="11" text-anchor="end" '
        'fill="#1a1a1a">{}</text>',
        x1,
        x2,
        x2,
        f"{y - 4:.1f}",
        _("goal %(value)s") % {"value": _fmt(goal)},
        y=f"{y:.1f}",
    )


def _legend(items: list[tuple[str, str]], y: float) -> SafeString:
    if len(items) < 2:
        return mark_safe("")
    step = (WIDTH - LEFT) / len(items)
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
        '<text x="{}" y="{}" font-size="11" fill="#1a1a1a">{}</text>',
        (
            (
                f"{LEFT + step * i:.1f}",
                f"{y - 9:.1f}",
                colour,
                f"{LEFT + step * i + 14:.1f}",
                f"{y:.1f}",
                _short(name, 18),
            )
            for i, (name, colour) in enumerate(items)
        ),
    )


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ value (axis tops read well)."""
    if value <= 0:
        return 0.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * 10**exponent
        if top >= value:
            return float(top)
    return float(10 ** (exponent + 1))


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _short(text: str, limit: int = 10) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
