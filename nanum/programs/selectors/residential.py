"""Reads of residential programmes: who is a minor, who may consent for them, what a
place still lacks, the roster, and the pages of a participant and a guardian.

The town's "dormitory" service switch and the guardian links of Seoul Learn are read
through ``nanum.learning.selectors`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import Tenant, User
from nanum.learning import selectors as learning_selectors

from ..models import Application, Programme, Room
from .programmes import organiser_programme_get

RESIDENTIAL_SERVICE = "dormitory"
ADULT_AGE = 19  # the Youth Protection Act counts by year: under 19 needs a guardian
MISSING_CONSENT = "consent"
MISSING_CONTACT = "contact"


def town_offers_residential(tenant: Tenant | int) -> bool:
    """Whether the town switched its residential (dormitory) service on."""
    return learning_selectors.tenant_offers(tenant=tenant, service=RESIDENTIAL_SERVICE)


def stays_link_shown(*, actor: User) -> bool:
    """Whether the 'residential stays and consents' link leads ``actor`` somewhere: a
    town of theirs (or of their child) offers residential programmes, or they have a
    residential application of their own or of a child to look at. As the menu does
    for counselling and & Jump (``nanum.core.navigation``)."""
    if not actor.is_authenticated:
        return False
    if RESIDENTIAL_SERVICE in learning_selectors.services_offered_to(actor):
        return True
    children = linked_children_ids(actor)
    return Application.objects.filter(
        Q(applied_by=actor)
        | Q(participant=actor)
        | Q(child__guardian=actor)
        | Q(participant_id__in=children),
        programme__kind=Programme.Kind.RESIDENTIAL,
    ).exists()


def is_minor(app: Application, today: date | None = None) -> bool:
    """A guardian's child is a minor; so is a student under 19 by year or whose birth
    year is unknown (when in doubt, a guardian is asked). Teachers are adults."""
    if app.child_id is not None:
        return True
    if app.programme.audience == Programme.Audience.TEACHERS:
        return False
    year = app.participant.birth_year if app.participant else None
    if year is None:
        return True
    return (today or clock.today()).year - year < ADULT_AGE


def linked_children_ids(guardian: User) -> set[int]:
    """Users a guardian is linked to in Seoul Learn."""
    return set(
        learning_selectors.child_links(actor=guardian).values_list(
            "child_id", flat=True
        )
    )


def may_consent(guardian: User, app: Application) -> bool:
    """The guardian who added the child, or a guardian linked to the participant."""
    if app.child_id is not None:
        return bool(app.child and app.child.guardian_id == guardian.pk)
    return app.participant_id in linked_children_ids(guardian)


def place_missing(app: Application, today: date | None = None) -> list[str]:
    """What a residential place still lacks before it is confirmed."""
    missing = []
    if is_minor(app, today) and not hasattr(app, "guardian_consent"):
        missing.append(MISSING_CONSENT)
    if not app.emergency_contacts.all():
        missing.append(MISSING_CONTACT)
    return missing


def _with_residential(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.select_related(
        "programme__stay",
        "programme__organiser",
        "participant",
        "child",
        "guardian_consent__guardian",
        "room_assignment__room",
    ).prefetch_related("emergency_contacts")


@dataclass(frozen=True)
class RosterRow:
    application: Application
    minor: bool
    missing: list[str]
    room: Room | None


@dataclass(frozen=True)
class RoomRow:
    room: Room
    taken: int

    @property
    def free(self) -> int:
        return self.room.capacity - self.taken


def residential_programme_get(*, actor: User, pk: int) -> Programme:
    """A residential programme ``actor`` runs; ``NotFound`` otherwise."""
    p = organiser_programme_get(actor=actor, pk=pk)
    if p.kind != Programme.Kind.RESIDENTIAL:
        raise NotFound()
    return p


def rooms_of(programme: Programme) -> list[RoomRow]:
    rooms = list(programme.rooms.all())
    taken: dict[int, int] = {}
    for room_id in programme.rooms.values_list("assignments__room_id", flat=True):
        if room_id is not None:
            taken[room_id] = taken.get(room_id, 0) + 1
    return [RoomRow(room=r, taken=taken.get(r.pk, 0)) for r in rooms]


def roster(programme: Programme) -> list[RosterRow]:
    """Everyone holding a place, with what their place lacks and their room."""
    today = clock.today()
    apps = _with_residential(
        programme.applications.filter(status__in=Application.HOLDS_PLACE)
    ).order_by("created_at", "pk")
    return [
        RosterRow(
            application=a,
            minor=is_minor(a, today),
            missing=place_missing(a, today),
            room=a.room_assignment.room if hasattr(a, "room_assignment") else None,
        )
        for a in apps
    ]


def stay_application_get(*, actor: User, pk: int) -> Application:
    """A residential application the actor applied for, holds, or guards."""
    app = (
        _with_residential(
            Application.objects.filter(
                pk=pk, programme__kind=Programme.Kind.RESIDENTIAL
            )
        )
        .filter(status__in=Application.ACTIVE)
        .first()
    )
    if app is None:
        raise NotFound()
    if actor.pk in (app.applied_by_id, app.participant_id) or may_consent(actor, app):
        return app
    raise NotFound()


def consents_pending(*, actor: User) -> list[Application]:
    """Residential applications of the actor's children that wait for consent."""
    children = linked_children_ids(actor)
    apps = _with_residential(
        Application.objects.filter(
            Q(child__guardian=actor) | Q(participant_id__in=children),
            programme__kind=Programme.Kind.RESIDENTIAL,
            status__in=Application.ACTIVE,
            guardian_consent__isnull=True,
        )
    ).order_by("created_at", "pk")
    return [a for a in apps if is_minor(a)]


def my_stays(*, actor: User) -> list[Application]:
    """Residential applications the actor made or holds (for the 'my stays' links)."""
    return list(
        _with_residential(
            Application.objects.filter(
                Q(applied_by=actor) | Q(participant=actor),
                programme__kind=Programme.Kind.RESIDENTIAL,
                status__in=Application.ACTIVE,
            )
        ).order_by("created_at", "pk")
    )
