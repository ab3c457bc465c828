"""Run (or enqueue) Seoul Learn's daily round: expiry, reminders, use rules, purge.

Schedule it once a day (cron or a systemd timer): ``nanum learning_daily --enqueue``
puts the work on the task queue for ``nanum worker``; without ``--enqueue`` it runs now.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nanum.learning import tasks


class Command(BaseCommand):
    help = "Seoul Learn daily round (membership expiry, renewal reminders, use rules, purge)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="queue it for the worker"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["enqueue"]:
            result = tasks.daily.enqueue()
            self.stdout.write(f"queued {result.id}")
        else:
            self.stdout.write(str(tasks.daily.call()))
