"""Two schools race for one visit slot, two staff publish overlapping slots: exactly
one wins each race (real concurrent transactions, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from nanum.core.testing import race
from nanum.lending.models import ResearchRequest, ResearchVisitSlot

from .research_helpers import make_item, publish_slot, request_item

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_requests_for_one_slot_give_one_booking(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions (PostgreSQL)")
    item = make_item(world, lending="on_site")
    slot = publish_slot(world, item)
    who = [(world.teacher, world.small_school), (world.other_teacher, world.big_school)]

    def ask(teacher: Any, school: Any) -> Callable[[], Any]:
        return lambda: request_item(
            world,
            item,
            actor=teacher,
            school_id=school.pk,
            mode="visit",
            slot_id=slot.pk,
            pupils=10,
        )

    outcomes = race([ask(t, s) for t, s in who])
    assert sorted(outcomes) == ["ok", "slot_taken"]
    assert ResearchRequest.objects.filter(slot=slot).count() == 1


def test_two_overlapping_slots_published_at_once_give_one(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions (PostgreSQL)")
    item = make_item(world, lending="on_site")
    outcomes = race(
        [
            lambda: publish_slot(world, item, start="10:00", end="12:00"),
            lambda: publish_slot(world, item, start="11:00", end="13:00"),
        ]
    )
    assert sorted(outcomes) == ["ok", "slot_overlap"]
    assert ResearchVisitSlot.objects.filter(item=item).count() == 1
