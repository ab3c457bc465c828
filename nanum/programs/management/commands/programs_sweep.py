"""Run the programme sweeps once: due lotteries, then overdue offers.

Schedule it every few minutes (cron or a systemd timer):  nanum programs_sweep
Both steps are idempotent; the same work is also enqueued as tasks where the backend can
defer them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nanum.programs import services


class Command(BaseCommand):
    help = (
        "Draw every lottery whose period has closed, expire overdue offers and erase "
        "old vulnerability declarations."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        drawn = services.draws_due()
        expired = services.offers_expire_due()
        purged = services.declarations_purge()
        self.stdout.write(
            f"programmes drawn: {drawn}, offers expired: {expired}, "
            f"declarations erased: {purged}"
        )
