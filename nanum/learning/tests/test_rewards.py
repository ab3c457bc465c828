"""& Jump: the town's rules make a shortlist; officers confirm."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from nanum.core.errors import DomainError
from nanum.core.models import AccessLog
from nanum.learning.models import RewardCandidate, StudyDay
from nanum.learning.services.applications import application_approve
from nanum.learning.services.rewards import (
    recommendation_add,
    reward_decide,
    reward_shortlist_build,
)

from .conftest import new_student

pytestmark = pytest.mark.django_db


def test_top_mileage_with_a_mentors_recommendation(world, towns, apply_for):
    policy = towns["gimpo"]
    policy.reward_top_n = 2
    policy.reward_requires_recommendation = True
    policy.save()
    year = timezone.localdate().year
    students = []
    for minutes in (600, 300, 900):
        s = new_student(world.middle_school)
        app = apply_for(s, world.gimpo, school_level="high")
        application_approve(
            actor=world.gimpo_officer,
            application_id=app.pk,
            verified_on=timezone.localdate(),
        )
        StudyDay.objects.create(
            student=s, day=timezone.localdate(), provider_minutes=minutes
        )
        students.append(s)
    recommendation_add(
        actor=world.mentor, tenant=world.gimpo, student=students[0], year=year
    )
    recommendation_add(
        actor=world.mentor, tenant=world.gimpo, student=students[1], year=year
    )
    with pytest.raises(DomainError):
        reward_shortlist_build(
            actor=world.seoul_officer, tenant_id=world.gimpo.pk, year=year
        )
    assert (
        reward_shortlist_build(
            actor=world.gimpo_officer, tenant_id=world.gimpo.pk, year=year
        )
        == 2
    )
    cands = list(RewardCandidate.objects.order_by("-mileage"))
    assert [c.student for c in cands] == [
        students[0],
        students[1],
    ]  # 900 not recommended
    assert cands[0].mileage == 60
    with pytest.raises(DomainError):
        reward_decide(
            actor=world.pyeongchang_officer, candidate_id=cands[0].pk, confirm=True
        )
    reward_decide(actor=world.gimpo_officer, candidate_id=cands[0].pk, confirm=True)
    cands[0].refresh_from_db()
    assert cands[0].state == "confirmed"


def test_recommendation_by_api_needs_a_mentor_and_a_member(
    world, towns, apply_for, client, api_token
):
    app = apply_for(world.student, world.gimpo, school_level="high")
    body = {"town": "gimpo", "student_id": world.student.pk, "note": "성실함"}
    mentor = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.mentor)}"}
    r = client.post(
        "/api/v1/learning/rewards/recommendations",
        body,
        content_type="application/json",
        **mentor,
    )
    assert r.status_code == 422  # not a member yet
    application_approve(
        actor=world.gimpo_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    r = client.post(
        "/api/v1/learning/rewards/recommendations",
        body,
        content_type="application/json",
        **mentor,
    )
    assert r.status_code == 201
    stu = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.student)}"}
    r = client.post(
        "/api/v1/learning/rewards/recommendations",
        body,
        content_type="application/json",
        **stu,
    )
    assert r.status_code == 403


def test_the_shortlist_page_is_access_logged(world, towns, client_for):
    RewardCandidate.objects.create(
        tenant=world.gimpo,
        student=world.student,
        year=timezone.localdate().year,
        mileage=10,
    )
    page = client_for(world.gimpo_officer).get(reverse("learning:rewards"))
    assert str(world.student) in page.content.decode()
    log = AccessLog.objects.get(object_type="learning.RewardCandidate")
    assert log.actor == world.gimpo_officer and log.record_count == 1
