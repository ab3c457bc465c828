"""Background tasks of the K-STEM Bank: ids in, call a service.

Run them daily (e.g. from cron: ``nanum lending_daily``) or enqueue them:
``overdue_reminders.enqueue()``; the ``nanum worker`` executes them.
"""

from __future__ import annotations

from django_tasks import task

from nanum.core.errors import DomainError

from . import services


@task()
def overdue_reminders() -> int:
    """Remind teachers of overdue loans; escalate to bank staff after 3 reminders."""
    return services.overdue_remind()


@task()
def expire_offers() -> int:
    """Expire waitlist offers that were not accepted in time and pass units on."""
    return services.offers_expire()


@task()
def run_round(round_id: int, seed: int | None = None) -> int:
    """Allocate a scarcity round once its collection period is over (once: a second
    run finds the round allocated and does nothing)."""
    try:
        return services.round_run(actor=None, round_id=round_id, seed=seed).pk
    except DomainError as exc:
        if exc.code != "wrong_status":
            raise
        return round_id


@task()
def import_catalogue(job_id: int) -> int:
    """Import a large uploaded catalogue file (all rows or none), writing progress."""
    return services.catalogue_import_job_run(job_id=job_id)


@task()
def zeus_sync() -> list[int]:
    """Synchronise research equipment from ZEUS for every central bank. Safe to run
    twice: a second run over the same feed writes no item (only its own record)."""
    return [s.pk for s in services.zeus_sync_all()]


@task(queue_name="mail")
def research_owner_email(kind: str, pk: int) -> bool:
    """Mail the owner institution's contact the signed link (once)."""
    return services.research_owner_email_send(kind=kind, pk=pk)
