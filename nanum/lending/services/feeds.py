"""The teacher's iCal feed: a secret address for their reservations.

The owner can make a new address (the old one stops working at once) or switch the
feed off; both are audited (the secret itself never goes into the audit log).
"""

from __future__ import annotations

import secrets

from django.db import transaction

from nanum.core.errors import NotFound
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


@transaction.atomic
def calendar_feed_rotate(*, actor: User) -> CalendarFeed:
    """Give the actor's feed a new secret address; the old address is dead at once."""
    feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
    if feed is None:
        raise NotFound()
    feed.token = secrets.token_urlsafe()
    feed.full_clean()
    feed.save(update_fields=["token"])
    audit_record(actor=actor, action="lending.feed.rotate", obj=feed)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> None:
    """Switch the actor's feed off: its address stops working; a new one can be made."""
    feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
    if feed is None:
        raise NotFound()
    audit_record(
        actor=actor,
        action="lending.feed.revoke",
        object_type=CalendarFeed._meta.label,
        object_id=str(feed.pk),
    )
    feed.delete()
