"""``nanum mentoring_sweep``: run from cron or a timer (e.g. every 15 minutes).

Enqueues the mentoring tasks: missed-session alerts to staff and counselling
reminders. With ``--now`` it runs them in this process instead.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nanum.mentoring import services, tasks


class Command(BaseCommand):
    help = "Alert staff about missed mentoring sessions and send counselling reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run here, not as tasks")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["now"]:
            missed = services.sessions_check_missed()
            reminded = services.counselling_reminders_send()
            self.stdout.write(f"missed sessions: {missed}, reminders: {reminded}")
            return
        tasks.sessions_check_missed.enqueue()
        tasks.counselling_reminders_send.enqueue()
        self.stdout.write("enqueued: sessions_check_missed, counselling_reminders_send")
