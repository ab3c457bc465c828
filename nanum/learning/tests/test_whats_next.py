"""The student's home "what's next", quiz feedback, answers sent twice, and the
installable web app (manifest and service worker)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from nanum.core.models import Notification, Role
from nanum.core.testing import make_user
from nanum.learner_model.models import RecommendationEvent
from nanum.learning.models import Course, Interaction, Item, Lesson, StudyDay
from nanum.learning.services import home as home_services
from nanum.learning.services.applications import application_approve
from nanum.learning.services.home import NextStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(db: Any) -> dict[str, Any]:
    course = Course.objects.create(
        title="중1 수학", subject="수학", school_level="middle", grade=1
    )
    one = Lesson.objects.create(
        course=course, order=1, title="소수", skills=["[9수01-01]"]
    )
    two = Lesson.objects.create(
        course=course, order=2, title="소수 더 보기", skills=["[9수01-01]"]
    )
    other = Lesson.objects.create(
        course=course, order=3, title="정수", skills=["[9수01-03]"]
    )
    first = Item.objects.create(
        lesson=one,
        order=1,
        prompt="다음 중 소수는?",
        choices=["1", "9", "13"],
        answer=2,
        skills=["[9수01-01]"],
        explanation="13은 1과 자기 자신으로만 나누어떨어집니다.",
        explanation_en="13 divides only by 1 and itself.",
    )
    similar = Item.objects.create(
        lesson=two,
        order=1,
        prompt="다음 중 합성수는?",
        choices=["2", "15"],
        answer=1,
        skills=["[9수01-01]"],
    )
    unrelated = Item.objects.create(
        lesson=other,
        order=1,
        prompt="-3은?",
        choices=["자연수", "정수"],
        answer=1,
        skills=["[9수01-03]"],
    )
    return {
        "one": one,
        "two": two,
        "first": first,
        "similar": similar,
        "unrelated": unrelated,
    }


def _answer(client: Any, item: Item, answer: int, token: str) -> Any:
    return client.post(
        reverse("learning:lesson", args=[item.lesson_id]),
        {"item": item.pk, "answer": str(answer), "form_token": token},
    )


def test_feedback_shows_question_choice_right_answer_why_and_a_similar_one(
    world: Any, quiz: dict[str, Any], client_for: Any
) -> None:
    client = client_for(world.student)
    first = quiz["first"]
    r = _answer(client, first, 1, "client-made-id-0001")
    assert r.status_code == 302
    inter = Interaction.objects.get(student=world.student)
    assert not inter.correct and inter.answer == 1
    assert f"answered={inter.pk}" in r["Location"]
    page = client.get(r["Location"]).content.decode()
    assert "아쉬워요." in page
    assert "다음 중 소수는?" in page
    # the student's choice stays selected, the right one is named
    assert re.search(rf'value="1" id="i{first.pk}-1" checked', page)
    assert "13은 1과 자기 자신으로만 나누어떨어집니다." in page
    similar_url = (
        f"{reverse('learning:lesson', args=[quiz['two'].pk])}#item-{quiz['similar'].pk}"
    )
    assert f'href="{similar_url}"' in page
    assert f"#item-{quiz['unrelated'].pk}" not in page
    client.cookies["django_language"] = "en"
    with override("en"):
        page_en = client.get(r["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "13 divides only by 1 and itself." in page_en


def test_an_answer_sent_twice_with_one_id_is_recorded_once(
    world: Any, quiz: dict[str, Any], client_for: Any
) -> None:
    client = client_for(world.student)
    r1 = _answer(client, quiz["first"], 2, "0b7e9c4e-6a57-4b39-9d7b-5c3ea0f1c2d4")
    r2 = _answer(client, quiz["first"], 2, "0b7e9c4e-6a57-4b39-9d7b-5c3ea0f1c2d4")
    assert r1.status_code == r2.status_code == 302
    assert r1["Location"] == r2["Location"]  # the replay leads to the same feedback
    assert Interaction.objects.filter(student=world.student).count() == 1
    _answer(client, quiz["first"], 0, "another-answer-id-0002")
    assert Interaction.objects.filter(student=world.student).count() == 2


def test_feedback_of_someone_elses_answer_is_not_shown(
    world: Any, quiz: dict[str, Any], client_for: Any
) -> None:
    other = make_user("other-student", Role.STUDENT, world.middle_school)
    r = _answer(client_for(other), quiz["first"], 1, "others-answer-id-0003")
    theirs = Interaction.objects.get(student=other)
    page = client_for(world.student).get(r["Location"]).content.decode()
    assert f"answered={theirs.pk}" in r["Location"]
    assert 'id="feedback"' not in page and "checked" not in page


def test_a_bad_answer_changes_nothing_and_says_why(
    world: Any, quiz: dict[str, Any], client_for: Any
) -> None:
    client = client_for(world.student)
    r = client.post(
        reverse("learning:lesson", args=[quiz["one"].pk]),
        {"item": quiz["unrelated"].pk, "answer": "0"},  # not an item of this lesson
        follow=True,
    )
    assert "보기 중 하나를 고르세요." in r.content.decode()
    assert not Interaction.objects.exists()


def test_home_shows_whats_next_chart_streak_and_only_unread_messages(
    world: Any, quiz: dict[str, Any], client_for: Any
) -> None:
    Notification.objects.create(user=world.student, kind="x", subject="새 소식 하나")
    Notification.objects.create(
        user=world.student, kind="x", subject="읽은 소식", read_at=timezone.now()
    )
    Notification.objects.create(user=world.teacher, kind="x", subject="남의 소식")
    today = timezone.localdate()
    StudyDay.objects.create(student=world.student, day=today, provider_minutes=45)
    StudyDay.objects.create(
        student=world.student, day=today - timedelta(days=1), nanum_minutes=20
    )
    client = client_for(world.student)
    client.post(reverse("learning:goal"), {"target_minutes": 300})
    client.get(reverse("learning:lesson", args=[quiz["one"].pk]))  # in progress
    page = client.get(reverse("learning:student_home")).content.decode()
    assert "새 소식 하나" in page
    assert "읽은 소식" not in page and "남의 소식" not in page
    # one tap to continue the lesson in progress
    assert f'href="{reverse("learning:lesson", args=[quiz["one"].pk])}"' in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "<strong>2</strong>" in page  # two days in a row
    assert 'max="100" value="' in page  # this week against the goal
    # the learner model's recommendation, shown (and logged) with its reason
    event = RecommendationEvent.objects.filter(
        student=world.student, kind=RecommendationEvent.Kind.LESSON, rank=1
    ).first()
    if event is not None:
        assert reverse("learner_model:follow", args=[event.pk]) in page
    else:  # too few answers: the diagnostic quiz is what comes next
        assert reverse("learner_model:recommendations") in page


def test_a_failing_home_source_leaves_the_home_working(
    world: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(student: Any) -> NextStep | None:
        raise RuntimeError("down")

    def session(student: Any) -> NextStep | None:
        return NextStep(title="멘토링 테스트", url="/mentoring/", when=timezone.now())

    monkeypatch.setattr(
        home_services, "_SOURCES", {"lesson": broken, "session": session}
    )
    r = client_for(world.student).get(reverse("learning:student_home"))
    assert r.status_code == 200
    assert "멘토링 테스트" in r.content.decode()


def test_manifest_and_service_worker(client: Any) -> None:
    r = client.get("/manifest.webmanifest")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/manifest+json")
    body = json.loads(r.content)
    assert body["start_url"] == reverse("learning:student_home")
    assert body["display"] == "standalone" and body["scope"] == "/"
    assert {i["sizes"] for i in body["icons"]} == {"192x192", "512x512"}
    for icon in body["icons"]:
        name = icon["src"].split("/static/", 1)[1]
        assert finders.find(name), name
    sw = client.get("/sw.js")
    assert sw.status_code == 200
    assert sw["Content-Type"].startswith("text/javascript")
    assert sw["Service-Worker-Allowed"] == "/"
    assert b'addEventListener("fetch"' in sw.content
    page = client.get(reverse("core:login")).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert "nanum/offline.js" in page


def test_officer_charts_show_only_their_towns(
    world: Any, provider_seats: Any, apply_for: Any, client_for: Any
) -> None:
    app = apply_for(world.student, world.seoul, district="강서구")
    application_approve(
        actor=world.seoul_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    StudyDay.objects.create(
        student=world.student, day=timezone.localdate(), provider_minutes=90
    )
    page = (
        client_for(world.seoul_officer)
        .get(reverse("learning:officer_stats"))
        .content.decode()
    )
    assert page.count('class="chart-svg"') == 3
    assert f"{world.seoul} · {world.provider_org}" in page
    assert f"{world.pyeongchang} · {world.provider_org}" not in page
    assert '<th scope="row">강서구</th><td>90</td>' in page
    other = (
        client_for(world.pyeongchang_officer)
        .get(reverse("learning:officer_stats"))
        .content.decode()
    )
    assert f"{world.seoul} · {world.provider_org}" not in other
    assert "강서구" not in other
