"""The student's home kept ready in a stored row shared by every web process: a visit
in another process reads it (few queries), and the student's writes show at once on
every device, whichever process serves it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from nanum.core.models import Role
from nanum.core.testing import make_user
from nanum.learner_model.models import RecommendationEvent
from nanum.learning.models import Course, HomeSummary, Item, Lesson
from nanum.learning.services import home as home_services

pytestmark = pytest.mark.django_db

HOME = "learning:student_home"


@pytest.fixture
def quiz(db: Any) -> Lesson:
    course = Course.objects.create(
        title="중1 수학", subject="수학", school_level="middle", grade=1
    )
    lesson = Lesson.objects.create(
        course=course, order=1, title="소수와 합성수", skills=["[9수01-01]"]
    )
    for n in range(3):
        Item.objects.create(
            lesson=lesson,
            order=n + 1,
            prompt=f"문제 {n + 1}",
            choices=["1", "13"],
            answer=1,
            skills=["[9수01-01]"],
        )
    return lesson


def _device(user: Any) -> Client:
    """A browser of its own (its own session), as a phone next to a laptop."""
    c = Client(HTTP_ACCEPT_LANGUAGE="ko")
    c.force_login(user)
    return c


def _home(c: Client) -> str:
    r = c.get(reverse(HOME))
    assert r.status_code == 200
    return r.content.decode()


def _other_process() -> None:
    """What a visit served by another web process sees: none of this process's
    memory (the per-process cache of rendered parts), only the database."""
    cache.clear()


def test_a_visit_in_another_process_reads_the_stored_summary(
    world: Any, quiz: Lesson, django_assert_max_num_queries: Any
) -> None:
    phone = _device(world.student)
    first = _home(phone)
    assert HomeSummary.objects.filter(student=world.student).exists()
    _other_process()
    # session, user, applications, the stored row, unread messages, menu (2):
    # not the twenty-odd of computing the summary and the recommendation again
    with django_assert_max_num_queries(7):
        again = _home(phone)
    assert again.count("<section") == first.count("<section")


def test_an_answer_on_one_device_shows_on_the_home_of_another_at_once(
    world: Any, quiz: Lesson
) -> None:
    laptop, phone = _device(world.student), _device(world.student)
    assert "(1/1)" not in _home(phone)  # stored now, with no lesson in progress
    items = list(quiz.items.order_by("order"))
    r = laptop.post(
        reverse("learning:lesson", args=[quiz.pk]),
        {"item": items[0].pk, "answer": "1", "form_token": "answer-one-0001"},
    )
    assert r.status_code == 302
    _other_process()
    page = _home(phone)  # another session, another process: still fresh
    assert f'href="{reverse("learning:lesson", args=[quiz.pk])}"' in page
    assert "(1/1)" in page  # lessons in progress: 1 answered, 1 right
    laptop.post(
        reverse("learning:lesson", args=[quiz.pk]),
        {"item": items[1].pk, "answer": "0", "form_token": "answer-two-0002"},
    )
    assert "(1/2)" in _home(phone)  # no stale copy, even in this same process


def test_finishing_a_lesson_and_a_goal_show_at_once(world: Any, quiz: Lesson) -> None:
    laptop, phone = _device(world.student), _device(world.student)
    _home(phone)
    quiz.minutes = 25
    quiz.save(update_fields=["minutes"])
    laptop.post(reverse("learning:lesson", args=[quiz.pk]), {"action": "complete"})
    laptop.post(reverse("learning:goal"), {"target_minutes": 100, "note": "주 100분"})
    page = _home(phone)
    assert "<strong>25</strong>" in page  # this week's minutes
    assert "주 100분" in page and "(25%)" in page


def test_a_write_during_the_computing_of_a_visit_is_not_hidden(
    world: Any, quiz: Lesson, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A visit computes the summary while the student answers elsewhere: what it read
    before the answer is not stored, so the next visit computes again."""
    real = home_services.home_summary

    def racing(student: Any, member: Any, today: Any) -> dict[str, Any]:
        out = real(student, member, today)
        home_services.home_touch(student_ids=[student.pk])  # the answer commits
        return out

    monkeypatch.setattr(home_services, "home_summary", racing)
    phone = _device(world.student)
    _home(phone)
    row = HomeSummary.objects.get(student=world.student)
    assert row.version == 1 and row.summary_stamp == ""  # nothing stale kept
    monkeypatch.setattr(home_services, "home_summary", real)
    _home(phone)
    row.refresh_from_db()
    assert row.version == 1 and row.summary_stamp.endswith(":1")


def test_each_student_sees_only_their_own_stored_home(world: Any, quiz: Lesson) -> None:
    other = make_user("other-student", Role.STUDENT, world.middle_school)
    mine, theirs = _device(world.student), _device(other)
    mine.post(
        reverse("learning:plan"), {"weekday": 1, "subject": "과학탐구", "minutes": 30}
    )
    theirs.post(
        reverse("learning:plan"), {"weekday": 2, "subject": "국어독해", "minutes": 30}
    )
    _other_process()
    a, b = _home(mine), _home(theirs)
    assert "과학탐구" in a and "국어독해" not in a
    assert "국어독해" in b and "과학탐구" not in b
    assert HomeSummary.objects.filter(student__in=[world.student, other]).count() == 2


def test_opening_a_lesson_keeps_the_recommendation_and_an_answer_renews_it(
    world: Any, quiz: Lesson
) -> None:
    """The learner model's recommendation (computed and logged when shown) is kept
    until something it depends on changes: an answer, not the opening of a lesson."""
    phone = _device(world.student)
    _home(phone)
    shown = RecommendationEvent.objects.filter(student=world.student).count()
    assert shown > 0  # the first visit showed (and logged) what comes next
    phone.get(reverse("learning:lesson", args=[quiz.pk]))
    _other_process()
    page = _home(phone)
    assert f'href="{reverse("learning:lesson", args=[quiz.pk])}"' in page  # continue
    assert RecommendationEvent.objects.filter(student=world.student).count() == shown
    item = quiz.items.order_by("order").first()
    assert item is not None
    phone.post(
        reverse("learning:lesson", args=[quiz.pk]),
        {"item": item.pk, "answer": "1", "form_token": "answer-one-0003"},
    )
    _home(phone)
    assert RecommendationEvent.objects.filter(student=world.student).count() > shown
