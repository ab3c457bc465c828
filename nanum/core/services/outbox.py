"""The task outbox: side effects are recorded with the write that causes them.

With the database task backend (production), ``tasks_enqueue`` writes the task row inside
the caller's transaction: it commits or rolls back with the write, so a committed write
always has its side effects queued, and nothing after the commit can fail the request.
With the immediate backend (tests, the demo) the task runs after the commit; if it fails
there, the failure is logged and the committed answer stands.

The worker re-queues tasks whose worker died (``tasks_requeue_stale``): a task that has
been RUNNING longer than its queue's lease goes back to READY, exactly once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, Min, When
from django.db.models.functions import Greatest
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from typing_extensions import ParamSpec

from nanum.core import clock

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# How long a task may stay RUNNING before the sweep takes its worker for dead.
DEFAULT_LEASE_SECONDS = 600
# Retraining the learner model legitimately runs for hours.
QUEUE_LEASE_SECONDS = {"ml": 6 * 3600}


def tasks_enqueue(task: Task[P, T], *args: P.args, **kwargs: P.kwargs) -> None:
    """Queue ``task`` as part of the current transaction (the outbox).

    Database backend: the task row is written now, in the caller's transaction.
    Any other backend: enqueued after the commit; an error there is logged, never raised.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
        return

    def _after_commit() -> None:
        try:
            task.enqueue(*args, **kwargs)
        except Exception:
            logger.exception("task %s failed after commit", task.module_path)

    transaction.on_commit(_after_commit)


def task_lease_seconds(queue_name: str) -> int:
    """The lease of one queue: ``NANUM_TASK_LEASE_SECONDS`` (``ml``: six hours at least)."""
    base = int(getattr(settings, "NANUM_TASK_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))
    return max(base, QUEUE_LEASE_SECONDS.get(queue_name, 0))


def tasks_requeue_stale(*, now: datetime | None = None) -> int:
    """Put tasks RUNNING past their queue's lease back to READY; return how many.

    The UPDATE is conditional on the row still being RUNNING with the same start time,
    so two sweepers never both re-queue one task and a task that just finished stays
    finished.
    """
    now = now or clock.now()
    queues = DBTaskResult.objects.running().values_list("queue_name", flat=True)
    requeued = 0
    for queue in set(queues):
        cutoff = now - timedelta(seconds=task_lease_seconds(queue))
        stale = DBTaskResult.objects.running().filter(
            queue_name=queue, started_at__lt=cutoff
        )
        for pk, started_at in stale.values_list("pk", "started_at"):
            n = DBTaskResult.objects.filter(
                pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
            ).update(status=TaskResultStatus.READY, started_at=None)
            if n:
                logger.warning(
                    "task %s re-queued: running since %s on a dead worker",
                    pk,
                    started_at,
                )
            requeued += n
    return requeued


def tasks_backlog(*, now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Per queue: how many tasks are READY to run now, and how long the oldest has
    waited (seconds since it was enqueued, or since its deferred start time)."""
    now = now or clock.now()
    waiting_since = Case(
        When(run_after=get_date_max(), then="enqueued_at"),
        default=Greatest("enqueued_at", "run_after"),
    )
    rows = (
        DBTaskResult.objects.ready()
        .order_by()
        .values("queue_name")
        .annotate(count=Count("pk"), oldest=Min(waiting_since))
    )
    backlog: dict[str, dict[str, Any]] = {
        q: {"ready": 0, "oldest_age_s": 0} for q in settings.TASKS["default"]["QUEUES"]
    }
    for row in rows:
        age = max(0, int((now - row["oldest"]).total_seconds()))
        backlog[row["queue_name"]] = {"ready": row["count"], "oldest_age_s": age}
    return backlog
