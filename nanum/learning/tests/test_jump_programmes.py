"""& Jump reward programmes: open, apply with an essay, shortlist, select within the
places, guardian consent to travel; other towns see nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import AuditLog, Notification, Role
from nanum.core.testing import make_user
from nanum.learning.models import (
    GuardianLink,
    RewardApplication,
    RewardProgramme,
    StudyDay,
)
from nanum.learning.services.applications import application_approve

from .conftest import new_student

pytestmark = pytest.mark.django_db

ESSAY = "저는 수학을 좋아하고 여름 캠프에서 더 넓은 세상을 배우고 싶습니다. " * 2


@pytest.fixture
def jump_town(world: Any, towns: Any) -> Any:
    policy = towns["pyeongchang"]
    policy.services = ["lectures", "jump"]
    policy.save()
    return policy


def member(world: Any, apply_for: Any, minutes: int, birth_year: int = 2010) -> Any:
    s = new_student(world.middle_school, birth_year=birth_year)
    app = apply_for(s, world.pyeongchang)
    application_approve(
        actor=world.pyeongchang_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    StudyDay.objects.create(
        student=s, day=timezone.localdate(), provider_minutes=minutes
    )
    return s


def programme_post(**over: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "title_ko": "예일대 여름 캠프",
        "title_en": "Yale summer camp",
        "description": "2주 캠프",
        "criteria": "마일리지와 에세이",
        "essay_prompt": "캠프에서 무엇을 배우고 싶나요?",
        "places": "1",
        "min_mileage": "10",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=14)).isoformat(),
        "involves_travel": "on",
    }
    data.update(over)
    return data


def test_programme_runs_from_application_to_selection(
    world, jump_town, apply_for, client_for
):
    officer = client_for(world.pyeongchang_officer)
    response = officer.post(
        reverse("learning:jump_programmes"),
        {"town": world.pyeongchang.pk, **programme_post()},
    )
    assert response.status_code == 302
    programme = RewardProgramme.objects.get()
    strong = member(world, apply_for, 900)
    weak = member(world, apply_for, 300)
    low = member(world, apply_for, 50)  # 5 mileage: below the floor
    guardian = make_user("g-jump", Role.GUARDIAN, world.middle_school)
    GuardianLink.objects.create(guardian=guardian, child=strong)
    for student in (strong, weak):
        response = client_for(student).post(
            reverse("learning:jump_apply", args=[programme.pk]), {"essay": ESSAY}
        )
        assert response.status_code == 302
    response = client_for(low).post(
        reverse("learning:jump_apply", args=[programme.pk]), {"essay": ESSAY}
    )
    assert response.status_code == 200
    assert RewardApplication.objects.count() == 2
    officer = client_for(world.pyeongchang_officer)
    officer.post(
        reverse("learning:jump_programme", args=[programme.pk]), {"shortlist": 1}
    )
    states = dict(RewardApplication.objects.values_list("student_id", "state"))
    assert states == {strong.pk: "shortlisted", weak.pk: "shortlisted"}
    first, second = RewardApplication.objects.order_by("-mileage")
    officer.post(
        reverse("learning:jump_programme", args=[programme.pk]),
        {"application": first.pk, "decision": "select"},
    )
    officer.post(
        reverse("learning:jump_programme", args=[programme.pk]),
        {"application": second.pk, "decision": "select"},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == "selected" and first.student == strong
    assert second.state == "shortlisted"  # one place only: refused
    assert Notification.objects.filter(user=strong, kind="learning.jump.selected")
    assert Notification.objects.filter(user=guardian, kind="learning.jump.consent")
    page = client_for(guardian).get(reverse("learning:jump"))
    assert [a.pk for a in page.context["consents"]] == [first.pk]
    client_for(guardian).post(reverse("learning:jump_consent", args=[first.pk]))
    first.refresh_from_db()
    assert first.travel_consent_by == guardian
    assert AuditLog.objects.filter(action="learning.jump.consent").exists()


def test_essay_and_window_and_duplicates(world, jump_town, apply_for, client_for):
    today = timezone.localdate()
    programme = RewardProgramme.objects.create(
        tenant=world.pyeongchang,
        title_ko="캠프",
        essay_prompt="왜?",
        places=2,
        opens_on=today,
        closes_on=today,
    )
    s = member(world, apply_for, 600)
    client = client_for(s)
    url = reverse("learning:jump_apply", args=[programme.pk])
    client.cookies["nanum_language"] = "en"
    response = client.post(url, {"essay": "짧아요"})
    assert "Write at least 30 characters" in response.content.decode()
    assert client.post(url, {"essay": ESSAY}).status_code == 302
    response = client.post(url, {"essay": ESSAY})
    assert "already applied" in response.content.decode()
    programme.opens_on = programme.closes_on = today - timedelta(days=1)
    programme.save()
    response = client.post(url, {"essay": ESSAY})
    assert "Applications for this programme are closed" in response.content.decode()
    assert RewardApplication.objects.count() == 1


def test_bad_programme_is_refused_on_the_field(world, jump_town, client_for):
    client = client_for(world.pyeongchang_officer)
    today = timezone.localdate()
    response = client.post(
        reverse("learning:jump_programmes"),
        {
            "town": world.pyeongchang.pk,
            **programme_post(
                places="0", closes_on=(today - timedelta(days=3)).isoformat()
            ),
        },
    )
    form = response.context["form"]
    assert "places" in form.errors and "closes_on" in form.errors
    assert not RewardProgramme.objects.exists()


def test_town_without_jump_cannot_open_one(world, towns, client_for):
    response = client_for(world.gimpo_officer).post(
        reverse("learning:jump_programmes"),
        {"town": world.gimpo.pk, **programme_post()},
    )
    assert response.status_code == 200
    assert not RewardProgramme.objects.exists()


def test_other_towns_and_roles_see_nothing(world, jump_town, apply_for, client_for):
    today = timezone.localdate()
    programme = RewardProgramme.objects.create(
        tenant=world.pyeongchang,
        title_ko="캠프",
        essay_prompt="왜?",
        places=1,
        opens_on=today,
        closes_on=today,
    )
    s = member(world, apply_for, 600)
    app = RewardApplication.objects.create(
        programme=programme,
        tenant=world.pyeongchang,
        student=s,
        essay=ESSAY,
        state="shortlisted",
    )
    # another town's officer: not found, nothing changes
    gimpo = client_for(world.gimpo_officer)
    url = reverse("learning:jump_programme", args=[programme.pk])
    assert gimpo.get(url).status_code == 404
    assert gimpo.post(url, {"shortlist": 1}).status_code == 404
    assert (
        gimpo.post(url, {"application": app.pk, "decision": "select"}).status_code
        == 404
    )
    listing = gimpo.get(reverse("learning:jump_programmes"))
    assert list(listing.context["programmes"]) == []
    listing = client_for(world.pyeongchang_officer).get(
        reverse("learning:jump_programmes")
    )
    assert [p.pk for p in listing.context["programmes"]] == [programme.pk]
    # a student of another town cannot see or apply
    outsider = new_student(world.middle_school)
    response = client_for(outsider).post(
        reverse("learning:jump_apply", args=[programme.pk]), {"essay": ESSAY}
    )
    assert response.status_code == 404
    # a guardian who is not the child's cannot consent
    app.state = "selected"
    app.save()
    stranger = make_user("g-stranger", Role.GUARDIAN, world.middle_school)
    response = client_for(stranger).post(
        reverse("learning:jump_consent", args=[app.pk])
    )
    assert response.status_code == 404
    # students cannot reach the officer pages
    assert client_for(s).get(reverse("learning:jump_programmes")).status_code == 403
    app.refresh_from_db()
    assert app.state == "selected" and app.travel_consent_at is None
    assert RewardApplication.objects.count() == 1
    assert not AuditLog.objects.filter(action__startswith="learning.jump").exists()
