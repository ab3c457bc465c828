"""Background tasks of mentoring: ids in, call a service."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def sessions_check_missed() -> int:
    """Daily (``nanum periodic daily``): missed sessions raise alerts to the town's
    staff."""
    return services.sessions_check_missed()


@task()
def counselling_reminders_send() -> int:
    """Every 15 minutes (``nanum periodic frequent``): reminders for consultations in
    the next 24 hours, once each."""
    return services.counselling_reminders_send()


@task()
def documents_purge() -> int:
    """Daily (``nanum periodic daily``): mentor applications' documents past their
    retention are deleted (safe to run twice)."""
    return services.mentor_documents_purge()


@task(queue_name="default")
def match_run_compute(run_id: int) -> str:
    """Compute a batch match run off the request (safe to run twice)."""
    return services.match_run_compute(run_id=run_id)
