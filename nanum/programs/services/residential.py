"""Writes of residential programmes: the stay's nights, rooms, the roster (room
assignments), a guardian's consent and emergency contacts; and the organiser's
"open" of the roster, which writes the access-log row.

Every refusal raises a DomainError with a message in the user's language and changes
nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import InvalidInput, NotFound
from nanum.core.models import User
from nanum.core.services import access_record, audit_record

from ..models import (
    Application,
    EmergencyContact,
    GuardianConsent,
    Programme,
    ResidentialStay,
    Room,
    RoomAssignment,
)
from ..selectors import residential as res
from ._common import _check_organiser, _refuse

# Korean phone numbers: 010-1234-5678, 02-123-4567, 043 123 4567, +82 10 1234 5678.
PHONE_RE = re.compile(r"^(?:\+82[- ]?|0)(?:\d[- ]?){8,10}\d$")
MAX_CONTACTS = 3


def _locked_programme(actor: User, programme: Programme) -> Programme:
    p = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_organiser(actor, p.organiser)
    if p.kind != Programme.Kind.RESIDENTIAL:
        raise _refuse(_("This is not a residential programme."), "not_residential")
    return p


@transaction.atomic
def stay_set(
    *,
    actor: User,
    programme: Programme,
    check_in: date | None,
    check_out: date | None,
    place: str,
) -> ResidentialStay:
    """Set (or change) the nights and the place of the stay."""
    p = _locked_programme(actor, programme)
    errors: dict[str, list[Any]] = {}
    if check_in is None:
        errors["check_in"] = [_("Give the check-in day.")]
    if check_out is None:
        errors["check_out"] = [_("Give the check-out day.")]
    elif check_in is not None and check_out <= check_in:
        errors["check_out"] = [
            _("Check-out must be at least one night after check-in.")
        ]
    elif check_in is not None and (check_out - check_in).days > 30:
        errors["check_out"] = [_("A stay lasts at most 30 nights.")]
    if not place.strip():
        errors["place"] = [_("Say where the participants stay.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    assert check_in is not None and check_out is not None
    stay, _created = ResidentialStay.objects.update_or_create(
        programme=p,
        defaults={"check_in": check_in, "check_out": check_out, "place": place.strip()},
    )
    audit_record(
        actor=actor,
        action="programme.stay_set",
        obj=p,
        tenant=p.tenant,
        after={"check_in": str(check_in), "check_out": str(check_out)},
    )
    return stay


@transaction.atomic
def room_add(
    *, actor: User, programme: Programme, name: str, capacity: int | None, gender: str
) -> Room:
    p = _locked_programme(actor, programme)
    errors: dict[str, list[Any]] = {}
    name = name.strip()
    if not name:
        errors["name"] = [_("Name the room.")]
    elif p.rooms.filter(name=name).exists():
        errors["name"] = [_("This programme already has a room of that name.")]
    if capacity is None or not 1 <= capacity <= 50:
        errors["capacity"] = [_("A room has 1 to 50 beds.")]
    if gender not in Room.Gender.values:
        errors["gender"] = [_("Choose who the room is for.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    room = Room.objects.create(
        programme=p, name=name, capacity=capacity or 1, gender=gender
    )
    audit_record(
        actor=actor,
        action="programme.room_add",
        obj=room,
        tenant=p.tenant,
        after={"name": name, "capacity": capacity, "gender": gender},
    )
    return room


@transaction.atomic
def room_assign(
    *, actor: User, programme: Programme, application_id: int, room_id: int | None
) -> RoomAssignment | None:
    """Put a confirmed participant in a room (``room_id`` None takes them out)."""
    p = _locked_programme(actor, programme)
    app = (
        Application.objects.filter(pk=application_id, programme=p)
        .select_related("participant", "child")
        .first()
    )
    if app is None or app.status not in Application.HOLDS_PLACE:
        raise NotFound()
    if room_id is None:
        RoomAssignment.objects.filter(application=app).delete()
        audit_record(
            actor=actor, action="programme.room_unassign", obj=app, tenant=p.tenant
        )
        return None
    room = Room.objects.select_for_update().filter(pk=room_id, programme=p).first()
    if room is None:
        raise InvalidInput(
            field_errors={"room": [_("Choose one of this programme's rooms.")]}
        )
    missing = res.place_missing(app)
    if res.MISSING_CONSENT in missing:
        raise _refuse(
            _(
                "The guardian has not consented yet: a minor gets a room only after that."
            ),
            "consent_missing",
        )
    if res.MISSING_CONTACT in missing:
        raise _refuse(
            _(
                "No emergency contact yet: a participant gets a room only after one is given."
            ),
            "contact_missing",
        )
    taken = room.assignments.exclude(application=app).count()
    if taken >= room.capacity:
        raise _refuse(
            _("%(room)s is full (%(beds)d beds).")
            % {"room": room.name, "beds": room.capacity},
            "room_full",
        )
    assignment, _created = RoomAssignment.objects.update_or_create(
        application=app, defaults={"room": room, "assigned_by": actor}
    )
    audit_record(
        actor=actor,
        action="programme.room_assign",
        obj=app,
        tenant=p.tenant,
        after={"room": room.name},
    )
    return assignment


@transaction.atomic
def consent_give(*, actor: User, application_id: int) -> GuardianConsent:
    """The guardian consents to the minor's overnight stay."""
    app = res.stay_application_get(actor=actor, pk=application_id)
    if not res.may_consent(actor, app):
        raise _refuse(
            _("Only the participant's guardian can consent to the stay."),
            "not_guardian",
        )
    if hasattr(app, "guardian_consent"):
        raise _refuse(_("The guardian has already consented."), "duplicate")
    try:
        with transaction.atomic():
            consent = GuardianConsent.objects.create(application=app, guardian=actor)
    except IntegrityError:  # a second tab won the race
        raise _refuse(_("The guardian has already consented."), "duplicate") from None
    audit_record(
        actor=actor,
        action="programme.guardian_consent",
        obj=app,
        tenant=app.programme.tenant,
    )
    return consent


