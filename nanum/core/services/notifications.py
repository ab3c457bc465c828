"""Notifications: stored in-app; the e-mail is queued in the same transaction (outbox).

Subjects and bodies are rendered in the recipient's saved language when they are sent,
never in the language of whoever triggered them: pass ``gettext_lazy`` strings, a
``Message(template, **params)`` (a lazy template with its arguments) or a callable, and
``notification_send`` renders them under the recipient's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.functional import Promise

# services -> tasks is the documented cycle: a module import, resolved at call time.
from nanum.core import clock, tasks
from nanum.core.models import Notification, User

from .channels import text_channels_of, wants_email
from .outbox import tasks_enqueue


class Message:
    """A lazy text with its arguments, rendered only in the reader's language.

    ``Message(_("%(model)s is ready"), model=name)``; an argument may itself be lazy
    (a ``gettext_lazy`` string, another ``Message``, a callable), a date or a datetime
    (shown in the reader's language's ``DATE_FORMAT`` / ``DATETIME_FORMAT``).
    """

    __slots__ = ("params", "template")

    def __init__(self, template: str | Promise, /, **params: Any) -> None:
        self.template = template
        self.params = params

    def __str__(self) -> str:
        text = str(self.template)
        if not self.params:
            return text
        return text % {key: _param(value) for key, value in self.params.items()}

    def __repr__(self) -> str:
        return f"Message({self.template!r}, **{self.params!r})"


Text = str | Promise | Message | Callable[[], str]


def _param(value: Any) -> Any:
    if isinstance(value, (Promise, Message)):
        return str(value)
    if callable(value):
        return str(value())
    if isinstance(value, datetime.datetime):
        return formats.date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value,
            "DATETIME_FORMAT",
        )
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return value


def render_text(value: Text) -> str:
    """``value`` as a string in the active language."""
    if isinstance(value, str):
        return value
    if isinstance(value, (Promise, Message)):
        return str(value)
    return str(value())


def user_language(user: User) -> str:
    """The language ``user`` reads Nanum in (their saved choice)."""
    return user.preferred_language or settings.LANGUAGE_CODE


def absolute_url(url: str) -> str:
    """``url`` on the public site (``NANUM_SITE_URL``): e-mails never carry a path."""
    if not url or "://" in url:
        return url
    base = str(settings.NANUM_SITE_URL).rstrip("/")
    return f"{base}/{url.lstrip('/')}"


def notification_send(
    *,
    user: User,
    kind: str,
    subject: Text,
    body: Text = "",
    url: str = "",
    email: bool = True,
) -> Notification:
    """Store an in-app notification and queue its e-mail with it (sent by the worker).

    ``subject`` and ``body`` are rendered in the recipient's saved language.
    """
    with translation.override(user_language(user)):
        subject_text = render_text(subject)
        body_text = render_text(body)
    note = Notification.objects.create(
        user=user, kind=kind, subject=subject_text[:200], body=body_text, url=url[:300]
    )
    if email and user.email and wants_email(user):
        tasks_enqueue(tasks.notification_email, note.pk)
    if text_channels_of(user):
        tasks_enqueue(tasks.notification_channels, note.pk)
    return note


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification at most once; safe to run twice, or concurrently.

    The row is claimed (``emailed_at`` set where it was empty) and the mail sent in one
    transaction: a second run finds it claimed and sends nothing; if sending fails or the
    worker dies, the claim rolls back and a later run sends it. The link in the mail is
    absolute (``NANUM_SITE_URL``).
    """
    note = (
        Notification.objects.select_related("user").filter(pk=notification_id).first()
    )
    if note is None or note.emailed_at or not note.user.email:
        return False
    with transaction.atomic():
        claimed = Notification.objects.filter(
            pk=note.pk, emailed_at__isnull=True
        ).update(emailed_at=clock.now())
        if not claimed:
            return False
        link = absolute_url(note.url)
        send_mail(
            subject=f"[{settings.NANUM_SITE_NAME}] {note.subject}",
            message=note.body + (f"\n\n{link}" if link else ""),
            from_email=None,
            recipient_list=[note.user.email],
        )
    return True


@transaction.atomic
def notification_mark_read(*, actor: User, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=clock.now())
