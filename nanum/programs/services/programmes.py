"""Writes of programmes: create, edit, publish or cancel, add sessions.

Every function is keyword-only, runs in one transaction, writes an audit row and sends
notifications after commit. A refusal raises a DomainError and changes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import DomainError, InvalidInput
from nanum.core.models import Organisation, User
from nanum.core.services import Message, audit_record, snapshot

from ..models import Application, Programme, ResidentialStay, Session
from ..selectors import residential as residential_selectors
from ..selectors import town_services
from ._common import _check_organiser, _notify


@dataclass(frozen=True, kw_only=True)
class ProgrammeInput:
    """What an organiser states about a programme (the form and the API both build it)."""

    name_ko: str
    kind: str
    audience: str
    capacity: int
    apply_opens_at: datetime
    apply_closes_at: datetime
    name_en: str = ""
    description_ko: str = ""
    description_en: str = ""
    grade_min: int | None = None
    grade_max: int | None = None
    prerequisites: str = ""
    selection: str = Programme.Selection.FCFS
    priority_share: Decimal = Decimal("0")
    priority_need_index: Decimal = Decimal("0.600")
    completion_percent: int = 80
    hours: Decimal | None = None
    offer_hours: int = 48


DRAW_RULES = ("selection", "capacity", "priority_share", "priority_need_index")


def _validate_programme(p: Programme) -> None:
    errors: dict[str, list[Any]] = {}
    if p.apply_closes_at <= p.apply_opens_at:
        errors["apply_closes_at"] = [_("Applications must close after they open.")]
    if p.grade_min and p.grade_max and p.grade_max < p.grade_min:
        errors["grade_max"] = [_("The highest grade is below the lowest grade.")]
    for name in ("grade_min", "grade_max"):
        value = getattr(p, name)
        if value is not None and not 1 <= value <= 12:
            errors[name] = [_("Grades run from 1 to 12.")]
    if not Decimal(0) <= Decimal(p.priority_share) <= Decimal(1):
        errors["priority_share"] = [_("Give a share between 0 and 1.")]
    if p.kind == Programme.Kind.TEACHER_TRAINING and not p.hours:
        errors["hours"] = [_("Teacher training must state its hours.")]
    if errors:
        raise InvalidInput(field_errors=errors)


@transaction.atomic
def programme_create(
    *, actor: User, organiser: Organisation, programme: ProgrammeInput
) -> Programme:
    _check_organiser(actor, organiser)
    p = Programme(
        tenant=organiser.tenant,
        organiser=organiser,
        lottery_seed=secrets.randbits(62),
        **asdict(programme),
    )
    _validate_programme(p)
    p.save()
    audit_record(
        actor=actor,
        action="programme.create",
        obj=p,
        tenant=p.tenant,
        after=snapshot(p),
    )
    return p


@transaction.atomic
def programme_update(
    *, actor: User, programme: Programme, changes: ProgrammeInput
) -> Programme:
    p = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_organiser(actor, p.organiser)
    before = snapshot(p)
    new = asdict(changes)
    if p.drawn_at and any(new[k] != getattr(p, k) for k in DRAW_RULES):
        raise DomainError(
            _("The draw has taken place; its rules can no longer change."),
            code="already_drawn",
        )
    for k, v in new.items():
        setattr(p, k, v)
    _validate_programme(p)
    p.save()
    audit_record(
        actor=actor,
        action="programme.update",
        obj=p,
        tenant=p.tenant,
        before=before,
        after=snapshot(p),
    )
    return p


@transaction.atomic
def programme_set_status(
    *, actor: User, programme: Programme, status: str
) -> Programme:
    p = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_organiser(actor, p.organiser)
    if status not in Programme.Status.values:
        raise InvalidInput(field_errors={"status": [_("Unknown status.")]})
    if status == Programme.Status.PUBLISHED and not p.sessions.exists():
        raise DomainError(
            _("Add at least one session before publishing."), code="no_sessions"
        )
    if status == Programme.Status.PUBLISHED and p.kind == Programme.Kind.RESIDENTIAL:
        _check_residential_publishable(p)
    if status == Programme.Status.PUBLISHED and town_services.service_missing_for(
        kind=p.kind, tenant=p.tenant_id
    ):
        raise DomainError(
            _(
                "This town does not offer camps: its officers can switch the camp "
                "service on in the town's settings before a camp is published."
            ),
            code="service_off",
        )
    before = p.status
    p.status = status
    p.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="programme.status",
        obj=p,
        tenant=p.tenant,
        before={"status": before},
        after={"status": status},
    )
    if status == Programme.Status.CANCELLED:
        for app in p.applications.filter(status__in=Application.ACTIVE):
            _notify(
                app.applied_by,
                "programs.cancelled",
                Message(_("Programme cancelled: %(name)s"), name=p.name),
            )
    return p


def _check_residential_publishable(p: Programme) -> None:
    """A residential programme opens only in a town with the dormitory service on,
    with its nights and at least one room."""
    if not residential_selectors.town_offers_residential(p.tenant_id):
        raise DomainError(
            _(
                "This town does not offer residential programmes: its officers can "
                "switch the service on in the town's settings."
            ),
            code="service_off",
        )
    if not ResidentialStay.objects.filter(programme=p).exists():
        raise DomainError(
            _("Set the nights of the stay before publishing."), code="no_stay"
        )
    if not p.rooms.exists():
        raise DomainError(
            _("Add at least one room before publishing."), code="no_rooms"
        )


@transaction.atomic
def session_add(
    *,
    actor: User,
    programme: Programme,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    place: str = "",
    online_url: str = "",
    instructor: str = "",
) -> Session:
    p = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_organiser(actor, p.organiser)
    s = Session(
        programme=p,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        place=place,
        online_url=online_url,
        instructor=instructor,
    )
    errors: dict[str, list[Any]] = {}
    if not s.starts_at or not s.ends_at or s.ends_at <= s.starts_at:
        errors["ends_at"] = [_("A session must end after it starts.")]
    if not s.place and not s.online_url:
        errors["place"] = [_("Give a place or an online link.")]
    if capacity < p.capacity:
        errors["capacity"] = [
            _("The session holds fewer people than the programme has places.")
        ]
    if errors:
        raise InvalidInput(field_errors=errors)
    s.save()
    audit_record(
        actor=actor,
        action="programme.session_add",
        obj=s,
        tenant=p.tenant,
        after=snapshot(s),
    )
    return s
