"""Password reset: the request is answered at once; the look-up and e-mail run in a task.

Whether the address belongs to an account or not, the request does the same work
(queue one task) and gets the same answer, so its timing reveals nothing.
"""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

# services -> tasks is the documented cycle: a module import, resolved at call time.
from nanum.core import tasks

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


def password_reset_email_send(
    *, email: str, domain: str, use_https: bool, language: str
) -> int:
    """Send a reset link to every active account with this address (usually one or
    none), in ``language``. Returns how many were sent."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    users = list(form.get_users(form.cleaned_data["email"]))
    if users:
        with translation.override(language):
            form.save(
                domain_override=domain,
                use_https=use_https,
                subject_template_name=SUBJECT_TEMPLATE,
                email_template_name=EMAIL_TEMPLATE,
            )
    return len(users)
