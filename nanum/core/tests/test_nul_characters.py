"""A NUL character in a request is refused whole, the same on SQLite and PostgreSQL
(PostgreSQL cannot store one in text: it used to surface as a 500 there)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from nanum.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_a_page_query_with_nul_gets_the_localized_400(
    world: Any, client_for: Any
) -> None:
    resp = client_for(world.teacher).get(reverse("lending:search"), {"q": "현미경\x00"})
    assert resp.status_code == 400
    assert "NUL 문자" in resp.content.decode()


def test_a_form_post_with_nul_changes_nothing(world: Any, client_for: Any) -> None:
    before = AuditLog.objects.count()
    resp = client_for(world.teacher).post(
        reverse("core:channels"), {"phone": "010\x001234"}
    )
    assert resp.status_code == 400
    assert AuditLog.objects.count() == before


def test_the_api_answers_a_problem_for_nul_in_json_and_in_the_query(
    world: Any, client: Any, api_token: Any
) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.teacher)}"}
    resp = client.get("/api/v1/lending/availability", {"q": "a\x00"}, **auth)
    assert resp.status_code == 400
    assert resp["Content-Type"].startswith("application/problem+json")
    body = json.dumps({"model": 1, "note": "x\x00y"})  # the JSON escape \u0000
    assert "\\u0000" in body
    before = AuditLog.objects.count()
    resp = client.post(
        "/api/v1/lending/reservations",
        body,
        content_type="application/json",
        **auth,
    )
    assert resp.status_code == 400
    assert resp.json()["code"] == "bad_request" and "NUL" in resp.json()["detail"]
    assert AuditLog.objects.count() == before


def test_text_without_nul_still_passes(world: Any, client: Any, api_token: Any) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.teacher)}"}
    resp = client.get("/api/v1/lending/availability", {"q": "현미경 \\u0000"}, **auth)
    assert resp.status_code != 400


def test_a_body_over_the_limit_is_still_413_on_the_api(
    world: Any, client: Any, api_token: Any, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.teacher)}"}
    body = json.dumps({"model": 1, "note": "x" * 5000})
    resp = client.post(
        "/api/v1/lending/reservations",
        body,
        content_type="application/json",
        **auth,
    )
    assert resp.status_code == 413
