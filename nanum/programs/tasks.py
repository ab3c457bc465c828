"""Background tasks of programmes: ids in, call a service."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def offer_expire(application_id: int) -> bool:
    """Runs at an offer's confirm-by deadline: expire it and offer the place onward."""
    return services.offer_expire(application_id=application_id)


@task()
def offers_expire_due() -> int:
    """Sweep (schedule every few minutes): expire every overdue offer."""
    return services.offers_expire_due()


@task()
def draws_due() -> int:
    """Sweep (schedule hourly): run each lottery whose application period closed."""
    return services.draws_due()


@task()
def draw_notify(programme_id: int) -> int:
    """After a draw: tell each applicant the outcome and why."""
    return services.draw_notify(programme_id=programme_id)


@task()
def declarations_purge() -> int:
    """Daily: erase vulnerability declarations once their programme is long over."""
    return services.declarations_purge()
