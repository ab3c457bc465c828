"""A page and its API twin give the same answer, the same refusal and the same
access-log rows for the same request (docs/CONVENTIONS.md §3, "open" services)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nanum.core.models import AccessLog, Organisation, Role, User
from nanum.core.testing import make_user
from nanum.programs import services
from nanum.programs.models import Application, Programme, Session
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db

API = "/api/v1/programs"


def _api(user: User, api_token: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user)}")


def _log_rows(actor: User) -> list[tuple[str, str, str, int]]:
    return list(
        AccessLog.objects.filter(actor=actor)
        .order_by("pk")
        .values_list("action", "object_type", "object_id", "record_count")
    )


@pytest.fixture
def programme(world: Any) -> Programme:
    p = make_programme(world.centre_staff, world.centre, capacity=5, sessions=2)
    services.application_apply(actor=world.student, programme=p)
    return p


@pytest.fixture
def west_staff(world: Any) -> User:
    west = Organisation.objects.create(
        code="msc-seobu",
        kind="centre",
        point_type="math_science_centre",
        tenant=world.seoul,
        name_ko="서부 수학과학융합교육센터",
    )
    return make_user("centre.west", Role.CENTRE_STAFF, west)


def _session(p: Programme) -> Session:
    s = p.sessions.order_by("pk").first()
    assert s is not None, "make_programme adds sessions"
    return s


def test_applicant_list_page_and_api_agree_and_log_the_same_row(
    client_for: Any, api_token: Any, world: Any, programme: Programme
) -> None:
    staff = world.centre_staff
    page = client_for(staff).get(f"/programs/organiser/{programme.pk}/")
    assert page.status_code == 200
    page_ids = [row.application.pk for row in page.context["rows"]]
    page_log = _log_rows(staff)

    AccessLog.objects.all().delete()
    api = _api(staff, api_token).get(
        f"{API}/organiser/programmes/{programme.pk}/applications"
    )
    assert api.status_code == 200
    api_ids = [row["id"] for row in api.json()["items"]]
    api_log = _log_rows(staff)

    expected = list(programme.applications.values_list("pk", flat=True))
    assert page_ids == api_ids == expected and len(expected) == 1
    assert (
        page_log
        == api_log
        == [("view", "programs.Application", f"programme:{programme.pk}", 1)]
    )


def test_applicant_list_is_404_on_both_for_another_centre_and_nothing_is_logged(
    client_for: Any, api_token: Any, programme: Programme, west_staff: User
) -> None:
    page = client_for(west_staff).get(f"/programs/organiser/{programme.pk}/")
    api = _api(west_staff, api_token).get(
        f"{API}/organiser/programmes/{programme.pk}/applications"
    )
    assert page.status_code == api.status_code == 404
    missing = Programme.objects.order_by("-pk").values_list("pk", flat=True)[0] + 99
    assert (
        client_for(west_staff).get(f"/programs/organiser/{missing}/").status_code
        == _api(west_staff, api_token)
        .get(f"{API}/organiser/programmes/{missing}/applications")
        .status_code
        == 404
    )
    assert _log_rows(west_staff) == []


def test_attendance_page_and_api_agree_and_log_the_same_row(
    client_for: Any, api_token: Any, world: Any, programme: Programme
) -> None:
    staff = world.centre_staff
    s = _session(programme)
    app = programme.applications.get()
    services.attendance_mark(
        actor=staff, session=s, application_ids=[app.pk], present_ids=[app.pk]
    )
    url = f"/programs/organiser/{programme.pk}/sessions/{s.pk}/attendance/"
    page = client_for(staff).get(url)
    assert page.status_code == 200
    page_ids = [a.pk for a in page.context["apps"]]
    page_present = set(page.context["present"])
    page_log = _log_rows(staff)

    AccessLog.objects.all().delete()
    api = _api(staff, api_token).get(
        f"{API}/organiser/programmes/{programme.pk}/sessions/{s.pk}/attendance"
    )
    assert api.status_code == 200
    body = api.json()
    api_ids = [row["id"] for row in body["participants"]]
    api_present = {row["id"] for row in body["participants"] if row["present"]}
    api_log = _log_rows(staff)

    assert body["session_id"] == s.pk
    assert page_ids == api_ids == [app.pk]
    assert page_present == api_present == {app.pk}
    assert (
        page_log == api_log == [("view", "programs.Attendance", f"session:{s.pk}", 1)]
    )


def test_attendance_is_404_on_both_for_another_centre_or_session(
    client_for: Any, api_token: Any, world: Any, programme: Programme, west_staff: User
) -> None:
    s = _session(programme)
    page = client_for(west_staff).get(
        f"/programs/organiser/{programme.pk}/sessions/{s.pk}/attendance/"
    )
    api = _api(west_staff, api_token).get(
        f"{API}/organiser/programmes/{programme.pk}/sessions/{s.pk}/attendance"
    )
    assert page.status_code == api.status_code == 404
    assert _log_rows(west_staff) == []
    # The organiser's own programme with a session of another programme: 404 too.
    other = make_programme(world.centre_staff, world.centre)
    foreign = _session(other)
    staff = world.centre_staff
    page = client_for(staff).get(
        f"/programs/organiser/{programme.pk}/sessions/{foreign.pk}/attendance/"
    )
    api = _api(staff, api_token).get(
        f"{API}/organiser/programmes/{programme.pk}/sessions/{foreign.pk}/attendance"
    )
    assert page.status_code == api.status_code == 404
    assert _log_rows(staff) == []


def test_programme_detail_page_and_api_show_the_same_programme(
    client_for: Any, api_token: Any, world: Any, programme: Programme
) -> None:
    student = world.student
    page = client_for(student).get(f"/programs/{programme.pk}/")
    api = _api(student, api_token).get(f"{API}/{programme.pk}")
    assert page.status_code == api.status_code == 200
    body = api.json()
    assert page.context["p"].pk == body["id"] == programme.pk
    assert [s.pk for s in page.context["sessions"]] == [
        s["id"] for s in body["sessions"]
    ]
    assert page.context["taken"] == 1
    assert page.context["commitment"] == body["seed_commitment"]
    assert [a.pk for a in page.context["mine"]] == list(
        programme.applications.filter(participant=student).values_list("pk", flat=True)
    )
    assert _log_rows(student) == []


def test_programme_detail_is_404_on_both_for_a_draft_or_a_missing_programme(
    client_for: Any, api_token: Any, world: Any
) -> None:
    draft = make_programme(world.centre_staff, world.centre, publish=False)
    student = world.student
    for pk in (draft.pk, draft.pk + 999):
        page = client_for(student).get(f"/programs/{pk}/")
        api = _api(student, api_token).get(f"{API}/{pk}")
        assert page.status_code == api.status_code == 404, pk


def test_my_applications_page_and_api_list_the_same_applications(
    client_for: Any, api_token: Any, world: Any, programme: Programme
) -> None:
    page = client_for(world.student).get("/programs/mine/")
    api = _api(world.student, api_token).get(f"{API}/my/applications")
    assert page.status_code == api.status_code == 200
    mine = list(
        Application.objects.filter(participant=world.student)
        .order_by("-created_at")
        .values_list("pk", flat=True)
    )
    assert (
        [a.pk for a in page.context["apps"]]
        == [r["id"] for r in api.json()["items"]]
        == mine
    )
    assert mine
