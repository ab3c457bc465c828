"""Buttons tell the truth: the programme page offers Apply only to someone who can
apply, and otherwise shows why not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from nanum.core.models import Role
from nanum.core.testing import make_user
from nanum.programs import selectors, services
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


def _page(client, p) -> str:
    return client.get(f"/programs/{p.pk}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()


def _options(actor, p):
    return selectors.programme_apply_options(
        actor=actor,
        programme=p,
        mine=selectors.my_application_for(actor=actor, programme=p),
        children=selectors.children_of(actor=actor),
        taken=selectors.seats_taken(p),
    )


def test_a_selected_student_sees_already_selected_not_apply(client_for, world):
    p = make_programme(world.centre_staff, world.centre)
    services.application_apply(actor=world.student, programme=p)
    with translation.override("ko"):
        opts = _options(world.student, p)
        assert not opts.can_apply and str(opts.reason) == "이미 선정됨"
    html = _page(client_for(world.student), p)
    assert "이미 선정됨" in html and 'value="apply"' not in html
    assert '<form method="post" action="/programs/' not in html


def test_a_teacher_sees_for_students_only_and_may_nominate(client_for, world):
    p = make_programme(world.centre_staff, world.centre)
    with translation.override("ko"):
        opts = _options(world.teacher, p)
        assert not opts.can_apply and str(opts.reason) == "학생 대상 프로그램"
        assert opts.can_nominate
    html = _page(client_for(world.teacher), p)
    assert "학생 대상 프로그램" in html and f"/programs/{p.pk}/nominate/" in html
    assert 'class="btn">신청' not in html


def test_a_closed_programme_shows_closed_and_nothing_to_click(client_for, world):
    now = timezone.now()
    p = make_programme(
        world.centre_staff,
        world.centre,
        apply_opens_at=now - timedelta(days=5),
        apply_closes_at=now - timedelta(hours=1),
    )
    with translation.override("en"):
        assert str(_options(world.student, p).reason) == "Applications are closed"
    html = _page(client_for(world.student), p)
    assert "신청이 마감되었습니다" in html and "nominate" not in html


def test_the_wrong_grade_is_told_before_posting(client_for, world):
    p = make_programme(world.centre_staff, world.centre, grade_min=1, grade_max=2)
    opts = _options(world.student, p)
    assert not opts.can_apply and "1" in str(opts.reason)


def test_an_eligible_student_gets_apply_and_a_full_one_the_waiting_list(
    client_for, world
):
    p = make_programme(world.centre_staff, world.centre, capacity=1)
    assert _options(world.student, p).can_apply
    assert "btn" in _page(client_for(world.student), p)
    other = make_user("s2", Role.STUDENT, world.middle_school, birth_year=2012)
    services.application_apply(actor=other, programme=p)
    opts = _options(world.student, p)
    assert opts.can_apply and opts.waitlist
    assert "대기" in _page(client_for(world.student), p)


def test_a_guardian_is_offered_only_children_who_have_not_applied(world):
    p = make_programme(world.centre_staff, world.centre, grade_min=1, grade_max=12)
    a = services.child_add(actor=world.guardian, name="가", grade=3)
    b = services.child_add(actor=world.guardian, name="나", grade=4)
    services.application_apply(actor=world.guardian, programme=p, child=a)
    opts = _options(world.guardian, p)
    assert opts.can_apply and [c.pk for c in opts.children] == [b.pk]
    services.application_apply(actor=world.guardian, programme=p, child=b)
    opts = _options(world.guardian, p)
    assert not opts.can_apply and opts.reason


def test_signed_out_visitors_are_asked_to_sign_in(client, world):
    p = make_programme(world.centre_staff, world.centre)
    assert "/login/?next=" in client.get(f"/programs/{p.pk}/").content.decode()
