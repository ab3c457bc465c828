"""A guardian opens the mentoring of a linked child (sessions and the mentor's
reports, never the staff-only concerns); the opening is access-logged."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from nanum.core import clock
from nanum.core.models import User
from nanum.core.services import access_record
from nanum.learning import selectors as learning_selectors

from ..models import Match, Session

SESSIONS_SHOWN = 20


@dataclass(frozen=True)
class ChildMentoring:
    child: User
    matches: list[Match]
    sessions: list[Session]  # held, missed or cancelled: latest first, with reports
    upcoming: list[Session]  # the next scheduled ones


def child_mentoring_open(
    *, actor: User, child_id: int, request: HttpRequest | None = None
) -> ChildMentoring:
    """The child's pairs and latest sessions with their reports. Someone else's
    child is not found (learning's guardian link decides)."""
    link = learning_selectors.guarded_child_get(actor=actor, child_id=child_id)
    child = link.child
    matches = list(
        Match.objects.filter(student=child)
        .exclude(status=Match.Status.PROPOSED)
        .select_related("mentor__user", "tenant")
        .order_by("-pk")
    )
    now = clock.now()
    sessions = list(
        Session.objects.filter(match__in=matches, starts_at__lte=now)
        .select_related("report", "match__mentor__user")
        .order_by("-starts_at")[:SESSIONS_SHOWN]
    )
    upcoming = list(
        Session.objects.filter(
            match__in=matches, starts_at__gt=now, status=Session.Status.SCHEDULED
        )
        .select_related("match__mentor__user")
        .order_by("starts_at")[:3]
    )
    if matches:
        access_record(
            actor=actor,
            action="view",
            subject=child,
            object_type="mentoring.Match",
            record_count=len(sessions),
            tenant=matches[0].tenant,
            request=request,
            purpose="guardian",
        )
    return ChildMentoring(
        child=child, matches=matches, sessions=sessions, upcoming=upcoming
    )
