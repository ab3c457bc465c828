"""Background tasks of core: ids in, call a service."""

from __future__ import annotations

from django_tasks import task

from . import services


@task(queue_name="mail")
def notification_email(notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)


@task()
def access_log_purge() -> int:
    return services.access_log_purge()


@task()
def login_failures_purge() -> int:
    return services.login_failures_purge()
