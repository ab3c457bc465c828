"""Data-use agreements edited and revoked by an office administrator (audited); a
revoked agreement stops its researchers' exports and downloads at once, with the
reason; researchers see only their own projects."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from nanum.core import clock
from nanum.core.models import AccessLog, AuditLog, Role
from nanum.core.testing import make_user
from nanum.insights import services
from nanum.insights.models import Dataset, ResearchExport, ResearchProject
from nanum.learning.models import Course, Interaction, Item, Lesson

from .conftest import consenting_students

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(world: Any, project: ResearchProject) -> ResearchExport:
    """A first export of the project: 6 consenting students, 3 answers each."""
    course = Course.objects.create(
        title="중1 수학", subject="수학", school_level="middle", grade=1
    )
    lesson = Lesson.objects.create(course=course, order=1, title="비", reading="...")
    item = Item.objects.create(
        lesson=lesson, order=1, prompt="q", choices=["a", "b"], answer=0
    )
    Interaction.objects.bulk_create(
        [
            Interaction(student=u, item=item, correct=j % 2 == 0)
            for u in consenting_students(world, 6)
            for j in range(3)
        ]
    )
    return services.research_export_create(
        actor=world.researcher, project_id=project.pk, dataset=Dataset.INTERACTIONS
    )


def _form(project: ResearchProject, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": project.title,
        "institution": project.institution_id,
        "principal_investigator": project.principal_investigator,
        "purpose": project.purpose,
        "irb_ref": project.irb_ref,
        "starts_on": project.starts_on.isoformat(),
        "ends_on": project.ends_on.isoformat(),
        "datasets": project.datasets,
        "researchers": list(project.researchers.values_list("pk", flat=True)),
        "k": project.k,
    }
    return data | changes


def test_admin_edits_an_agreement_audited_and_the_key_stays(
    world: Any, project: ResearchProject, client_for: Any
) -> None:
    salt = project.key_salt
    client = client_for(world.admin)
    page = client.get(reverse("insights:project_edit", args=[project.pk]))
    assert page.status_code == 200
    assert "IRB-1" in page.content.decode()
    resp = client.post(
        reverse("insights:project_edit", args=[project.pk]),
        _form(project, irb_ref="IRB-2", k=7, datasets=[Dataset.INTERACTIONS]),
    )
    assert resp.status_code == 302
    project.refresh_from_db()
    assert (project.irb_ref, project.k, project.datasets) == (
        "IRB-2",
        7,
        [Dataset.INTERACTIONS],
    )
    assert project.key_salt == salt
    log = AuditLog.objects.get(action="insights.research_project_update")
    assert log.actor == world.admin
    before, after = log.before or {}, log.after or {}
    assert before["irb_ref"] == "IRB-1"
    assert after["irb_ref"] == "IRB-2"
    assert after["datasets"] == [Dataset.INTERACTIONS]
    assert "title" not in after  # only what changed


def test_a_narrower_agreement_applies_at_once(
    world: Any, project: ResearchProject, export: ResearchExport, client_for: Any
) -> None:
    services.research_project_update(
        actor=world.admin,
        project_id=project.pk,
        data=services.ProjectInput(
            **{
                **_input(project),
                "ends_on": clock.today() - timedelta(days=1),
                "starts_on": clock.today() - timedelta(days=5),
            }
        ),
    )
    resp = client_for(world.researcher).get(
        reverse("insights:export_download", args=[export.pk])
    )
    assert resp.status_code == 403
    assert "기간" in resp.content.decode()  # outside the agreement's period


def _input(project: ResearchProject) -> dict[str, Any]:
    return {
        "title": project.title,
        "institution_id": project.institution_id,
        "principal_investigator": project.principal_investigator,
        "purpose": project.purpose,
        "irb_ref": project.irb_ref,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "datasets": list(project.datasets),
        "researcher_ids": list(project.researchers.values_list("pk", flat=True)),
        "k": project.k,
    }


def test_bad_edits_change_nothing(
    world: Any, project: ResearchProject, client_for: Any
) -> None:
    client = client_for(world.admin)
    url = reverse("insights:project_edit", args=[project.pk])
    for changes in (
        {"ends_on": (project.starts_on - timedelta(days=1)).isoformat()},
        {"k": 3},
        {"datasets": ["everything"]},
        {"researchers": [world.student.pk]},
        {"institution": world.middle_school.pk},
    ):
        resp = client.post(url, _form(project, irb_ref="IRB-X", **changes))
        assert resp.status_code == 200, changes
        assert resp.context["form"].errors, changes
    project.refresh_from_db()
    assert project.irb_ref == "IRB-1"
    assert not AuditLog.objects.filter(action="insights.research_project_update")


def test_revoking_stops_exports_and_downloads_at_once(
    world: Any,
    project: ResearchProject,
    export: ResearchExport,
    client_for: Any,
    client: Any,
    api_token: Any,
) -> None:
    admin = client_for(world.admin)
    resp = admin.post(
        reverse("insights:project_revoke", args=[project.pk]),
        {"reason": "IRB approval withdrawn"},
    )
    assert resp.status_code == 302
    project.refresh_from_db()
    assert project.status == ResearchProject.Status.REVOKED
    assert project.revoked_by == world.admin
    log = AuditLog.objects.get(action="insights.research_project_revoke")
    after = log.after or {}
    assert after["reason"] == "IRB approval withdrawn"
    assert after["files_erased"] == 1
    export.refresh_from_db()
    assert export.content is None

    logs = AccessLog.objects.count()
    researcher = client_for(world.researcher)
    page = researcher.get(reverse("insights:project", args=[project.pk]))
    text = page.content.decode()
    assert "철회" in text  # revoked, in Korean
    assert reverse("insights:export_create", args=[project.pk]) not in text
    assert reverse("insights:export_download", args=[export.pk]) not in text
    made = researcher.post(
        reverse("insights:export_create", args=[project.pk]),
        {"dataset": Dataset.INTERACTIONS},
    )
    assert made.status_code == 422
    assert "IRB approval withdrawn" in made.content.decode()
    got = researcher.get(reverse("insights:export_download", args=[export.pk]))
    assert got.status_code == 403
    assert "철회" in got.content.decode()

    auth = {
        "HTTP_AUTHORIZATION": f"Bearer {api_token(world.researcher)}",
        "HTTP_ACCEPT_LANGUAGE": "en",
    }
    api = client.post(
        f"/api/v1/insights/research/projects/{project.pk}/exports",
        {"dataset": Dataset.INTERACTIONS},
        content_type="application/json",
        **auth,
    )
    assert api.status_code == 403
    assert api.json()["code"] == "revoked"
    assert "revoked" in api.json()["title"]
    file = client.get(f"/api/v1/insights/research/exports/{export.pk}/file", **auth)
    assert file.status_code == 403
    agg = client.get(
        f"/api/v1/insights/research/projects/{project.pk}/aggregate",
        {"dataset": Dataset.INTERACTIONS, "by": "region"},
        **auth,
    )
    assert agg.status_code == 403
    assert ResearchExport.objects.count() == 1
    assert AccessLog.objects.count() == logs  # nothing released, nothing logged

    # Final: no second revoke, no edit.
    admin = client_for(world.admin)
    again = admin.post(
        reverse("insights:project_revoke", args=[project.pk]), {"reason": "x"}
    )
    assert again.status_code == 422
    edit = admin.post(
        reverse("insights:project_edit", args=[project.pk]),
        _form(project, irb_ref="IRB-9"),
    )
    assert edit.status_code == 200
    project.refresh_from_db()
    assert project.irb_ref == "IRB-1"


def test_a_revoke_needs_a_reason(
    world: Any, project: ResearchProject, client_for: Any
) -> None:
    resp = client_for(world.admin).post(
        reverse("insights:project_revoke", args=[project.pk]), {"reason": "  "}
    )
    assert resp.status_code == 422
    assert resp.context["revoke_form"].errors
    project.refresh_from_db()
    assert project.status == ResearchProject.Status.APPROVED


@pytest.mark.parametrize("who", ["researcher", "seoul_officer", "student"])
def test_only_office_administrators_edit_or_revoke(
    world: Any, project: ResearchProject, client_for: Any, who: str
) -> None:
    client = client_for(getattr(world, who))
    edit = reverse("insights:project_edit", args=[project.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, _form(project, irb_ref="IRB-X")).status_code == 404
    revoke = reverse("insights:project_revoke", args=[project.pk])
    assert client.post(revoke, {"reason": "mine"}).status_code == 404
    project.refresh_from_db()
    assert (project.status, project.irb_ref) == (
        ResearchProject.Status.APPROVED,
        "IRB-1",
    )
    assert not AuditLog.objects.filter(
        action__in=[
            "insights.research_project_update",
            "insights.research_project_revoke",
        ]
    )
    assert "insights:project_edit" not in str(
        client.get(reverse("insights:project", args=[project.pk])).content
    )


def test_researchers_see_only_their_projects(
    world: Any,
    project: ResearchProject,
    export: ResearchExport,
    client_for: Any,
    client: Any,
    api_token: Any,
) -> None:
    other = make_user("other.researcher", Role.RESEARCHER, world.university)
    theirs = services.research_project_approve(
        actor=world.admin,
        data=services.ProjectInput(
            **{
                **_input(project),
                "title": "Another study",
                "researcher_ids": [other.pk],
            }
        ),
    )
    mine = client_for(world.researcher).get(reverse("insights:research"))
    assert project.title in mine.content.decode()
    assert "Another study" not in mine.content.decode()

    them = client_for(other)
    home = them.get(reverse("insights:research")).content.decode()
    assert "Another study" in home and project.title not in home
    assert them.get(reverse("insights:project", args=[project.pk])).status_code == 404
    assert (
        them.get(reverse("insights:export_download", args=[export.pk])).status_code
        == 404
    )
    made = them.post(
        reverse("insights:export_create", args=[project.pk]),
        {"dataset": Dataset.INTERACTIONS},
    )
    assert made.status_code == 404
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(other)}"}
    listed = client.get("/api/v1/insights/research/projects", **auth).json()
    assert [p["id"] for p in listed["items"]] == [theirs.pk]
    assert (
        client.get(
            f"/api/v1/insights/research/exports/{export.pk}/file", **auth
        ).status_code
        == 404
    )
    assert ResearchExport.objects.count() == 1
