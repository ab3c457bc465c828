"""The demo data, app by app, in dependency order (``nanum seed_demo``).

``nanum.core.demo`` lays the ground (organisations, towns, demo users); each app's
``demo.seed(ctx, scale)`` adds its own data and returns lines to print.
"""

from __future__ import annotations

from collections.abc import Callable

from nanum.core.demo import DemoContext
from nanum.insights import demo as insights_demo
from nanum.learner_model import demo as learner_model_demo
from nanum.learning import demo as learning_demo
from nanum.lending import demo as lending_demo
from nanum.mentoring import demo as mentoring_demo
from nanum.programs import demo as programs_demo

SEEDERS: tuple[Callable[[DemoContext, str], list[str]], ...] = (
    lending_demo.seed,
    learning_demo.seed,
    programs_demo.seed,
    mentoring_demo.seed,
    learner_model_demo.seed,
    insights_demo.seed,
)


def seed_apps(ctx: DemoContext, *, scale: str) -> list[str]:
    lines: list[str] = []
    for seed in SEEDERS:
        lines.extend(seed(ctx, scale) or [])
    return lines
