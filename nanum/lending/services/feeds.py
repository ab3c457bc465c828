"""The teacher's iCal feed: a secret address for their reservations."""

from __future__ import annotations

from django.db import transaction

from nanum.core.models import User
from nanum.core.services import audit_record

from ..models import CalendarFeed


@transaction.atomic
def calendar_feed_create(*, actor: User) -> CalendarFeed:
    """The actor's feed, created on first use (one per user)."""
    feed, created = CalendarFeed.objects.get_or_create(user=actor)
    if created:
        audit_record(actor=actor, action="lending.feed.create", obj=feed)
    return feed
