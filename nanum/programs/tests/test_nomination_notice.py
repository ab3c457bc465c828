"""A teacher who nominates a pupil is told about the pupil, not as if selected."""

from __future__ import annotations

import pytest
from django.utils import translation

from nanum.core.models import Notification, Role
from nanum.core.testing import make_user
from nanum.programs import services
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


def test_the_nominating_teacher_is_told_the_pupil_has_a_place(world):
    p = make_programme(world.centre_staff, world.centre, grade_min=1, grade_max=6)
    pupil = make_user("pupil", Role.STUDENT, world.small_school, birth_year=2016)
    with translation.override("ko"):
        services.application_nominate(
            actor=world.teacher, programme=p, student_ids=[pupil.pk]
        )
    teacher_note = Notification.objects.get(user=world.teacher)
    pupil_note = Notification.objects.get(user=pupil)
    assert "선정되었습니다" not in teacher_note.subject
    assert "추천" in teacher_note.subject and str(pupil) in teacher_note.subject
    assert "선정되었습니다" in pupil_note.subject


def test_the_nominating_teacher_hears_of_the_waiting_list_and_the_draw(world):
    full = make_programme(
        world.centre_staff, world.centre, grade_min=1, grade_max=6, capacity=1
    )
    lottery = make_programme(
        world.centre_staff,
        world.centre,
        grade_min=1,
        grade_max=6,
        selection="lottery",
    )
    a = make_user("pupil1", Role.STUDENT, world.small_school, birth_year=2016)
    b = make_user("pupil2", Role.STUDENT, world.small_school, birth_year=2016)
    services.application_nominate(
        actor=world.teacher, programme=full, student_ids=[a.pk, b.pk]
    )
    services.application_nominate(
        actor=world.teacher, programme=lottery, student_ids=[a.pk]
    )
    subjects = list(
        Notification.objects.filter(user=world.teacher).values_list(
            "subject", flat=True
        )
    )
    assert len(subjects) == 3
    assert not any("선정되었습니다" in s for s in subjects)
    assert any("대기" in s for s in subjects) and any("추첨" in s for s in subjects)
