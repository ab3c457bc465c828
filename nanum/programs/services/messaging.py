"""Organisers write to everyone with a place in their programme."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import InvalidInput
from nanum.core.models import User
from nanum.core.services import audit_record, notification_send

from .. import selectors
from ..models import Application

MAX_SUBJECT = 120
MAX_BODY = 2000


@transaction.atomic
def programme_message_send(
    *, actor: User, programme_id: int, subject: str, body: str
) -> int:
    """Send one message (in-app and e-mail) to every participant holding a place in a
    programme ``actor`` runs (the guardian for a child); returns how many were told."""
    p = selectors.organiser_programme_get(actor=actor, pk=programme_id)
    subject, body = (subject or "").strip(), (body or "").strip()
    errors: dict[str, list[Any]] = {}
    if not subject or len(subject) > MAX_SUBJECT:
        errors["subject"] = [_("Write a subject (up to 120 characters).")]
    if not body or len(body) > MAX_BODY:
        errors["body"] = [_("Write a message (up to 2000 characters).")]
    if errors:
        raise InvalidInput(field_errors=errors)
    recipients: dict[int, User] = {}
    for app in selectors.organiser_applications(programme=p).filter(
        status__in=Application.HOLDS_PLACE
    ):
        person = app.participant if app.participant_id else app.applied_by
        assert person is not None, "an application has a participant or a guardian"
        recipients.setdefault(person.pk, person)
    if not recipients:
        raise InvalidInput(
            field_errors={"body": [_("Nobody has a place in this programme yet.")]}
        )
    url = reverse("programs:mine")
    for person in recipients.values():
        notification_send(
            user=person,
            kind="programs.message",
            subject=f"[{p.name}] {subject}",
            body=body,
            url=url,
        )
    audit_record(
        actor=actor,
        action="programme.message",
        obj=p,
        tenant=p.tenant,
        after={"recipients": len(recipients), "subject": subject},
    )
    return len(recipients)
