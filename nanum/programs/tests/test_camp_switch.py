"""A camp is published only in a town whose camp service switch is on (issue 11):
the page and the API refuse it with the same clear message and change nothing; a
town with the switch on, or a town that does not run Seoul Learn, publishes it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from nanum.core.errors import DomainError
from nanum.core.models import AuditLog
from nanum.learning.models import TenantPolicy
from nanum.programs import services
from nanum.programs.models import Programme
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


def _camp(world: Any) -> Programme:
    return make_programme(
        world.centre_staff, world.centre, kind=Programme.Kind.CAMP, publish=False
    )


def _audits(p: Programme) -> int:
    return AuditLog.objects.filter(
        action="programme.status", object_id=str(p.pk)
    ).count()


def test_service_refuses_a_camp_in_a_town_without_the_camp_switch(world: Any) -> None:
    TenantPolicy.objects.create(tenant=world.seoul, services=["lectures", "jump"])
    p = _camp(world)
    with pytest.raises(DomainError) as exc:
        services.programme_set_status(
            actor=world.centre_staff, programme=p, status=Programme.Status.PUBLISHED
        )
    assert exc.value.code == "service_off"
    with translation.override("ko"):
        assert "캠프" in str(exc.value.message)
    p.refresh_from_db()
    assert p.status == Programme.Status.DRAFT
    assert _audits(p) == 0


def test_page_shows_the_refusal_and_changes_nothing(
    world: Any, client_for: Any
) -> None:
    TenantPolicy.objects.create(tenant=world.seoul, services=["lectures"])
    p = _camp(world)
    c = client_for(world.centre_staff)
    url = reverse("programs:organiser_programme", args=[p.pk])
    r = c.post(url, {"action": "published"}, HTTP_ACCEPT_LANGUAGE="ko", follow=True)
    assert r.status_code == 200
    assert "캠프를 운영하지 않습니다" in r.content.decode()
    p.refresh_from_db()
    assert p.status == Programme.Status.DRAFT and _audits(p) == 0


def test_api_answers_a_problem_document_and_changes_nothing(
    world: Any, client: Any, api_token: Any
) -> None:
    TenantPolicy.objects.create(tenant=world.seoul, services=["lectures"])
    p = _camp(world)
    r = client.post(
        f"/api/v1/programs/organiser/programmes/{p.pk}/status",
        json.dumps({"status": "published"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.centre_staff)}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 409
    assert r["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "service_off" and "camps" in body["title"]
    p.refresh_from_db()
    assert p.status == Programme.Status.DRAFT and _audits(p) == 0


def test_a_town_with_the_camp_switch_publishes_page_and_api(
    world: Any, client_for: Any, api_token: Any
) -> None:
    TenantPolicy.objects.create(tenant=world.seoul, services=["lectures", "camp"])
    by_page, by_api = _camp(world), _camp(world)
    c = client_for(world.centre_staff)
    url = reverse("programs:organiser_programme", args=[by_page.pk])
    assert c.post(url, {"action": "published"}).status_code == 302
    r = c.post(
        f"/api/v1/programs/organiser/programmes/{by_api.pk}/status",
        json.dumps({"status": "published"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.centre_staff)}",
    )
    assert r.status_code == 200 and r.json()["status"] == "published"
    for p in (by_page, by_api):
        p.refresh_from_db()
        assert p.status == Programme.Status.PUBLISHED


def test_other_kinds_and_towns_outside_seoul_learn_are_not_held(world: Any) -> None:
    # No TenantPolicy: the town does not run Seoul Learn, so it has no switches.
    camp = make_programme(world.centre_staff, world.centre, kind=Programme.Kind.CAMP)
    assert camp.status == Programme.Status.PUBLISHED
    TenantPolicy.objects.create(tenant=world.seoul, services=["lectures"])
    other = make_programme(world.centre_staff, world.centre)
    assert other.kind != Programme.Kind.CAMP
    assert other.status == Programme.Status.PUBLISHED
