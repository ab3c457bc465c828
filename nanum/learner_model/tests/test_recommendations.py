"""Recommendations a student can trust: ranked by need, explained, logged, private."""

from __future__ import annotations

from collections.abc import Hashable

import pytest
from django.urls import reverse

from nanum.core.models import AccessLog, Role, RoleAssignment
from nanum.learner_model import selectors, services
from nanum.learner_model.engine.estimators import (
    CountEstimator,
    Estimate,
    History,
    SkillStats,
)
from nanum.learner_model.engine.recommend import Learner, LessonInfo, rank_lessons
from nanum.learner_model.kt.inference import random_weights, save_artefact
from nanum.learner_model.models import RecommendationEvent, Standard
from nanum.learning.models import Course, Interaction, Item, Lesson
from nanum.learning.services.study import answer_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(world):
    names = {
        "[6수04-01]": "비의 뜻",
        "[6수04-02]": "비율과 백분율",
        "[6수01-01]": "분수의 나눗셈",
    }
    std = {
        code: Standard.objects.create(
            code=code, subject="수학", name_ko=name, name_en=name
        )
        for code, name in names.items()
    }
    std["[6수04-02]"].requires.add(std["[6수04-01]"])
    course = Course.objects.create(
        title="초6 수학", subject="수학", school_level="elementary", grade=6
    )
    lessons, items = {}, {}
    for order, code in enumerate(names, start=1):
        lesson = Lesson.objects.create(
            course=course, order=order, title=names[code], skills=[code]
        )
        lessons[code] = lesson
        items[code] = [
            Item.objects.create(
                lesson=lesson,
                order=n,
                prompt=f"{names[code]} {n}",
                choices=["a", "b", "c"],
                answer=0,
                skills=[code],
            )
            for n in range(1, 7)
        ]
    return lessons, items


def _answer(student, item, correct):
    return answer_record(actor=student, item_id=item.pk, answer=0 if correct else 1)


def test_struggling_with_ratios_puts_the_ratio_lesson_first_and_says_why(
    world, content, client
):
    lessons, items = content
    student = world.student
    for item, ok in zip(items["[6수04-01]"], [1, 0, 0, 1, 0, 0], strict=True):
        _answer(student, item, ok)
    for item in items["[6수01-01]"][:5]:
        _answer(student, item, True)
    client.force_login(student)
    body = client.get(reverse("learner_model:recommendations")).content.decode()
    recs = RecommendationEvent.objects.filter(student=student, kind="lesson").order_by(
        "rank"
    )
    assert recs[0].lesson_id == lessons["[6수04-01]"].pk
    assert recs[0].reason["code"] in {"review", "prerequisite"}
    assert recs[0].reason["answered"] == 6 and recs[0].reason["correct"] == 2
    assert "6개 중 2개" in body or "2 of 6" in body
    # The mastered fraction lesson is not first.
    last = recs.last()
    assert last is not None
    assert last.lesson_id != lessons["[6수04-01]"].pk


def test_prerequisite_comes_before_the_skill_that_is_hard():
    mastery = {"B": 0.2, "A": 0.3}
    stats = {"B": SkillStats(6, 1), "A": SkillStats(3, 1)}
    lessons = [
        LessonInfo(1, "B lesson", ("B",), "수학", "middle", 1),
        LessonInfo(2, "A lesson", ("A",), "수학", "middle", 1),
    ]
    ranked = rank_lessons(lessons, mastery, stats, {"B": ["A"]}, Learner("middle", 1))
    assert ranked[0].lesson.id == 2
    assert ranked[0].reason["code"] == "prerequisite"
    assert ranked[0].reason["unlocks"] == "B"


def test_lessons_of_another_school_level_are_not_recommended():
    lessons = [LessonInfo(1, "high", ("X",), "수학", "high", 1)]
    assert rank_lessons(lessons, {}, {}, {}, Learner("middle", 1)) == []


def test_a_new_student_gets_a_diagnostic_quiz_first(world, content, client):
    client.force_login(world.student)
    response = client.get(reverse("learner_model:recommendations"))
    diagnostic = response.context["diagnostic"]
    assert len(diagnostic) == 3  # one question per skill
    assert len({tuple(i.skills) for i in diagnostic}) == 3
    data = {f"item_{item.pk}": "0" for item in diagnostic}
    response = client.post(reverse("learner_model:recommendations"), data)
    assert response.status_code == 302
    assert Interaction.objects.filter(student=world.student).count() == 3


