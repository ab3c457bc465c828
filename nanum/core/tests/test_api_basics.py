"""The API speaks RFC 9457 problem details and accepts session or token auth."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import translation

from nanum.core.errors import InvalidInput
from nanum.core.idempotency import run_idempotent
from nanum.core.models import ApiToken, IdempotencyRecord, Notification

pytestmark = pytest.mark.django_db


def test_me_with_a_personal_access_token(client, world, api_token):
    raw = api_token(world.bank_officer)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    data = response.json()
    assert data["username"] == "bank"
    assert data["roles"][0]["role"] == "bank_staff"


def test_bad_token_gets_a_problem_document_not_data(client, world):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer nanum_forged")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert body["status"] == 401
    assert "username" not in body


def test_revoked_token_stops_working(client, world, api_token):
    raw = api_token(world.teacher)
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_session_auth_works_for_the_browser(client, world):
    client.force_login(world.teacher)
    assert client.get("/api/v1/me").json()["username"] == "teacher"


def test_unknown_api_path_is_a_problem_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_validation_error_names_the_field(client, world):
    client.force_login(world.teacher)
    response = client.get("/api/v1/notifications?unread=not-a-bool")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["errors"][0]["field"] == "unread"


def test_notifications_are_only_mine(client, world):
    Notification.objects.create(user=world.teacher, kind="x", subject="for teacher")
    Notification.objects.create(user=world.student, kind="x", subject="for student")
    client.force_login(world.teacher)
    body = client.get("/api/v1/notifications").json()
    assert [n["subject"] for n in body["items"]] == ["for teacher"]
    assert body["count"] == 1


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    # The task backlog per queue (empty here: tests run tasks inline).
    assert set(body["tasks"]) == {"default", "mail", "ml"}


def test_openapi_schema_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Nanum API"
    assert client.get("/api/docs").status_code == 302


def test_token_command_prints_a_working_token(client, world, capsys):
    call_command("token", "create", "--user", "teacher", "--name", "nightly sync")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("nanum_")
    assert (
        client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    )


def _request(user, key: str | None):
    request = RequestFactory().post("/api/v1/things", HTTP_IDEMPOTENCY_KEY=key or "")
    request.user = user
    return request


def test_idempotency_key_replays_and_creates_once(world):
    calls = []

    def create():
        note = Notification.objects.create(user=world.teacher, kind="x", subject="once")
        calls.append(note.pk)
        return 201, {"id": note.pk}

    first = run_idempotent(_request(world.teacher, "abc"), {"a": 1}, create)
    second = run_idempotent(_request(world.teacher, "abc"), {"a": 1}, create)
    assert first == second
    assert len(calls) == 1
    assert Notification.objects.filter(subject="once").count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_idempotency_key_reused_for_another_body_is_refused(world):
    run_idempotent(_request(world.teacher, "k1"), {"a": 1}, lambda: (201, {"id": 1}))
    with pytest.raises(InvalidInput) as info:
        run_idempotent(
            _request(world.teacher, "k1"), {"a": 2}, lambda: (201, {"id": 2})
        )
    assert info.value.code == "idempotency_key_reused"


@pytest.mark.parametrize(
    ("language", "message"),
    [("ko", "최대 200자입니다."), ("en", "At most 200 characters.")],
)
def test_an_over_long_idempotency_key_is_refused_in_the_users_language(
    world, language, message
):
    calls: list[int] = []

    def create() -> tuple[int, dict]:
        calls.append(1)
        return 201, {}

    with translation.override(language), pytest.raises(InvalidInput) as info:
        run_idempotent(_request(world.teacher, "k" * 201), {"a": 1}, create)
    assert [str(m) for m in info.value.field_errors["Idempotency-Key"]] == [message]
    assert calls == [] and IdempotencyRecord.objects.count() == 0


def test_problem_body_is_json_with_type_and_title(client):
    body = json.loads(client.get("/api/v1/me").content)
    assert set(body) >= {"type", "title", "status", "code"}
