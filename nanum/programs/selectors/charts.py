"""The organiser dashboard's chart: applications against places, per programme."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from nanum.core.charts import Chart, Series, bar_chart

CHART_PROGRAMMES = 12


def applications_chart(programmes: Sequence[Any]) -> Chart:
    """Applications and places for the first programmes of ``organiser_programmes()``
    (rows annotated with ``n_applications``; latest closing first), so the chart shows
    only what the organiser may see."""
    rows = list(programmes[:CHART_PROGRAMMES])
    return bar_chart(
        title=_("Applications and places per programme"),
        labels=[p.name for p in rows],
        series=[
            Series(_("Applications"), [p.n_applications for p in rows]),
            Series(_("Places"), [p.capacity for p in rows]),
        ],
        horizontal=True,
    )
