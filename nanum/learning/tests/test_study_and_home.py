"""Lessons, interactions for the learner model, and the student's home page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nanum.learning.models import Course, Interaction, Item, Lesson, StudyDay
from nanum.learning.selectors import (
    interactions_for,
    is_active_member,
    member_users,
    student_home,
)
from nanum.learning.services.applications import (
    application_approve,
    application_withdraw,
)
from nanum.learning.services.seats import seat_choose
from nanum.learning.services.study import answer_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(db):
    course = Course.objects.create(
        title="중1 수학", subject="수학", school_level="middle", grade=1
    )
    lesson = Lesson.objects.create(
        course=course,
        order=1,
        title="소인수분해",
        reading="소수란...",
        skills=["[9수01-01]"],
    )
    Item.objects.create(
        lesson=lesson,
        order=1,
        prompt="12의 소인수는?",
        choices=["2, 3", "2, 4", "3, 4"],
        answer=0,
        skills=["[9수01-01]"],
    )
    Item.objects.create(
        lesson=lesson,
        order=2,
        prompt="소수는?",
        choices=["4", "7"],
        answer=1,
        skills=["[9수01-02]"],
    )
    return lesson


def test_every_answer_is_recorded_as_an_interaction(world, lesson, client_for):
    client = client_for(world.student)
    page = client.get(reverse("learning:lesson", args=[lesson.pk]))
    assert "12의 소인수는?" in page.content.decode()
    item = lesson.items.first()
    r = client.post(
        reverse("learning:lesson", args=[lesson.pk]),
        {"item": item.pk, "answer": "0", "started": "bad"},
    )
    assert r.status_code == 302  # to the lesson with the answer's feedback
    inter = Interaction.objects.get()
    assert (
        inter.correct
        and inter.skills == ["[9수01-01]"]
        and inter.student == world.student
    )
    answer_record(
        actor=world.student,
        item_id=lesson.items.last().pk,
        answer=0,
        duration_ms=90_000,
    )
    got = list(interactions_for(student=world.student))
    assert [i.correct for i in got] == [True, False]
    assert got[0].answered_at <= got[1].answered_at
    assert StudyDay.objects.get(student=world.student).nanum_minutes == 2


def test_an_answer_out_of_range_is_refused_on_the_page(world, lesson, client_for):
    r = client_for(world.student).post(
        reverse("learning:lesson", args=[lesson.pk]),
        {"item": lesson.items.first().pk, "answer": "9"},
        follow=True,
    )
    assert r.status_code == 200
    assert "보기 중 하나를 고르세요." in r.content.decode()
    assert not Interaction.objects.exists()


def test_skills_must_be_achievement_standard_codes(lesson):
    item = lesson.items.first()
    item.skills = ["maths"]
    with pytest.raises(ValidationError):
        item.full_clean()
    item.skills = ["[9수01-01]", "[10공수1-01-02]", "[4과05-03]"]
    item.full_clean()


def test_answers_api_with_idempotency(world, lesson, client, api_token):
    auth = {
        "HTTP_AUTHORIZATION": f"Bearer {api_token(world.student)}",
        "HTTP_IDEMPOTENCY_KEY": "a1",
    }
    body = {"item_id": lesson.items.first().pk, "answer": 0, "duration_ms": 5000}
    r1 = client.post(
        "/api/v1/learning/answers", body, content_type="application/json", **auth
    )
    r2 = client.post(
        "/api/v1/learning/answers", body, content_type="application/json", **auth
    )
    assert r1.status_code == r2.status_code == 201
    assert Interaction.objects.count() == 1


def test_home_shows_week_streak_mileage_and_plan(
    world, towns, apply_for, lesson, client_for
):
    today = timezone.localdate()
    StudyDay.objects.bulk_create(
        [
            StudyDay(
                student=world.student,
                day=today - timedelta(days=i),
                provider_minutes=60,
            )
            for i in range(3)
        ]
        + [
            StudyDay(
                student=world.student, day=today - timedelta(days=10), nanum_minutes=40
            )
        ]
    )
    data = student_home(student=world.student)
    assert data["streak"] == 3
    assert data["year_minutes"] == sum(
        60 for i in range(3) if (today - timedelta(days=i)).year == today.year
    ) + (40 if (today - timedelta(days=10)).year == today.year else 0)
    client = client_for(world.student)
    client.post(reverse("learning:goal"), {"target_minutes": 300, "note": "매일 30분"})
    client.post(
        reverse("learning:plan"), {"weekday": 0, "subject": "수학", "minutes": 40}
    )
    page = client.get(reverse("learning:student_home")).content.decode()
    assert "매일 30분" in page and "수학" in page


def test_home_page_query_count_is_bounded(
    world,
    towns,
    provider_seats,
    apply_for,
    lesson,
    client_for,
    django_assert_max_num_queries,
):
    app = apply_for(world.student, world.seoul)
    application_approve(
        actor=world.seoul_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    seat_choose(actor=world.student, provider_id=world.provider_org.pk)
    today = timezone.localdate()
    StudyDay.objects.bulk_create(
        [
            StudyDay(
                student=world.student,
                day=today - timedelta(days=i),
                provider_minutes=30,
            )
            for i in range(365)
        ]
    )
    for item in lesson.items.all():
        answer_record(actor=world.student, item_id=item.pk, answer=0)
    client = client_for(world.student)
    # nothing cached: every part read, with the mentoring session and the learner
    # model's recommendation (shown and logged)
    with django_assert_max_num_queries(32):
        r = client.get(reverse("learning:student_home"))
    assert r.status_code == 200
    # the summary stored for a minute (or until the student writes) in a row that
    # every web process reads: one query more than a per-process memory cache (6),
    # none of the twenty-odd of a first visit in each process
    with django_assert_max_num_queries(7):
        r = client.get(reverse("learning:student_home"))
    assert r.status_code == 200


def test_home_shows_own_changes_and_an_officers_decision_at_once(
    world, towns, provider_seats, apply_for, client_for
):
    client = client_for(world.student)
    app = apply_for(world.student, world.seoul)
    assert (
        "메가스터디"
        not in client.get(reverse("learning:student_home")).content.decode()
    )
    application_approve(
        actor=world.seoul_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    page = client.get(reverse("learning:student_home")).content.decode()
    assert "메가스터디" in page  # the choice of sites appears without waiting
    client.post(
        reverse("learning:plan"), {"weekday": 2, "subject": "과학탐구", "minutes": 30}
    )
    assert "과학탐구" in client.get(reverse("learning:student_home")).content.decode()


def test_member_selectors_for_the_mentoring_app(world, towns, apply_for):
    app = apply_for(world.student, world.gimpo, school_level="high")
    assert not is_active_member(user=world.student, tenant=world.gimpo)
    application_approve(
        actor=world.gimpo_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    assert is_active_member(user=world.student, tenant=world.gimpo)
    assert not is_active_member(user=world.student, tenant=world.seoul)
    assert list(member_users(tenant=world.gimpo)) == [world.student]
    assert towns["gimpo"].offers_mentoring
    application_withdraw(actor=world.student, application_id=app.pk)
    assert not member_users(tenant=world.gimpo).exists()
