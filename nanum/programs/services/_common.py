"""Helpers of the programme services: notifications, refusals, the organiser check."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from nanum.core.errors import DomainError, PermissionDenied
from nanum.core.models import Organisation, User
from nanum.core.services import notification_send

from .. import selectors
from ..models import Application

A = Application.Status


def _notify(user: User, kind: str, subject: Any, body: Any = "", url: str = "") -> None:
    with override(user.preferred_language or "ko"):
        notification_send(
            user=user, kind=kind, subject=str(subject), body=str(body), url=url
        )


def _mine_url() -> str:
    return reverse("programs:mine")


def _check_organiser(actor: User, organiser: Organisation) -> None:
    ids = selectors.managed_org_ids(actor)
    if ids is not None and organiser.pk not in ids:
        raise PermissionDenied(_("You do not run programmes for this organisation."))


def _refuse(message: Any, code: str) -> DomainError:
    return DomainError(message, code=code, status=409)


def _outcome_message(app: Application) -> Any:
    if app.status == A.SELECTED:
        return _("You have a place in %(name)s.")
    if app.status == A.WAITLISTED:
        return _("%(name)s is full; you are number %(pos)s on the waiting list.")
    return _(
        "Your application to %(name)s was received; the draw is after the period closes."
    )


def _tell_applicant(app: Application, url: str | None = None) -> None:
    p = app.programme
    url = url or _mine_url()
    with override(app.applied_by.preferred_language or "ko"):
        msg = str(_outcome_message(app)) % {
            "name": p.name,
            "pos": app.waitlist_position,
        }
    _notify(app.applied_by, "programs.application", msg, url=url)
    if app.participant_id and app.participant_id != app.applied_by_id:
        participant = app.participant
        assert participant is not None, "participant_id is set"
        _notify(participant, "programs.application", msg, url=url)
