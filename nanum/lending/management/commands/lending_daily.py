"""Daily K-STEM Bank jobs: overdue reminders and expired waitlist offers (enqueued)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nanum.lending import tasks


class Command(BaseCommand):
    help = "Enqueue the daily lending tasks (overdue reminders, offer expiry)."

    def handle(self, *args: Any, **opts: Any) -> None:
        for t in (tasks.expire_offers, tasks.overdue_reminders):
            result = t.enqueue()
            self.stdout.write(f"{t.name}: {result.status}")
