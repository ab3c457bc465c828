"""Notifications: stored in-app; the e-mail is queued in the same transaction (outbox)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

# services -> tasks is the documented cycle: a module import, resolved at call time.
from nanum.core import clock, tasks
from nanum.core.models import Notification, User

from .outbox import tasks_enqueue


def notification_send(
    *,
    user: User,
    kind: str,
    subject: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> Notification:
    """Store an in-app notification and queue its e-mail with it (sent by the worker)."""
    note = Notification.objects.create(
        user=user, kind=kind, subject=subject[:200], body=body, url=url[:300]
    )
    if email and user.email:
        tasks_enqueue(tasks.notification_email, note.pk)
    return note


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification at most once; safe to run twice, or concurrently.

    The row is claimed (``emailed_at`` set where it was empty) and the mail sent in one
    transaction: a second run finds it claimed and sends nothing; if sending fails or the
    worker dies, the claim rolls back and a later run sends it.
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
        send_mail(
            subject=f"[{settings.NANUM_SITE_NAME}] {note.subject}",
            message=note.body + (f"\n\n{note.url}" if note.url else ""),
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