@transaction.atomic
def emergency_contact_add(
    *, actor: User, application_id: int, name: str, relation: str, phone: str
) -> EmergencyContact:
    """The participant or their guardian names someone to call during the stay."""
    app = res.stay_application_get(actor=actor, pk=application_id)
    errors: dict[str, list[Any]] = {}
    name, relation, phone = name.strip(), relation.strip(), phone.strip()
    if not name:
        errors["name"] = [_("Give the contact's name.")]
    elif len(name) > 60:
        errors["name"] = [_("A name has at most 60 characters.")]
    if not relation:
        errors["relation"] = [_("Say how the contact is related (e.g. mother).")]
    elif len(relation) > 40:
        errors["relation"] = [_("At most 40 characters.")]
    if not PHONE_RE.match(phone):
        errors["phone"] = [
            _("Give a Korean phone number, e.g. 010-1234-5678 or 043-123-4567.")
        ]
    if not errors and len(app.emergency_contacts.all()) >= MAX_CONTACTS:
        errors["name"] = [_("At most three emergency contacts.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    contact = EmergencyContact.objects.create(
        application=app, name=name, relation=relation, phone=phone, added_by=actor
    )
    audit_record(
        actor=actor,
        action="programme.emergency_contact_add",
        obj=app,
        tenant=app.programme.tenant,
    )
    return contact


@dataclass(frozen=True)
class RosterSheet:
    programme: Programme
    rows: list[res.RosterRow]
    rooms: list[res.RoomRow]


def residential_roster_open(
    *, actor: User, programme_id: int, request: HttpRequest | None = None
) -> RosterSheet:
    """The roster with emergency contacts, for the organiser only (access-logged)."""
    p = res.residential_programme_get(actor=actor, pk=programme_id)
    rows = res.roster(p)
    access_record(
        actor=actor,
        action="view",
        subject=None,
        tenant=p.tenant,
        object_type="programs.EmergencyContact",
        object_id=f"programme:{p.pk}",
        record_count=len(rows),
        request=request,
        purpose="residential roster and emergency contacts",
    )
    return RosterSheet(programme=p, rows=rows, rooms=res.rooms_of(p))
