"""Pages in Korean by default and complete in English; error pages never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_korean_is_the_default_language(client):
    body = client.get(reverse("core:login")).content.decode()
    assert '<html lang="ko">' in body
    assert "로그인" in body


def test_switching_to_english(client, world):
    client.force_login(world.teacher)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, follow=True
    )
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Your roles" in body
    assert "Teacher" in body


def test_unknown_page_gets_a_localized_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.content.decode()


def test_role_home_shows_only_the_roles_pages(client, world):
    client.force_login(world.student)
    body = client.get("/").content.decode()
    assert "Administration" not in body and "관리" not in body.split("<main")[1][:0]
    assert world.middle_school.name_ko in body


def test_security_headers_are_sent(client):
    response = client.get(reverse("core:login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_tokens_page_creates_and_revokes(client, world):
    client.force_login(world.teacher)
    response = client.post(reverse("core:tokens"), {"name": "sync", "days": 30})
    assert "nanum_" in response.content.decode()
    token = world.teacher.api_tokens.get()
    client.post(reverse("core:tokens"), {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_tokens_page_rejects_bad_input_field_by_field(client, world):
    client.force_login(world.teacher)
    response = client.post(reverse("core:tokens"), {"name": "", "days": 9999})
    assert response.status_code == 200
    assert not world.teacher.api_tokens.exists()
    form = response.context["form"]
    assert set(form.errors) == {"name", "days"}


def test_revoking_someone_elses_token_changes_nothing(client, world, api_token):
    api_token(world.student)
    token = world.student.api_tokens.get()
    client.force_login(world.teacher)
    client.post(reverse("core:tokens"), {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is None
