"""Background work of Seoul Learn (ids in, call a service). Run daily by the worker."""

from __future__ import annotations

from django_tasks import task

from .services import membership, privacy, quota, usage


@task()
def places_allocate(tenant_ids: list[int] | None = None) -> dict:
    return {str(k): v for k, v in quota.places_allocate(tenant_ids=tenant_ids).items()}


@task()
def memberships_expire() -> int:
    return membership.memberships_expire()


@task()
def renewal_reminders() -> int:
    return membership.renewal_reminders_send()


@task()
def inactivity_sweep() -> dict:
    return usage.inactivity_sweep()


@task()
def monthly_minimum_check() -> dict:
    return usage.monthly_minimum_check()


@task()
def retention_purge() -> dict:
    return privacy.retention_purge()


@task()
def daily() -> dict:
    """The daily round: expiry, reminders, use rules, purge."""
    from django.utils import timezone

    out = {
        "expired": membership.memberships_expire(),
        "reminded": membership.renewal_reminders_send(),
        "inactivity": usage.inactivity_sweep(),
        "purge": privacy.retention_purge(),
    }
    if timezone.localdate().day == 1:
        out["monthly"] = usage.monthly_minimum_check()
    return out
