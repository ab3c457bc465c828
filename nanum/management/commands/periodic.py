"""Enqueue the platform's periodic tasks of one rhythm; `nanum worker` runs them.

The schedule is in ``nanum/schedule.py``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nanum.schedule import RHYTHMS, SCHEDULE


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of one rhythm (frequent, daily, weekly)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rhythm", choices=RHYTHMS)

    def handle(self, *args: Any, **opts: Any) -> None:
        for task in SCHEDULE[opts["rhythm"]]:
            result = task.enqueue()
            self.stdout.write(f"enqueued {task.module_path} ({result.id})")
