"""A student's camps entry (issue 11): a student member of a town that switches camps on
sees "Camps" in their menu and a camps card on their home, both leading to that town's
camps; a student of a town without camps sees neither. The home keeps its summary in a
stored row: switching camps on or off shows at the student's next visit all the same,
and one town's switch never shows in another town's students' pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import User
from nanum.learning.models import HomeSummary, TenantPolicy
from nanum.learning.services.applications import application_approve

from .conftest import new_student

pytestmark = pytest.mark.django_db

CAMPS = reverse("programs:list") + "?kind=camp"


def _member(world: Any, apply_for: Any, tenant: Any, officer: User) -> User:
    student = new_student(world.middle_school, birth_year=2009)
    app = apply_for(student, tenant, school_level="high")
    application_approve(
        actor=officer, application_id=app.pk, verified_on=timezone.localdate()
    )
    return student


def _switch(policy: TenantPolicy, *, camp: bool) -> None:
    services = [s for s in policy.services if s != "camp"]
    policy.services = [*services, "camp"] if camp else services
    policy.save(update_fields=["services"])


def _seen(client: Any) -> tuple[set[str], list[dict[str, str]], str]:
    page = client.get(reverse("learning:student_home"))
    assert page.status_code == 200
    menu = {item["url"] for item in page.context["nav_items"]}
    return menu, list(page.context["camps"]), page.content.decode()


def test_a_student_of_a_camp_town_sees_the_entry_and_card_others_do_not(
    world, towns, apply_for, client_for
):
    _switch(towns["pyeongchang"], camp=True)
    _switch(towns["gimpo"], camp=False)
    pc = _member(world, apply_for, world.pyeongchang, world.pyeongchang_officer)
    gimpo = _member(world, apply_for, world.gimpo, world.gimpo_officer)
    town_camps = f"{CAMPS}&town={world.pyeongchang.slug}"

    menu, camps, html = _seen(client_for(pc))
    assert CAMPS in menu
    assert [c["url"] for c in camps] == [town_camps]
    assert town_camps.replace("&", "&amp;") in html

    menu, camps, html = _seen(client_for(gimpo))
    assert CAMPS not in menu
    assert camps == []
    assert "kind=camp" not in html
    # no link to another town's camps either (town isolation)
    assert f"town={world.pyeongchang.slug}" not in html


def test_switching_camps_shows_at_the_next_visit_despite_the_stored_home(
    world, towns, apply_for, client_for
):
    policy = towns["gimpo"]
    _switch(policy, camp=False)
    student = _member(world, apply_for, world.gimpo, world.gimpo_officer)
    client = client_for(student)

    menu, camps, _html = _seen(client)
    assert CAMPS not in menu and camps == []
    assert HomeSummary.objects.filter(student=student).exclude(summary=b"").exists()

    _switch(policy, camp=True)
    menu, camps, html = _seen(client)
    assert CAMPS in menu
    assert [c["url"] for c in camps] == [f"{CAMPS}&town={world.gimpo.slug}"]

    _switch(policy, camp=False)
    menu, camps, html = _seen(client)
    assert CAMPS not in menu and camps == []
    assert "kind=camp" not in html


def test_an_applicant_not_yet_approved_sees_no_camps_entry(
    world, towns, apply_for, client_for
):
    _switch(towns["pyeongchang"], camp=True)
    student = new_student(world.middle_school, birth_year=2009)
    apply_for(student, world.pyeongchang, school_level="high")
    menu, camps, _html = _seen(client_for(student))
    assert CAMPS not in menu and camps == []
