"""``nanum worker``: the database task worker, serving every queue Nanum uses.

It is django-tasks-db's ``db_worker`` with ``--queue-name '*'`` by default (the queues
``default``, ``mail`` and ``ml`` of ``settings.TASKS``), and it first re-queues tasks whose
worker died (RUNNING past their lease). Every ``db_worker`` option still applies, e.g.
``nanum worker --queue-name ml`` for a separate training worker.

``db_worker`` installs its SIGINT/SIGTERM/SIGQUIT handlers and never removes them. When
the worker returns (``--batch``, ``--max-tasks``) inside a longer-lived process (tests,
``call_command``), those handlers would stay bound to a finished worker: a process forked
later would then ignore its first SIGTERM, and ``multiprocessing.Pool.terminate()``
would wait for it forever. So the previous handlers are put back when the worker returns.
"""

from __future__ import annotations

import signal
from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands import db_worker

from nanum.core import services

ALL_QUEUES = "*"
WORKER_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGQUIT")
    if hasattr(signal, name)
)


class Command(db_worker.Command):
    help = "Run background tasks of every queue (default, mail, ml)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name=ALL_QUEUES)

    def handle(self, *args: Any, **options: Any) -> None:
        requeued = services.tasks_requeue_stale()
        if requeued:
            self.stdout.write(f"re-queued {requeued} task(s) left by a dead worker")
        previous = {sig: signal.getsignal(sig) for sig in WORKER_SIGNALS}
        try:
            super().handle(*args, **options)
        finally:
            for sig, handler in previous.items():
                if handler is not None:  # None: installed outside Python, left alone
                    signal.signal(sig, handler)
