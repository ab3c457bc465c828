"""Background work of Seoul Learn (ids in, call a service). Run daily by the worker."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from nanum.core import clock

from . import services


@task()
def places_allocate(tenant_ids: list[int] | None = None) -> dict[str, int]:
    return {
        str(k): v for k, v in services.places_allocate(tenant_ids=tenant_ids).items()
    }


@task()
def memberships_expire() -> int:
    return services.memberships_expire()


@task()
def renewal_reminders() -> int:
    return services.renewal_reminders_send()


@task()
def inactivity_sweep() -> dict[str, Any]:
    return services.inactivity_sweep()


@task()
def monthly_minimum_check() -> dict[str, Any]:
    return services.monthly_minimum_check()


@task()
def retention_purge() -> dict[str, Any]:
    return services.retention_purge()


@task()
def daily() -> dict[str, Any]:
    """The daily round: expiry, reminders, use rules, purge."""
    out: dict[str, Any] = {
        "expired": services.memberships_expire(),
        "reminded": services.renewal_reminders_send(),
        "inactivity": services.inactivity_sweep(),
        "purge": services.retention_purge(),
    }
    if clock.today().day == 1:
        out["monthly"] = services.monthly_minimum_check()
    return out
