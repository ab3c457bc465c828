"""A guardian (and any participant) sees each application's attendance so far, on the
page and in the API, and only for their own applications."""

from __future__ import annotations

import pytest

from nanum.programs import services
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


def test_a_guardian_sees_the_childs_attendance_on_the_page_and_in_the_api(
    world, client_for, api_token, client
):
    p = make_programme(
        world.centre_staff,
        world.centre,
        sessions=3,
        past_sessions=True,
        kind="family",
        audience="families",
        grade_min=1,
        grade_max=6,
    )
    child = services.child_add(actor=world.guardian, name="정어린", grade=3)
    app = services.application_apply(actor=world.guardian, programme=p, child=child)
    sessions = list(p.sessions.all())
    for s in sessions[:2]:
        services.attendance_mark(
            actor=world.centre_staff,
            session=s,
            application_ids=[app.pk],
            present_ids=[app.pk] if s == sessions[0] else [],
        )
    page = client_for(world.guardian).get("/programs/mine/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Attended 1 of 3 sessions so far." in page.content.decode()
    token = api_token(world.guardian)
    data = client.get(
        "/api/v1/programs/my/applications", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    mine = next(a for a in data["items"] if a["id"] == app.pk)
    assert (mine["sessions_attended"], mine["sessions_held"]) == (1, 3)
    # someone else sees none of it
    other = client_for(world.other_teacher).get("/programs/mine/")
    assert "정어린" not in other.content.decode()
