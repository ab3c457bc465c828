"""The menu, the home page cards and the pages' links follow the towns' service
switches (issue 11): a member of a town that offers counselling and & Jump sees them;
a member of a town without them does not (and the pages still refuse on their own);
staff keep their entries; a guardian sees what their child's town offers."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from nanum.core import navigation
from nanum.core.demo import seed_core
from nanum.core.models import Role, User
from nanum.core.testing import make_user
from nanum.learning import demo
from nanum.learning.models import Application, Status
from nanum.learning.selectors import services_offered_to
from nanum.learning.services.applications import application_approve

from .conftest import new_student

pytestmark = pytest.mark.django_db

COUNSELLING = "mentoring:counselling"
MENTORING = "mentoring:home"
JUMP = "learning:jump"


@pytest.fixture
def switches(towns: Any) -> Any:
    """Pyeongchang as in the demo (counselling and & Jump, no mentoring); Gimpo with
    lectures and mentoring only; Seoul with residential programmes."""
    towns["pyeongchang"].services = ["lectures", "counselling", "jump"]
    towns["pyeongchang"].save()
    towns["gimpo"].services = ["lectures", "mentoring"]
    towns["gimpo"].save()
    towns["seoul"].services = ["lectures", "dormitory"]
    towns["seoul"].save()
    return towns


def _member(world: Any, apply_for: Any, tenant: Any, officer: User) -> User:
    student = new_student(world.middle_school, birth_year=2009)
    app = apply_for(student, tenant, school_level="high")
    application_approve(
        actor=officer, application_id=app.pk, verified_on=timezone.localdate()
    )
    return student


def _urls(user: User) -> set[str]:
    return {item["url"] for item in navigation.nav_for(user)}


def test_a_member_sees_only_the_services_their_town_offers(
    world, switches, apply_for, client_for
):
    pc = _member(world, apply_for, world.pyeongchang, world.pyeongchang_officer)
    gimpo = _member(world, apply_for, world.gimpo, world.gimpo_officer)
    counselling, jump = reverse(COUNSELLING), reverse(JUMP)

    assert {counselling, jump} <= _urls(pc)
    assert not {counselling, jump} & _urls(gimpo)
    # the other entries of a student are still there
    assert reverse("learning:student_home") in _urls(gimpo)

    for user, shown in ((pc, True), (gimpo, False)):
        client = client_for(user)
        home = client.get(reverse("core:home"))
        cards = {c["url"] for c in home.context["cards"]}
        menu = {c["url"] for c in home.context["nav_items"]}
        assert ({counselling, jump} <= cards) is shown
        assert ({counselling, jump} <= menu) is shown
        assert bool({counselling, jump} & cards) is shown
        mentoring = client.get(reverse("mentoring:home"))
        assert mentoring.context["show_counselling"] is shown
        assert (f'href="{counselling}"' in mentoring.content.decode()) is shown


def test_the_mentoring_entry_follows_the_mentoring_switch(
    world, switches, apply_for, client_for
):
    """A Pyeongchang member (counselling, no mentoring) is not sent to an empty
    mentoring page; a Gimpo member (mentoring) is; mentors and officers keep it."""
    pc = _member(world, apply_for, world.pyeongchang, world.pyeongchang_officer)
    gimpo = _member(world, apply_for, world.gimpo, world.gimpo_officer)
    mentoring = reverse(MENTORING)

    assert mentoring not in _urls(pc)
    assert not navigation.nav_allows(pc, MENTORING)
    assert reverse(COUNSELLING) in _urls(pc)  # counselling stands on its own
    assert mentoring in _urls(gimpo)
    home = client_for(pc).get(reverse("core:home"))
    assert mentoring not in {c["url"] for c in home.context["cards"]}
    assert mentoring not in {c["url"] for c in home.context["nav_items"]}
    home = client_for(gimpo).get(reverse("core:home"))
    assert mentoring in {c["url"] for c in home.context["cards"]}
    # staff who run mentoring keep the entry, whatever their town offers
    assert navigation.nav_allows(world.mentor, MENTORING)
    assert navigation.nav_allows(world.pyeongchang_officer, MENTORING)
    assert navigation.nav_allows(world.admin, MENTORING)
    # the page itself still answers (and offers the counselling link)
    page = client_for(pc).get(mentoring)
    assert page.status_code == 200 and page.context["show_counselling"] is True


def test_the_pages_still_refuse_a_town_without_the_service(
    world, switches, apply_for, client_for
):
    gimpo = _member(world, apply_for, world.gimpo, world.gimpo_officer)
    client = client_for(gimpo)
    assert client.get(reverse(COUNSELLING)).context["slots"] == []
    assert list(client.get(reverse(JUMP)).context["programmes"]) == []


def test_an_applicant_not_yet_approved_sees_no_town_service(world, switches, apply_for):
    student = new_student(world.middle_school, birth_year=2009)
    apply_for(student, world.pyeongchang, school_level="high")
    assert services_offered_to(student) == set()
    assert reverse(COUNSELLING) not in _urls(student)
    # once approved, the town's services appear
    app = student.learning_applications.get()
    application_approve(
        actor=world.pyeongchang_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    assert services_offered_to(student) == {"lectures", "counselling", "jump"}
    assert reverse(COUNSELLING) in _urls(student)


def test_a_guardian_sees_and_jump_where_their_child_is_a_member(
    world, switches, apply_child
):
    jump = reverse(JUMP)
    assert jump not in _urls(world.guardian)
    app = apply_child(world.pyeongchang, school_level="elementary")
    application_approve(
        actor=world.pyeongchang_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    assert jump in _urls(world.guardian)
    other = make_user("guardian.other", Role.GUARDIAN, world.middle_school)
    assert jump not in _urls(other)


def test_the_guardians_child_page_links_to_mentoring_only_where_offered(
    world, switches, apply_child, client_for, api_token
):
    """A child in Pyeongchang (counselling, no mentoring): the guardian's page has no
    mentoring link and the API twin lists no mentoring; once the town switches
    mentoring on, both show it."""
    app = apply_child(world.pyeongchang, school_level="elementary")
    application_approve(
        actor=world.pyeongchang_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    child = app.student
    page_url = reverse("learning:guardian_child", args=[child.pk])
    link = f'href="{reverse("mentoring:guardian_child", args=[child.pk])}"'
    api_url = f"/api/v1/learning/children/{child.pk}/progress"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.guardian)}"}
    client = client_for(world.guardian)

    page = client.get(page_url)
    assert page.status_code == 200
    assert link not in page.content.decode()
    answer = client.get(api_url, **auth).json()
    assert "mentoring" not in answer["services"]
    assert "counselling" in answer["services"]

    switches["pyeongchang"].services = ["lectures", "counselling", "mentoring"]
    switches["pyeongchang"].save()
    assert link in client.get(page_url).content.decode()
    assert "mentoring" in client.get(api_url, **auth).json()["services"]


def test_staff_keep_their_entries_whatever_their_town_offers(world, switches):
    # a counsellor of Gimpo, which offers no counselling: the page tells them so
    counsellor = make_user("counsellor.gimpo", Role.COUNSELLOR, world.gimpo_hall)
    assert navigation.nav_allows(counsellor, COUNSELLING)
    assert reverse("learning:jump_programmes") in _urls(world.gimpo_officer)
    assert navigation.nav_allows(world.admin, "learning:jump_programmes")
    assert not navigation.nav_allows(world.admin, COUNSELLING)  # not an admin entry


def test_without_a_registered_gate_nothing_is_hidden(
    world, switches, apply_for, monkeypatch
):
    gimpo = _member(world, apply_for, world.gimpo, world.gimpo_officer)
    assert not navigation.nav_allows(gimpo, COUNSELLING)
    monkeypatch.setattr(navigation, "_service_gates", [])
    assert navigation.services_offered(gimpo) is None
    assert navigation.nav_allows(gimpo, COUNSELLING)


def test_the_residential_stays_link_follows_the_dormitory_switch(
    world, switches, apply_for, client_for
):
    seoul = _member(world, apply_for, world.seoul, world.seoul_officer)
    gimpo = _member(world, apply_for, world.gimpo, world.gimpo_officer)
    stays = f'href="{reverse("programs:stays")}"'
    for user, shown in ((seoul, True), (gimpo, False)):
        client = client_for(user)
        for page in ("programs:list", "programs:mine"):
            response = client.get(reverse(page))
            assert response.context["show_stays"] is shown
            assert (stays in response.content.decode()) is shown


def test_the_demo_people_see_their_towns_services():
    """The demo: 평창학생 (Pyeongchang: counselling and & Jump) sees both; a Gimpo
    member (lectures and mentoring only) sees neither; the guardian, whose child is a
    Seoul member, sees & Jump."""
    ctx = seed_core()
    demo.seed(ctx, "small")
    counselling, jump = reverse(COUNSELLING), reverse(JUMP)
    pc = User.objects.get(username="student.pyeongchang")
    assert {counselling, jump} <= _urls(pc)
    assert reverse(MENTORING) not in _urls(pc)  # Pyeongchang offers no mentoring
    assert reverse(MENTORING) in _urls(ctx.users["student"])
    assert {counselling, jump} <= _urls(ctx.users["student"])  # Seoul offers both
    gimpo_app = (
        Application.objects.filter(tenant__slug="gimpo", status=Status.APPROVED)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()))
        .select_related("student")
        .first()
    )
    assert gimpo_app is not None
    gimpo = gimpo_app.student
    assert not {counselling, jump} & _urls(gimpo)
    assert reverse("learning:student_home") in _urls(gimpo)
    guardian = ctx.users["guardian"]
    assert jump in _urls(guardian)
    assert counselling not in _urls(guardian)  # counselling is the student's own