def test_an_empty_diagnostic_is_refused_and_records_nothing(world, content, client):
    client.force_login(world.student)
    item = content[1]["[6수04-01]"][0]
    response = client.post(
        reverse("learner_model:recommendations"), {f"item_{item.pk}": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Interaction.objects.exists()


def test_following_is_logged_and_opens_the_lesson(world, content, client):
    client.force_login(world.student)
    client.get(reverse("learner_model:recommendations"))
    event = RecommendationEvent.objects.filter(kind="lesson").first()
    assert event is not None
    response = client.post(reverse("learner_model:follow", args=[event.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:lesson", args=[event.lesson_id])
    event.refresh_from_db()
    assert event.followed_at is not None


def test_nobody_can_follow_someone_elses_recommendation(world, content, client):
    client.force_login(world.student)
    client.get(reverse("learner_model:recommendations"))
    event = RecommendationEvent.objects.filter(kind="lesson").first()
    assert event is not None
    client.force_login(world.teacher)
    response = client.post(reverse("learner_model:follow", args=[event.pk]))
    assert response.status_code == 404
    event.refresh_from_db()
    assert event.followed_at is None


def test_mastery_map_for_the_students_teacher_is_access_logged(world, content, client):
    _lessons, items = content
    _answer(world.student, items["[6수04-01]"][0], False)
    teacher = world.other_teacher
    RoleAssignment.objects.create(
        user=teacher,
        role=Role.TEACHER,
        organisation=world.middle_school,
        tenant=world.seoul,
    )
    client.force_login(teacher)
    url = reverse("learner_model:mastery", args=[world.student.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "[6수04-01]" in response.content.decode()
    log = AccessLog.objects.get()
    assert log.actor == teacher and log.subject == world.student


def test_mastery_map_is_hidden_from_strangers(world, content, client):
    url = reverse("learner_model:mastery", args=[world.student.pk])
    for stranger in (world.teacher, world.mentor, world.pyeongchang_officer):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    assert not AccessLog.objects.exists()


def test_api_recommendations_in_korean_and_follow(world, content, client, api_token):
    _lessons, items = content
    for item in items["[6수04-01]"][:4]:
        _answer(world.student, item, False)
    for item in items["[6수04-02]"][:2]:
        _answer(world.student, item, False)
    raw = api_token(world.student)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    data = client.get("/api/v1/learner-model/recommendations", **auth).json()
    assert data["estimator"] == "count-beta"
    assert data["diagnostic_item_ids"] == []
    first = data["lessons"][0]
    assert "비의 뜻" in first["reason"]
    followed = client.post(
        f"/api/v1/learner-model/recommendations/{first['event_id']}/follow", **auth
    )
    assert followed.status_code == 200
    other = client.post("/api/v1/learner-model/recommendations/999999/follow", **auth)
    assert other.status_code == 404
    assert other["Content-Type"] == "application/problem+json"


def test_api_mastery_of_a_stranger_is_a_404_problem(world, content, client, api_token):
    raw = api_token(world.teacher)
    response = client.get(
        f"/api/v1/learner-model/students/{world.student.pk}/mastery",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_count_estimator_ranks_a_strong_skill_above_a_weak_one():
    history = [(1, ["A"], True)] * 6 + [(2, ["B"], False)] * 6
    est = CountEstimator().estimate(history)
    assert est.mastery["A"] > 0.8 > 0.2 > est.mastery["B"]
    assert est.stats["A"] == SkillStats(6, 6)


def test_count_estimator_estimates_a_history_once_for_many_items(monkeypatch):
    """A page asks p_correct of dozens of items for one history: the history is
    estimated once, and each answer is the one a fresh estimator gives."""
    history = [(1, ["A"], True), (2, ["B"], False), (3, ["A", "B"], True)]
    success: dict[Hashable, tuple[int, int]] = {
        1: (10, 7),
        2: (10, 2),
        3: (4, 4),
        9: (20, 10),
    }
    shared = CountEstimator(success)
    calls: list[int] = []
    real = CountEstimator.estimate

    def counted(self: CountEstimator, h: History) -> Estimate:
        calls.append(1)
        return real(self, h)

    monkeypatch.setattr(CountEstimator, "estimate", counted)
    asked = [(9, ["A"]), (2, ["B"]), (3, ["A", "B"]), (4, ["C"])]
    got = [shared.p_correct(history, item, skills) for item, skills in asked]
    assert len(calls) == 1
    other = [(1, ["A"], False)]  # another history is estimated again
    assert shared.p_correct(other, 9, ["A"]) == CountEstimator(success).p_correct(
        other, 9, ["A"]
    )
    assert len(calls) == 3  # once for `shared`, once for the fresh one
    fresh = [
        CountEstimator(success).p_correct(history, item, skills)
        for item, skills in asked
    ]
    assert got == fresh
    assert got[0] > got[1]  # a strong skill and an easy item above a weak one


def test_a_trained_artefact_takes_over_from_the_counting_estimator(
    world, content, tmp_path
):
    _lessons, items = content
    item_ids = [str(i.pk) for group in items.values() for i in group]
    skills = list(content[0])
    weights = random_weights(len(item_ids) + 1, len(skills) + 1)
    path = save_artefact(
        tmp_path / "m",
        weights,
        {"dataset": "test"},
        item_keys=["0", *item_ids],
        skill_keys=["0", *skills],
    )
    services.artefact_register(actor=world.admin, path=path)
    _answer(world.student, items["[6수04-01]"][0], False)
    recs = selectors.recommendations_for(world.student)
    assert recs.estimator.startswith("nanum-kt")
    assert recs.lessons and 0.0 <= recs.items[0].p_correct <= 1.0


def test_a_teacher_lists_only_their_schools_students(world, client):
    RoleAssignment.objects.create(
        user=world.other_teacher,
        role=Role.TEACHER,
        organisation=world.middle_school,
        tenant=world.seoul,
    )
    client.force_login(world.other_teacher)
    students = client.get(reverse("learner_model:my_students")).context["students"]
    assert students == [world.student]
    client.force_login(world.teacher)
    assert client.get(reverse("learner_model:my_students")).context["students"] == []


def test_the_students_home_loads_the_top_three_with_reasons(world, content, client):
    _lessons, items = content
    for item in items["[6수04-01]"][:6]:
        _answer(world.student, item, False)
    client.force_login(world.student)
    home = client.get(reverse("learning:student_home")).content.decode()
    # the home's "what's next" shows the first lesson (logged as shown, one tap follows)
    first = RecommendationEvent.objects.filter(
        student=world.student, kind=RecommendationEvent.Kind.LESSON, rank=1
    ).first()
    assert first is not None
    assert reverse("learner_model:follow", args=[first.pk]) in home
    panel = client.get(reverse("learner_model:panel"))
    assert len(panel.context["lessons"]) == 3
    assert RecommendationEvent.objects.filter(student=world.student).exists()
