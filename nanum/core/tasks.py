"""Background tasks of core: ids in, call a service. Every one is safe to run twice."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django_tasks import TaskContext, task

from nanum.core import clock

from . import services

logger = logging.getLogger(__name__)

# Seconds to wait before each new try of an e-mail the mail server refused or missed.
MAIL_RETRY_DELAYS = (60, 300, 1800, 7200)


@task(queue_name="mail")
def notification_email(notification_id: int, attempt: int = 0) -> bool:
    """Send one notification's e-mail (at most once); retry later if the server fails."""
    try:
        return services.notification_email_send(notification_id=notification_id)
    except (smtplib.SMTPException, OSError):
        backend = notification_email.get_backend()
        if attempt < len(MAIL_RETRY_DELAYS) and backend.supports_defer:
            when = clock.now() + timedelta(seconds=MAIL_RETRY_DELAYS[attempt])
            notification_email.using(run_after=when).enqueue(
                notification_id, attempt + 1
            )
            logger.warning("notification %s: e-mail retry at %s", notification_id, when)
        raise


@task(queue_name="mail")
def notification_channels(notification_id: int) -> int:
    """Send one notification by SMS / KakaoTalk where the recipient chose them (each
    channel at most once; a gateway failure leaves it for the next run)."""
    return services.notification_channels_send(notification_id=notification_id)


@task(queue_name="mail", takes_context=True)
def password_reset_email(
    context: TaskContext,
    email: str,
    domain: str,
    use_https: bool,
    language: str,
    attempt: int = 0,
) -> int:
    """Look up the accounts with this address and send each a reset link (once per
    task result: a re-run of this same task sends nothing); retry later if the mail
    server fails."""
    try:
        return services.password_reset_email_send(
            email=email,
            domain=domain,
            use_https=use_https,
            language=language,
            run_id=str(context.task_result.id),
        )
    except (smtplib.SMTPException, OSError):
        backend = password_reset_email.get_backend()
        if attempt < len(MAIL_RETRY_DELAYS) and backend.supports_defer:
            when = clock.now() + timedelta(seconds=MAIL_RETRY_DELAYS[attempt])
            password_reset_email.using(run_after=when).enqueue(
                email, domain, use_https, language, attempt + 1
            )
            logger.warning("password reset e-mail: retry at %s", when)
        raise


@task()
def access_log_purge() -> int:
    return services.access_log_purge()


@task()
def login_failures_purge() -> int:
    return services.login_failures_purge()


@task()
def tasks_requeue_stale() -> int:
    """Re-queue tasks whose worker died (RUNNING past their lease)."""
    return services.tasks_requeue_stale()
