"""Every research endpoint refuses people outside the project, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from nanum.core.models import AccessLog, Role
from nanum.core.testing import make_user
from nanum.insights import services
from nanum.insights.models import ResearchExport
from nanum.learning.models import Course, Interaction, Item, Lesson

from .conftest import consenting_students

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(world: Any, project: Any) -> ResearchExport:
    course = Course.objects.create(title="c", subject="수학", school_level="middle")
    lesson = Lesson.objects.create(course=course, order=1, title="l")
    item = Item.objects.create(lesson=lesson, prompt="p", choices=["a", "b"], answer=0)
    for u in consenting_students(world, 5):
        Interaction.objects.create(student=u, item=item, correct=True)
    return services.research_export_create(
        actor=world.researcher, project_id=project.pk, dataset="interactions"
    )


def test_research_endpoints_are_closed_to_others(
    world: Any, project: Any, export: ResearchExport, client: Any, api_token: Any
) -> None:
    stranger = make_user("res.other", Role.RESEARCHER, world.university)
    before = (ResearchExport.objects.count(), AccessLog.objects.count())
    for user in (stranger, world.gimpo_officer, world.teacher):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"}
        base = "/api/v1/insights/research"
        listing = client.get(f"{base}/projects", **auth).json()
        assert listing["count"] == 0 and listing["items"] == []
        assert (
            client.get(f"{base}/projects/{project.pk}/exports", **auth).status_code
            == 404
        )
        resp = client.post(
            f"{base}/projects/{project.pk}/exports",
            {"dataset": "interactions"},
            content_type="application/json",
            **auth,
        )
        assert resp.status_code == 404
        assert client.get(f"{base}/exports/{export.pk}/file", **auth).status_code == 404
        resp = client.get(
            f"{base}/projects/{project.pk}/aggregate",
            {"dataset": "interactions", "by": "region"},
            **auth,
        )
        assert resp.status_code == 404
    assert (ResearchExport.objects.count(), AccessLog.objects.count()) == before


def test_the_researcher_sees_their_project_and_exports(
    world: Any, project: Any, export: ResearchExport, client: Any, api_token: Any
) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.researcher)}"}
    listing = client.get("/api/v1/insights/research/projects", **auth).json()
    assert [p["id"] for p in listing["items"]] == [project.pk]
    exports = client.get(
        f"/api/v1/insights/research/projects/{project.pk}/exports", **auth
    ).json()
    assert exports["count"] == 1 and exports["items"][0]["min_k"] >= 5
    resp = client.post(
        f"/api/v1/insights/research/projects/{project.pk}/exports",
        {"dataset": "interactions"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
        **auth,
    )
    assert resp.status_code == 201
    again = client.post(
        f"/api/v1/insights/research/projects/{project.pk}/exports",
        {"dataset": "interactions"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
        **auth,
    )
    assert again.json()["id"] == resp.json()["id"]
    assert ResearchExport.objects.count() == 2
