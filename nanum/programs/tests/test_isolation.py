"""One centre's staff cannot see or change another centre's programmes or applicants."""

from __future__ import annotations

import json

import pytest

from nanum.core.models import AccessLog, Organisation, Role
from nanum.core.testing import make_user
from nanum.programs import services
from nanum.programs.models import Application, Programme
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(world):
    centre = Organisation.objects.create(
        code="msc-seobu",
        kind="centre",
        point_type="math_science_centre",
        tenant=world.seoul,
        name_ko="서부 수학과학융합교육센터",
        name_en="West Maths–Science Centre",
    )
    return centre, make_user("centre.west", Role.CENTRE_STAFF, centre)


@pytest.fixture
def programme(world):
    p = make_programme(world.centre_staff, world.centre, selection="lottery")
    services.application_apply(actor=world.student, programme=p, declare_priority=True)
    return p


def _snapshot(p: Programme) -> tuple:
    p.refresh_from_db()
    return (
        p.status,
        p.drawn_at,
        p.name_ko,
        list(Application.objects.filter(programme=p).values_list("status", "priority")),
        p.sessions.count(),
    )


def test_other_centre_staff_get_404_on_every_organiser_page(
    client_for, world, programme, other
):
    before = _snapshot(programme)
    c = client_for(other[1])
    s = programme.sessions.all()[0]
    base = f"/programs/organiser/{programme.pk}/"
    for url in (
        base,
        base + "edit/",
        f"{base}sessions/{s.pk}/attendance/",
        f"{base}sessions/{s.pk}/qr.svg",
    ):
        assert c.get(url).status_code == 404, url
    for action in ("draw", "cancelled", "draft", "certificates", "priority", "session"):
        assert (
            c.post(base, {"action": action, "application": 1, "value": "0"}).status_code
            == 404
        )
    assert c.post(base + "edit/", {"name_ko": "해킹"}).status_code == 404
    assert (
        c.post(f"{base}sessions/{s.pk}/attendance/", {"present": [1]}).status_code
        == 404
    )
    dash = c.get("/programs/organiser/")
    assert dash.status_code == 200 and programme.name_ko not in dash.content.decode()
    assert _snapshot(programme) == before


def test_other_centre_staff_are_refused_by_the_api(
    client, api_token, world, programme, other
):
    before = _snapshot(programme)
    h = {"HTTP_AUTHORIZATION": f"Bearer {api_token(other[1])}"}
    base = f"/api/v1/programs/organiser/programmes/{programme.pk}"
    assert client.get(base + "/applications", **h).status_code == 404
    assert client.post(base + "/draw", **h).status_code == 404
    assert (
        client.post(
            base + "/status",
            json.dumps({"status": "cancelled"}),
            content_type="application/json",
            **h,
        ).status_code
        == 404
    )
    app = programme.applications.first()
    r = client.post(
        f"/api/v1/programs/organiser/applications/{app.pk}/priority",
        json.dumps({"priority": False}),
        content_type="application/json",
        **h,
    )
    assert r.status_code == 404
    r = client.post(
        "/api/v1/programs/organiser/programmes",
        json.dumps(
            {
                "organiser_id": world.centre.pk,
                "name_ko": "가짜",
                "kind": "camp",
                "audience": "students",
                "capacity": 5,
                "apply_opens_at": "2026-01-01T00:00:00Z",
                "apply_closes_at": "2026-02-01T00:00:00Z",
            }
        ),
        content_type="application/json",
        **h,
    )
    assert r.status_code == 403
    listed = client.get("/api/v1/programs/organiser/programmes", **h).json()
    assert listed["items"] == [] and listed["count"] == 0
    assert _snapshot(programme) == before
    assert Programme.objects.count() == 1


def test_own_staff_see_applicants_and_the_view_is_logged(client_for, world, programme):
    c = client_for(world.centre_staff)
    r = c.get(f"/programs/organiser/{programme.pk}/")
    assert r.status_code == 200 and str(world.student) in r.content.decode()
    assert AccessLog.objects.filter(
        actor=world.centre_staff, object_type="programs.Application"
    ).exists()


def test_students_and_teachers_cannot_reach_organiser_pages(
    client_for, world, programme
):
    for user in (world.student, world.teacher, world.pyeongchang_officer):
        c = client_for(user)
        assert c.get("/programs/organiser/").status_code == 404
        assert c.get(f"/programs/organiser/{programme.pk}/").status_code == 404


def test_a_town_officer_elsewhere_sees_nothing_through_the_api(
    client, api_token, world, programme
):
    h = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.pyeongchang_officer)}"}
    assert (
        client.get("/api/v1/programs/organiser/programmes", **h).json()["items"] == []
    )
    assert (
        client.get(
            f"/api/v1/programs/organiser/programmes/{programme.pk}/applications", **h
        ).status_code
        == 404
    )


def test_an_applicant_sees_only_their_own_applications(
    client, api_token, world, programme
):
    h = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.teacher)}"}
    assert client.get("/api/v1/programs/my/applications", **h).json()["items"] == []
    app = programme.applications.first()
    r = client.post(f"/api/v1/programs/my/applications/{app.pk}/withdraw", **h)
    assert r.status_code == 404
    app.refresh_from_db()
    assert app.status == "submitted"
