"""The charts of the learning pages, drawn by the shared kernel (``nanum.core.charts``)
from figures the selectors already read: no query of their own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from nanum.core.charts import Chart, Series, bar_chart


def seats_chart(seat_rows: Iterable[Mapping[str, Any]]) -> Chart:
    """Seats bought, used and left per town and provider this year."""
    rows = list(seat_rows)
    return bar_chart(
        title=_("Seats bought, used and left per provider this year"),
        labels=[f"{r['tenant']} · {r['provider']}" for r in rows],
        series=[
            Series(_("Bought"), [r["seats"] for r in rows]),
            Series(_("Used"), [r["used"] for r in rows]),
            Series(_("Left"), [r["free"] for r in rows]),
        ],
        unit=_("seats"),
        horizontal=True,
    )


def _average_by(rows: list[Mapping[str, Any]], key: str) -> tuple[list[str], list[int]]:
    minutes: dict[str, int] = defaultdict(int)
    members: dict[str, int] = defaultdict(int)
    for r in rows:
        minutes[str(r[key])] += int(r["minutes"])
        members[str(r[key])] += int(r["members"])
    labels = sorted(minutes)
    return labels, [round(minutes[k] / members[k]) if members[k] else 0 for k in labels]


def usage_charts(usage_rows: Iterable[Mapping[str, Any]]) -> list[Chart]:
    """Average study minutes per member (30 days) by district and by school level."""
    rows = list(usage_rows)
    districts, by_district = _average_by(rows, "district")
    levels, by_level = _average_by(rows, "level")
    return [
        bar_chart(
            title=_("Average study minutes per member by district (30 days)"),
            labels=districts,
            series=[Series(_("Minutes per member"), by_district)],
            unit=_("min"),
            horizontal=True,
        ),
        bar_chart(
            title=_("Average study minutes per member by school level (30 days)"),
            labels=levels,
            series=[Series(_("Minutes per member"), by_level)],
            unit=_("min"),
        ),
    ]
