"""Two students race for one counselling slot: exactly one booking, never two."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from nanum.core.testing import race
from nanum.mentoring import services
from nanum.mentoring.models import CounsellingBooking


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_racing_bookings_give_one_booking(world, eligible, new_student):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions (PostgreSQL)")
    students = [eligible(new_student(), world.seoul) for _ in range(6)]
    start = timezone.now() + timedelta(days=2)
    slot = services.slot_publish(
        actor=world.counsellor, starts_at=start, ends_at=start + timedelta(minutes=50)
    )
    outcomes = race(
        [
            partial(
                services.booking_create,
                actor=s,
                slot_id=slot.pk,
                topic="career",
                question="진로",
            )
            for s in students
        ]
    )
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"slot_taken", "slot_unavailable"}
    assert CounsellingBooking.objects.filter(slot=slot, status="booked").count() == 1


@pytest.mark.django_db
def test_a_slot_time_without_zone_is_read_as_seoul_time(world, policies):
    naive = (timezone.localtime() + timedelta(days=1)).replace(tzinfo=None)
    slot = services.slot_publish(
        actor=world.counsellor, starts_at=naive, ends_at=naive + timedelta(minutes=30)
    )
    assert timezone.localtime(slot.starts_at).replace(tzinfo=None) == naive
