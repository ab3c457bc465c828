"""Helpers shared by the learning services: officer checks, bulk notices, errors."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, NotFound, PermissionDenied
from nanum.core.models import Notification, User
from nanum.core.services import Text, render_text

from ..models import Application
from ..selectors import officer_applications, officer_tenant_ids


def require_officer(actor: User | None, tenant_id: int) -> None:
    ids = officer_tenant_ids(actor)
    if ids is not None and tenant_id not in ids:
        raise PermissionDenied()


def officer_application(
    actor: User, application_id: int, *, lock: bool = False
) -> Application:
    """An application the officer may act on; another town's id is simply not found."""
    qs: QuerySet[Application] = officer_applications(actor=actor).select_related(
        "student"
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    app = qs.filter(pk=application_id).first()
    if app is None:
        raise NotFound()
    return app


def notify_bulk(
    users: Iterable[int], *, kind: str, subject: Text, body: Text = "", url: str = ""
) -> int:
    """In-app notifications for many users in one statement (e-mail by a task), each
    in the reader's saved language (one rendering per language)."""
    now = clock.now()
    ids = list(users)
    language_of = dict(
        User.objects.filter(pk__in=ids).values_list("pk", "preferred_language")
    )
    texts: dict[str, tuple[str, str]] = {}
    for language in set(language_of.values()) | {settings.LANGUAGE_CODE}:
        with translation.override(language or settings.LANGUAGE_CODE):
            texts[language] = (render_text(subject)[:200], render_text(body))
    rows = []
    for uid in ids:
        text_subject, text_body = texts[language_of.get(uid, settings.LANGUAGE_CODE)]
        rows.append(
            Notification(
                user_id=uid,
                kind=kind,
                subject=text_subject,
                body=text_body,
                url=url,
                created_at=now,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


class WindowClosed(DomainError):
    status = 409
    code = "window_closed"
    default_message = _("This can only be done in the set windows.")
