"""Each page and its API twin: the same answer, the same refusal, the same log rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from nanum.core.models import AccessLog, Role, RoleAssignment, User
from nanum.learner_model.models import RecommendationEvent, Standard
from nanum.learning.models import Course, Item, Lesson
from nanum.learning.services.study import answer_record

pytestmark = pytest.mark.django_db

NAMES = {"[6수04-01]": "비의 뜻", "[6수04-02]": "비율과 백분율"}


@pytest.fixture
def items(world: Any) -> dict[str, list[Item]]:
    """Two ratio lessons; the second needs the first. Six items each."""
    std = {
        code: Standard.objects.create(
            code=code, subject="수학", name_ko=name, name_en=name
        )
        for code, name in NAMES.items()
    }
    std["[6수04-02]"].requires.add(std["[6수04-01]"])
    course = Course.objects.create(
        title="초6 수학", subject="수학", school_level="elementary", grade=6
    )
    out: dict[str, list[Item]] = {}
    for order, code in enumerate(NAMES, start=1):
        lesson = Lesson.objects.create(
            course=course, order=order, title=NAMES[code], skills=[code]
        )
        out[code] = [
            Item.objects.create(
                lesson=lesson,
                order=n,
                prompt=f"{NAMES[code]} {n}",
                choices=["a", "b", "c"],
                answer=0,
                skills=[code],
            )
            for n in range(1, 7)
        ]
    return out


def _api(client: Client, token: str, method: str, url: str) -> Any:
    call = client.get if method == "get" else client.post
    return call(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def _log_rows() -> list[tuple[int | None, int | None, str, str]]:
    return list(
        AccessLog.objects.order_by("pk").values_list(
            "actor_id", "subject_id", "action", "object_type"
        )
    )


def _teacher_of(world: Any, student: User) -> User:
    teacher = world.other_teacher
    RoleAssignment.objects.create(
        user=teacher,
        role=Role.TEACHER,
        organisation=world.middle_school,
        tenant=world.seoul,
    )
    return teacher


def test_mastery_map_page_and_api_give_the_same_map_and_the_same_log_row(
    world: Any, items: dict[str, list[Item]], client: Client, api_token: Any
) -> None:
    student = world.student
    for item, ok in zip(items["[6수04-01]"], [1, 0, 0, 1, 0, 0], strict=True):
        answer_record(actor=student, item_id=item.pk, answer=0 if ok else 1)
    teacher = _teacher_of(world, student)

    client.force_login(teacher)
    page = client.get(reverse("learner_model:mastery", args=[student.pk]))
    assert page.status_code == 200
    page_log = _log_rows()
    AccessLog.objects.all().delete()

    api = _api(
        client,
        api_token(teacher),
        "get",
        f"/api/v1/learner-model/students/{student.pk}/mastery",
    )
    assert api.status_code == 200
    api_log = _log_rows()

    data = api.json()
    assert page.context["student"].pk == data["student_id"] == student.pk
    assert page.context["basis"].trained == (data["estimator"] != "count-beta")
    assert [r.__dict__ for r in page.context["rows"]] == data["skills"]
    assert [r["code"] for r in data["skills"]] == ["[6수04-01]"]
    assert data["skills"][0]["answered"] == 6 and data["skills"][0]["correct"] == 2
    # One row each, the same row.
    assert (
        page_log
        == api_log
        == [(teacher.pk, student.pk, "view", "learner_model.mastery")]
    )


def test_mastery_map_refusal_is_the_same_404_on_page_and_api_and_logs_nothing(
    world: Any, items: dict[str, list[Item]], client: Client, api_token: Any
) -> None:
    student = world.student
    for stranger in (world.teacher, world.mentor):
        client.force_login(stranger)
        page = client.get(reverse("learner_model:mastery", args=[student.pk]))
        api = _api(
            client,
            api_token(stranger),
            "get",
            f"/api/v1/learner-model/students/{student.pk}/mastery",
        )
        assert page.status_code == api.status_code == 404
        assert api.json()["code"] == "not_found"
    # A student who does not exist is refused the same way.
    client.force_login(world.teacher)
    assert (
        client.get(reverse("learner_model:mastery", args=[999999])).status_code == 404
    )
    missing = _api(
        client,
        api_token(world.teacher),
        "get",
        "/api/v1/learner-model/students/999999/mastery",
    )
    assert missing.status_code == 404
    assert not AccessLog.objects.exists()


def test_the_student_opening_their_own_map_is_not_access_logged_on_either(
    world: Any, items: dict[str, list[Item]], client: Client, api_token: Any
) -> None:
    student = world.student
    answer_record(actor=student, item_id=items["[6수04-01]"][0].pk, answer=1)
    client.force_login(student)
    page = client.get(reverse("learner_model:mastery", args=[student.pk]))
    api = _api(
        client,
        api_token(student),
        "get",
        f"/api/v1/learner-model/students/{student.pk}/mastery",
    )
    assert page.status_code == api.status_code == 200
    assert [r.code for r in page.context["rows"]] == [
        r["code"] for r in api.json()["skills"]
    ]
    assert not AccessLog.objects.exists()


def test_recommendations_page_and_api_give_the_same_lessons_and_reasons(
    world: Any, items: dict[str, list[Item]], client: Client, api_token: Any
) -> None:
    student = world.student
    # Struggling with rates, never tried ratios: the ratio lesson comes first as
    # the prerequisite, and its reason names both skills.
    for item in items["[6수04-02]"][:6]:
        answer_record(actor=student, item_id=item.pk, answer=1)
    client.force_login(student)
    page = client.get(reverse("learner_model:recommendations"))
    assert page.status_code == 200
    api = _api(
        client, api_token(student), "get", "/api/v1/learner-model/recommendations"
    )
    assert api.status_code == 200
    data = api.json()

    page_rows = [(r.ranked.lesson.id, r.reason) for r in page.context["lessons"]]
    api_rows = [(r["lesson_id"], r["reason"]) for r in data["lessons"]]
    assert page_rows == api_rows
    assert page.context["basis"].trained == (data["estimator"] != "count-beta")
    first = data["lessons"][0]
    assert first["reason_code"] == "prerequisite"
    # Skill names, not raw codes, on both.
    assert "비의 뜻" in first["reason"] and "비율과 백분율" in first["reason"]
    assert "[6수04-02]" not in first["reason"]
    # Both showings were logged the same way.
    kinds = list(
        RecommendationEvent.objects.filter(student=student, kind="lesson")
        .order_by("shown_at", "rank")
        .values_list("lesson_id", flat=True)
    )
    n = len(page_rows)
    assert kinds[:n] == kinds[n:] == [lesson_id for lesson_id, _r in page_rows]


def test_following_someone_elses_recommendation_is_the_same_404_on_both(
    world: Any, items: dict[str, list[Item]], client: Client, api_token: Any
) -> None:
    client.force_login(world.student)
    client.get(reverse("learner_model:recommendations"))
    event = RecommendationEvent.objects.filter(kind="lesson").first()
    assert event is not None
    client.force_login(world.teacher)
    page = client.post(reverse("learner_model:follow", args=[event.pk]))
    api = _api(
        client,
        api_token(world.teacher),
        "post",
        f"/api/v1/learner-model/recommendations/{event.pk}/follow",
    )
    assert page.status_code == api.status_code == 404
    event.refresh_from_db()
    assert event.followed_at is None

    # The student's own: both record it and point at the same lesson.
    client.force_login(world.student)
    page = client.post(reverse("learner_model:follow", args=[event.pk]))
    assert page["Location"] == reverse("learning:lesson", args=[event.lesson_id])
    api = _api(
        client,
        api_token(world.student),
        "post",
        f"/api/v1/learner-model/recommendations/{event.pk}/follow",
    )
    assert api.json()["lesson_id"] == event.lesson_id
    event.refresh_from_db()
    assert event.followed_at is not None
