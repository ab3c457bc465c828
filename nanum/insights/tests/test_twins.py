"""A page and its API twin give the same answer, the same refusal and the same
access-log rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from nanum.core import clock
from nanum.core.models import AccessLog
from nanum.insights import services
from nanum.insights.models import ResearchExport
from nanum.learning.models import Course, Interaction, Item, Lesson

from .conftest import consenting_students

pytestmark = pytest.mark.django_db


def test_equity_page_and_api_give_the_same_figures(
    equity_world: Any, client_for: Any, client: Any, api_token: Any
) -> None:
    officer = equity_world.seoul_officer
    page = client_for(officer).get(reverse("insights:dashboard"), {"format": "csv"})
    lines = page.content.decode("utf-8-sig").strip().splitlines()[1:]
    body = client.get(
        "/api/v1/insights/equity", HTTP_AUTHORIZATION=f"Bearer {api_token(officer)}"
    ).json()
    # Each resource's total, then its groups.
    cells = [c for r in body["resources"] for c in [r, *r["cells"]]]
    assert len(lines) == len(cells)
    for line, cell in zip(lines, cells, strict=True):
        people = line.split(",")[2]
        assert people == ("<5" if cell["suppressed"] else str(cell["people"]))


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


def log_rows() -> list[tuple[Any, ...]]:
    return list(
        AccessLog.objects.filter(action="download")
        .order_by("pk")
        .values_list("actor_id", "object_type", "object_id", "record_count")
    )


def test_download_page_and_api_same_file_and_log(
    world: Any, export: ResearchExport, client_for: Any, client: Any, api_token: Any
) -> None:
    page = client_for(world.researcher).get(
        reverse("insights:export_download", args=[export.pk])
    )
    first = log_rows()
    api = client.get(
        f"/api/v1/insights/research/exports/{export.pk}/file",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.researcher)}",
    )
    assert page.status_code == api.status_code == 200
    assert page.content == api.content
    rows = log_rows()
    assert len(rows) == 2 and rows[0] == rows[1] == first[0]
    assert rows[0][3] == 5


def test_download_refusal_is_the_same(
    world: Any, export: ResearchExport, client_for: Any, client: Any, api_token: Any
) -> None:
    project = export.project
    project.ends_on = clock.today() - timedelta(days=1)
    project.starts_on = clock.today() - timedelta(days=30)
    project.save()
    page = client_for(world.researcher).get(
        reverse("insights:export_download", args=[export.pk])
    )
    api = client.get(
        f"/api/v1/insights/research/exports/{export.pk}/file",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.researcher)}",
    )
    assert page.status_code == api.status_code == 403
    assert api.json()["code"] == "outside_period"
    assert log_rows() == []
