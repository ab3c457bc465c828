"""A guardian reads a linked child's mentoring: sessions and the mentor's reports,
never the staff-only concerns; another guardian or an officer finds nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import AccessLog, Role
from nanum.core.testing import make_user
from nanum.learning.models import GuardianLink
from nanum.mentoring import services
from nanum.mentoring.models import Match, Session, SessionReport

from .conftest import survey_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def child_pair(world, term, eligible, active_mentor):
    child = world.student
    GuardianLink.objects.create(
        guardian=world.guardian, child=child, confirmed_by=world.seoul_officer
    )
    eligible(child, world.seoul)
    services.survey_submit(actor=child, term_id=term.pk, data=survey_input())
    active_mentor(user=world.mentor)
    run = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    services.match_run_publish(actor=world.seoul_officer, run_id=run.pk)
    session = Match.objects.get(student=child).sessions.first()
    assert session is not None  # a published pair has its sessions planned
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(days=2), status=Session.Status.HELD
    )
    SessionReport.objects.create(
        session=session,
        topics="분수의 덧셈",
        learning_report="통분을 스스로 해냈어요.",
        quiz_title="분수 퀴즈",
        quiz_score=80,
        concerns="가정 형편 걱정",
    )
    AccessLog.objects.all().delete()
    return child


def test_the_guardian_reads_sessions_and_reports_but_not_concerns(
    world, child_pair, client_for
):
    r = client_for(world.guardian).get(
        reverse("mentoring:guardian_child", args=[child_pair.pk])
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "통분을 스스로 해냈어요." in html and "80%" in html
    assert "가정 형편" not in html
    log = AccessLog.objects.get(actor=world.guardian)
    assert log.subject_id == child_pair.pk and log.purpose == "guardian"
    page = client_for(world.guardian).get(
        reverse("learning:guardian_child", args=[child_pair.pk])
    )
    assert reverse("mentoring:guardian_child", args=[child_pair.pk]) in (
        page.content.decode()
    )


def test_another_guardian_or_an_officer_finds_nothing(world, child_pair):
    other = make_user("guardian9", Role.GUARDIAN, world.middle_school)
    for user in (other, world.seoul_officer, world.pyeongchang_officer, child_pair):
        c = Client()
        c.force_login(user)
        r = c.get(reverse("mentoring:guardian_child", args=[child_pair.pk]))
        assert r.status_code == 404
    assert not AccessLog.objects.exists()
