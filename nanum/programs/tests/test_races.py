"""Races: many teachers book one lab slot, many students take the last places at once."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from nanum.core.models import Organisation, Role
from nanum.core.testing import make_user, race
from nanum.programs import services
from nanum.programs.models import Application, LabBooking
from nanum.programs.tests.helpers import make_programme

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
]


def test_eight_teachers_race_for_one_slot_and_one_wins(world):
    school = Organisation.objects.create(
        code="sci-hs",
        kind="school",
        school_level="high",
        tenant=world.seoul,
        name_ko="과학고",
    )
    lab = Organisation.objects.create(
        code="openlab-x",
        kind="lending_point",
        point_type="open_lab",
        tenant=world.seoul,
        parent=school,
        name_ko="개방형 실험실",
    )
    start = timezone.now() + timedelta(days=3)
    slot = services.lab_slot_create(
        actor=world.admin,
        lab=lab,
        room="1실",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    teachers = [
        make_user(f"race.t{i}", Role.TEACHER, world.small_school) for i in range(8)
    ]
    results = race(
        [
            partial(
                services.lab_book,
                actor=teachers[i],
                slot_id=slot.pk,
                class_name=f"{i}-1",
                students=10,
            )
            for i in range(8)
        ]
    )
    assert results.count("ok") == 1 and results.count("slot_taken") == 7
    assert LabBooking.objects.filter(slot=slot, status="booked").count() == 1


def test_first_come_places_are_never_oversold(world):
    p = make_programme(
        world.centre_staff, world.centre, capacity=3, grade_min=1, grade_max=12
    )
    students = [
        make_user(f"race.s{i}", Role.STUDENT, world.middle_school, birth_year=2012)
        for i in range(10)
    ]
    results = race(
        [partial(services.application_apply, actor=s, programme=p) for s in students]
    )
    assert results.count("ok") == 10
    assert Application.objects.filter(programme=p, status="selected").count() == 3
    positions = sorted(
        pos
        for pos in Application.objects.filter(
            programme=p, status="waitlisted"
        ).values_list("waitlist_position", flat=True)
        if pos is not None
    )
    assert positions == list(range(1, 8))
