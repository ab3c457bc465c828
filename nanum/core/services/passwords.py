"""Password reset: the request is answered at once; the look-up and e-mail run in a task.

Whether the address belongs to an account or not, the request does the same work
(queue one task) and gets the same answer, so its timing reveals nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import loader
from django.utils import translation

# services -> tasks is the documented cycle: a module import, resolved at call time.
from nanum.core import tasks

from ..models import IdempotencyRecord, User
from .outbox import tasks_enqueue

SUBJECT_TEMPLATE = "core/password_reset_subject.txt"
EMAIL_TEMPLATE = "core/password_reset_email.txt"


def password_reset_request(
    *, email: str, domain: str, use_https: bool, language: str
) -> None:
    """Queue the reset e-mail for ``email`` (sent only if an active account has it)."""
    tasks_enqueue(
        tasks.password_reset_email,
        email=email,
        domain=domain,
        use_https=use_https,
        language=language,
    )


class _ResetOnceForm(PasswordResetForm):
    """The reset form that sends to each account at most once per ``run_id``.

    The claim (an ``IdempotencyRecord`` keyed by the run) is written before the
    e-mail, in the caller's transaction: a failed send rolls it back (a retry sends),
    a repeated run finds it and sends nothing.
    """

    def __init__(self, *args: Any, run_id: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run_id = run_id
        self.sent = 0

    def get_users(self, email: str) -> Iterator[User]:
        for user in super().get_users(email):
            if self.run_id is None or _claim(user, self.run_id):
                self.sent += 1
                yield user

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """As Django's, but a failed send raises (Django only logs it): the claim is
        rolled back and the task fails, so its retry sends the link."""
        subject = "".join(
            loader.render_to_string(subject_template_name, context).splitlines()
        )
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            html = loader.render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        message.send()


RUN_KEY = "task:password_reset:{}"


def _claim(user: User, run_id: str) -> bool:
    """Record that run ``run_id`` sends ``user`` a reset link; False if it already did."""
    _record, created = IdempotencyRecord.objects.get_or_create(
        user=user,
        key=RUN_KEY.format(run_id),
        defaults={
            "method": "TASK",
            "path": tasks.password_reset_email.module_path,
            "request_hash": "",
            "status_code": 200,
            "response_body": {},
        },
    )
    return created


def password_reset_email_send(
    *,
    email: str,
    domain: str,
    use_https: bool,
    language: str,
    run_id: str | None = None,
) -> int:
    """Send a reset link to every active account with this address (usually one or
    none), in ``language``. Returns how many were sent.

    With ``run_id`` (the task run's id) it is safe to run twice: each account's link
    is recorded with the run in the transaction that sends it, so a repeated run of
    the same task sends nothing (and a run whose send failed sends on its retry).
    """
    form = _ResetOnceForm({"email": email}, run_id=run_id)
    if not form.is_valid():
        return 0
    with transaction.atomic(), translation.override(language):
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=SUBJECT_TEMPLATE,
            email_template_name=EMAIL_TEMPLATE,
        )
    return form.sent
