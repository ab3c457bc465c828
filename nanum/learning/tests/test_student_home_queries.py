"""The student home's cost stays put (issue 17, speed): a repeat visit reads exactly
the seven things it needs (session, user, roles and town services for the menu, the
applications, the stored summary, unread messages), a first visit a fixed number
however much the student has done, and the menu kept per roles, services and
language is the one each user should see."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nanum.core import navigation
from nanum.core.models import Notification, User
from nanum.learning.models import HomeSummary, PlanEntry, StudyDay
from nanum.learning.services.applications import application_approve

from .conftest import new_student

pytestmark = pytest.mark.django_db

HOME = reverse("learning:student_home")
#: What a repeat visit reads, by table: nothing else, and each once.
REPEAT = Counter(
    {
        "django_session": 1,
        "core_user": 1,
        "core_roleassignment": 1,  # the menu: roles
        "learning_tenantpolicy": 1,  # the menu: the towns' services
        "learning_application": 1,  # with the town and its switches (camps card)
        "learning_homesummary": 1,
        "core_notification": 1,
    }
)


def _member(world: Any, apply_for: Any) -> User:
    student = new_student(world.middle_school, birth_year=2009)
    app = apply_for(student, world.pyeongchang, school_level="high")
    application_approve(
        actor=world.pyeongchang_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    return student


def _more_history(student: User, n: int) -> None:
    today = timezone.localdate()
    StudyDay.objects.bulk_create(
        [
            StudyDay(student=student, day=today - timedelta(days=i), nanum_minutes=20)
            for i in range(n * 30)
        ],
        ignore_conflicts=True,
    )
    PlanEntry.objects.bulk_create(
        [
            PlanEntry(student=student, weekday=i % 7, subject=f"과목{i}", minutes=30)
            for i in range(n)
        ]
    )
    Notification.objects.bulk_create(
        [Notification(user=student, kind="test", subject=f"알림 {i}") for i in range(n)]
    )


def _queries(client: Any) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(HOME)
    assert page.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _tables(sqls: list[str]) -> Counter[str]:
    """The table each query reads first (its FROM)."""
    seen: Counter[str] = Counter()
    for sql in sqls:
        rest = sql.split(" FROM ", 1)[1].strip()
        seen[rest.split()[0].strip('"`')] += 1
    return seen


def _forget(student: User) -> None:
    cache.clear()
    HomeSummary.objects.filter(student=student).delete()


def test_a_repeat_visit_reads_seven_things_and_a_first_visit_does_not_grow(
    world, towns, apply_for, client_for
):
    student = _member(world, apply_for)
    _more_history(student, 1)
    client = client_for(student)
    first_small = len(_queries(client))
    assert _tables(_queries(client)) == REPEAT

    _more_history(student, 5)  # more days, plan entries and messages
    _forget(student)
    first_big = _queries(client)
    assert len(first_big) == first_small, _tables(first_big)
    assert _tables(_queries(client)) == REPEAT


def test_the_kept_menu_follows_roles_services_and_language(
    world, towns, apply_for, client_for
):
    camps = reverse("programs:list") + "?kind=camp"
    towns["pyeongchang"].services = [*towns["pyeongchang"].services, "camp"]
    towns["pyeongchang"].save(update_fields=["services"])
    member = _member(world, apply_for)
    outsider = new_student(world.middle_school, birth_year=2009)

    def menu(user: User, lang: str) -> dict[str, str]:
        page = client_for(user).get(HOME, HTTP_ACCEPT_LANGUAGE=lang)
        return {i["url"]: i["label"] for i in page.context["nav_items"]}

    assert menu(member, "ko")[camps] == "캠프"
    assert menu(member, "en")[camps] == "Camps"
    assert camps not in menu(outsider, "ko")  # same roles, other services
    assert menu(member, "ko")[camps] == "캠프"  # kept in Korean, not in English

    # a caller changing its copy changes nobody's menu
    mine = navigation.nav_for(member)
    mine[0]["label"] = "changed"
    assert "changed" not in {i["label"] for i in navigation.nav_for(member)}

    # a teacher's menu never reads the towns' services (no member entry of theirs
    # depends on them)
    client_for(world.teacher).get(reverse("core:home"))
    with CaptureQueriesContext(connection) as ctx:
        navigation.nav_for(User.objects.get(pk=world.teacher.pk))
    assert "learning_tenantpolicy" not in _tables(
        [q["sql"] for q in ctx.captured_queries]
    )
