"""Calibration reports of the evaluation harness: pooled reliability and an SVG plot.

Students and mentors read the model's numbers as mastery, so next to AUC the harness
reports the expected calibration error (10 equal-width bins, as the production model's
validation does) and a reliability plot: for each bin, the mean predicted probability
against the observed share of right answers. The SVG is drawn here (no Django, no CDN);
the same numbers are printed as a table, its text equivalent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape

Bin = tuple[float, float, int]  # (mean predicted, observed, count)

# Distinguishable in greyscale too: each curve also has its own marker and dash.
_STYLES = (
    ("#1f4e9c", "circle", ""),
    ("#b3261e", "square", "6 3"),
    ("#2e7d32", "diamond", "2 3"),
    ("#6a1b9a", "triangle", "8 3 2 3"),
    ("#8a4b00", "square", "1 3"),
)


def pooled(tables: Iterable[Sequence[Bin]]) -> list[Bin]:
    """Several folds' reliability tables merged bin by bin (count-weighted).

    Bins are matched by their mean prediction's decile, as ``calibration`` made them."""
    sums: dict[int, list[float]] = {}
    for table in tables:
        for mean_p, observed, n in table:
            key = min(int(mean_p * 10), 9)
            acc = sums.setdefault(key, [0.0, 0.0, 0.0])
            acc[0] += mean_p * n
            acc[1] += observed * n
            acc[2] += n
    return [
        (round(p / n, 4), round(o / n, 4), int(n))
        for _, (p, o, n) in sorted(sums.items())
        if n
    ]


def ece_of(table: Sequence[Bin]) -> float:
    total = sum(n for _, _, n in table)
    if not total:
        return float("nan")
    return sum(n / total * abs(p - o) for p, o, n in table)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
    if kind == "square":
        return (
            f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" '
            f'fill="{colour}"/>'
        )
    if kind == "diamond":
        pts = f"{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y:.1f} {x:.1f},{y + 4.5:.1f} "
        pts += f"{x - 4.5:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    pts = (
        f"{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f}"
    )
    return f'<polygon points="{pts}" fill="{colour}"/>'


def reliability_svg(curves: Mapping[str, Sequence[Bin]], title: str) -> str:
    """A reliability plot: predicted (x) against observed (y), one curve per model."""
    size, left, top, pad = 320, 48, 28, 12
    plot = size - left - pad
    height = top + plot + 40 + 16 * len(curves)

    def sx(v: float) -> float:
        return left + v * plot

    def sy(v: float) -> float:
        return top + (1 - v) * plot

    desc = "; ".join(f"{name}: ECE {ece_of(bins):.4f}" for name, bins in curves.items())
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {height:.0f}" '
        f'width="{size}" height="{height:.0f}" role="img" '
        f'aria-labelledby="t d" font-family="sans-serif" font-size="11">',
        f'<title id="t">{escape(title)}</title>',
        f'<desc id="d">Reliability: mean predicted probability against observed '
        f"share correct per bin. {escape(desc)}</desc>",
        f'<text x="{left}" y="16" font-size="12" font-weight="bold">'
        f"{escape(title)}</text>",
        f'<rect x="{left}" y="{top}" width="{plot}" height="{plot}" fill="none" '
        f'stroke="#555"/>',
        f'<line x1="{sx(0)}" y1="{sy(0)}" x2="{sx(1)}" y2="{sy(1)}" stroke="#999" '
        f'stroke-dasharray="3 3"/>',
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<text x="{sx(tick):.1f}" y="{top + plot + 14}" text-anchor="middle">'
            f"{tick:g}</text>"
        )
        parts.append(
            f'<text x="{left - 6}" y="{sy(tick) + 4:.1f}" text-anchor="end">'
            f"{tick:g}</text>"
        )
    parts.append(
        f'<text x="{left + plot / 2:.1f}" y="{top + plot + 28}" '
        f'text-anchor="middle">predicted</text>'
    )
    parts.append(
        f'<text x="12" y="{top + plot / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + plot / 2:.1f})">observed</text>'
    )
    for i, (name, bins) in enumerate(curves.items()):
        colour, marker, dash = _STYLES[i % len(_STYLES)]
        points = " ".join(f"{sx(p):.1f},{sy(o):.1f}" for p, o, _ in bins)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="1.5"{dash_attr}/>'
        )
        parts.extend(_marker(marker, sx(p), sy(o), colour) for p, o, _ in bins)
        ly = top + plot + 44 + 16 * i
        parts.append(_marker(marker, left + 6, ly - 4, colour))
        parts.append(
            f'<text x="{left + 16}" y="{ly}">{escape(name)} '
            f"(ECE {ece_of(bins):.4f})</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
