"""``nanum worker``: the database task worker, serving every queue Nanum uses.

It is django-tasks-db's ``db_worker`` with ``--queue-name '*'`` by default (the queues
``default``, ``mail`` and ``ml`` of ``settings.TASKS``), and it first re-queues tasks whose
worker died (RUNNING past their lease). Every ``db_worker`` option still applies, e.g.
``nanum worker --queue-name ml`` for a separate training worker.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands import db_worker

from nanum.core import services

ALL_QUEUES = "*"


class Command(db_worker.Command):
    help = "Run background tasks of every queue (default, mail, ml)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name=ALL_QUEUES)

    def handle(self, *args: Any, **options: Any) -> None:
        requeued = services.tasks_requeue_stale()
        if requeued:
            self.stdout.write(f"re-queued {requeued} task(s) left by a dead worker")
        super().handle(*args, **options)
