"""A page and its API twin give the same answer, the same refusal and the same
access-log rows for the same request (docs/CONVENTIONS.md §3, "Open" services)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import AccessLog, Organisation, User
from nanum.learning.models import Application, Document, GuardianLink
from nanum.learning.services import child_register

from .conftest import new_student, pdf_upload

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def seoul_app(world: Any, towns: Any, apply_for: Any) -> Application:
    app: Application = apply_for(
        world.student,
        world.seoul,
        category="single_parent",
        full_name="서울학생",
        documents=[("eligibility", pdf_upload())],
    )
    return app


def api(client: Client, token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def logs(actor: User) -> list[tuple[str, str, str, int | None]]:
    return [
        (log.action, log.object_type, log.object_id, log.subject_id)
        for log in AccessLog.objects.filter(actor=actor).order_by("pk")
    ]


def test_application_detail_same_answer_and_same_access_row(
    world: Any, seoul_app: Application, client: Client, client_for: Any, api_token: Any
) -> None:
    officer = world.seoul_officer
    page = client_for(officer).get(reverse("learning:review", args=[seoul_app.pk]))
    assert page.status_code == 200
    page_logs = logs(officer)
    AccessLog.objects.all().delete()
    r = client.get(
        f"/api/v1/learning/officer/applications/{seoul_app.pk}",
        **api(client, api_token(officer)),
    )
    assert r.status_code == 200
    assert page.context["app"].pk == r.json()["id"] == seoul_app.pk
    assert page.context["app"].status == r.json()["status"]
    expected = [("view", "learning.Application", str(seoul_app.pk), world.student.pk)]
    assert page_logs == logs(officer) == expected


def test_application_detail_of_another_town_is_not_found_on_both(
    world: Any, seoul_app: Application, client: Client, client_for: Any, api_token: Any
) -> None:
    officer = world.pyeongchang_officer
    page = client_for(officer).get(reverse("learning:review", args=[seoul_app.pk]))
    r = client.get(
        f"/api/v1/learning/officer/applications/{seoul_app.pk}",
        **api(client, api_token(officer)),
    )
    assert page.status_code == r.status_code == 404
    assert r.json()["code"] == "not_found"
    assert logs(officer) == []


def test_document_same_bytes_and_same_download_row(
    world: Any, seoul_app: Application, client: Client, client_for: Any, api_token: Any
) -> None:
    officer = world.seoul_officer
    doc = Document.objects.get(application=seoul_app)
    page = client_for(officer).get(reverse("learning:document", args=[doc.pk]))
    page_body = page.getvalue()
    page_logs = logs(officer)
    AccessLog.objects.all().delete()
    r = client.get(
        f"/api/v1/learning/officer/documents/{doc.pk}",
        **api(client, api_token(officer)),
    )
    assert page.status_code == r.status_code == 200
    assert page_body == r.getvalue()
    assert page_body.startswith(b"%PDF")
    assert page["Content-Type"] == r["Content-Type"] == "application/pdf"
    expected = [("download", "learning.Document", str(doc.pk), world.student.pk)]
    assert page_logs == logs(officer) == expected


def test_document_of_another_town_is_not_found_on_both(
    world: Any, seoul_app: Application, client: Client, client_for: Any, api_token: Any
) -> None:
    officer = world.pyeongchang_officer
    doc = Document.objects.get(application=seoul_app)
    page = client_for(officer).get(reverse("learning:document", args=[doc.pk]))
    r = client.get(
        f"/api/v1/learning/officer/documents/{doc.pk}",
        **api(client, api_token(officer)),
    )
    assert page.status_code == r.status_code == 404
    assert logs(officer) == []


def test_a_decision_writes_the_same_change_row_from_page_and_api(
    world: Any,
    towns: Any,
    apply_for: Any,
    client: Client,
    client_for: Any,
    api_token: Any,
) -> None:
    officer = world.seoul_officer
    by_page = apply_for(world.student, world.seoul)
    other = new_student(world.middle_school)
    by_api = apply_for(other, world.seoul)
    page = client_for(officer).post(
        reverse("learning:review", args=[by_page.pk]),
        {"action": "reject", "reason": "서류 미비"},
    )
    r = client.post(
        f"/api/v1/learning/officer/applications/{by_api.pk}/decision",
        {"action": "reject", "reason": "서류 미비"},
        content_type="application/json",
        **api(client, api_token(officer)),
    )
    assert page.status_code == 302 and r.status_code == 200
    assert r.json()["status"] == "rejected"
    by_page.refresh_from_db()
    assert by_page.status == "rejected"
    assert logs(officer) == [
        ("change", "learning.Application", str(by_page.pk), world.student.pk),
        ("change", "learning.Application", str(by_api.pk), other.pk),
    ]


def test_a_guardians_children_are_the_same_on_page_and_api(
    world: Any, client: Client, client_for: Any, api_token: Any
) -> None:
    a = child_register(actor=world.guardian, display_name="첫째", birth_year=YEAR - 9)
    b = child_register(actor=world.guardian, display_name="둘째", birth_year=YEAR - 7)
    page = client_for(world.guardian).get(reverse("learning:children"))
    r = client.get(
        "/api/v1/learning/children", **api(client, api_token(world.guardian))
    )
    assert page.status_code == r.status_code == 200
    page_ids = [link.child_id for link in page.context["links"]]
    assert page_ids == [row["id"] for row in r.json()["items"]] == [a.pk, b.pk]
    # Another guardian sees neither child, on both.
    other = client.get(
        "/api/v1/learning/children", **api(client, api_token(world.teacher))
    )
    assert other.json()["items"] == []
    assert not list(
        client_for(world.teacher).get(reverse("learning:children")).context["links"]
    )


APPLY = {
    "full_name": "정어린",
    "birth_year": YEAR - 9,
    "school_level": "elementary",
    "category": "basic_livelihood",
    "consent_collection": True,
    "lives_in_town": True,
    "guardian_consent": True,
}


def _web_apply(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        k: ("on" if v is True else v) for k, v in APPLY.items() if v is not False
    }
    data.update(extra)
    return data


def test_applying_for_someone_elses_child_is_not_found_on_both(
    world: Any, towns: Any, client: Client, client_for: Any, api_token: Any
) -> None:
    child_register(actor=world.guardian, display_name="우리애", birth_year=YEAR - 9)
    stranger = User.objects.create(username="someone-elses-child", birth_year=YEAR - 9)
    page = client_for(world.guardian).post(
        reverse("learning:apply_town", args=["seoul"]),
        _web_apply(student=str(stranger.pk)),
    )
    r = client.post(
        "/api/v1/learning/applications",
        {**APPLY, "town": "seoul", "student_id": stranger.pk},
        content_type="application/json",
        **api(client, api_token(world.guardian)),
    )
    assert page.status_code == r.status_code == 404
    assert r.json()["code"] == "not_found"
    assert not Application.objects.exists()


def test_applying_for_ones_own_child_gives_the_same_application(
    world: Any, towns: Any, client: Client, client_for: Any, api_token: Any
) -> None:
    child = child_register(
        actor=world.guardian, display_name="우리애", birth_year=YEAR - 9
    )
    page = client_for(world.guardian).post(
        reverse("learning:apply_town", args=["seoul"]),
        _web_apply(student=str(child.pk)),
    )
    assert page.status_code == 302
    web_app = Application.objects.get()
    web_app.delete()
    r = client.post(
        "/api/v1/learning/applications",
        {**APPLY, "town": "seoul", "student_id": child.pk},
        content_type="application/json",
        **api(client, api_token(world.guardian)),
    )
    assert r.status_code == 201
    api_app = Application.objects.get(pk=r.json()["id"])
    assert (
        (api_app.student, api_app.applicant, api_app.guardian)
        == (
            web_app.student,
            web_app.applicant,
            web_app.guardian,
        )
        == (child, world.guardian, world.guardian)
    )
    assert GuardianLink.objects.filter(guardian=world.guardian, child=child).exists()


def test_a_provider_the_town_does_not_offer_is_refused_the_same_way(
    world: Any,
    towns: Any,
    provider_seats: Any,
    client: Client,
    client_for: Any,
    api_token: Any,
) -> None:
    elsewhere = Organisation.objects.create(
        code="provider-nowhere", kind="provider", name_ko="다른곳", tenant=world.gimpo
    )
    body = {**APPLY, "birth_year": 2010, "school_level": "middle"}
    body.pop("guardian_consent")
    page = client_for(world.student).post(
        reverse("learning:apply_town", args=["seoul"]),
        {
            **{k: ("on" if v is True else v) for k, v in body.items()},
            "preferred_provider": str(elsewhere.pk),
        },
    )
    r = client.post(
        "/api/v1/learning/applications",
        {**body, "town": "seoul", "preferred_provider_id": elsewhere.pk},
        content_type="application/json",
        **api(client, api_token(world.student)),
    )
    assert page.status_code == 200
    assert page.context["form"].errors["preferred_provider"]
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["preferred_provider"]
    assert [str(m) for m in page.context["form"].errors["preferred_provider"]] == [
        e["message"] for e in r.json()["errors"]
    ]
    assert not Application.objects.exists()
    # The town's own provider is accepted on both.
    ok = client.post(
        "/api/v1/learning/applications",
        {**body, "town": "seoul", "preferred_provider_id": world.provider_org.pk},
        content_type="application/json",
        **api(client, api_token(world.student)),
    )
    assert ok.status_code == 201
    app = Application.objects.get()
    assert app.preferred_provider_id == world.provider_org.pk
