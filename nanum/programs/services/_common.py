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


def _nominator_message(app: Application) -> Any:
    if app.status == A.SELECTED:
        return _("You nominated %(person)s for %(name)s: they have a place.")
    if app.status == A.WAITLISTED:
        return _(
            "You nominated %(person)s for %(name)s: it is full; they are number "
            "%(pos)s on the waiting list."
        )
    return _(
        "You nominated %(person)s for %(name)s: the draw is after the period closes."
    )


def _tell_applicant(app: Application, url: str | None = None) -> None:
    """Tell the person who takes part their outcome; a teacher who nominated a pupil
    is told about the pupil, never as if the teacher had the place."""
    p = app.programme
    url = url or _mine_url()
    nominated = app.participant_id and app.participant_id != app.applied_by_id
    with override(app.applied_by.preferred_language or "ko"):
        message = _nominator_message(app) if nominated else _outcome_message(app)
        msg = str(message) % {
            "name": p.name,
            "pos": app.waitlist_position,
            "person": app.person_name,
        }
    _notify(app.applied_by, "programs.application", msg, url=url)
    if nominated:
        participant = app.participant
        assert participant is not None, "participant_id is set"
        with override(participant.preferred_language or "ko"):
            own = str(_outcome_message(app)) % {
                "name": p.name,
                "pos": app.waitlist_position,
            }
        _notify(participant, "programs.application", own, url=url)
