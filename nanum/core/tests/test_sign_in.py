"""Signing in and out, as a teacher would, and what anonymous visitors get."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from nanum.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_gets_the_front_door_with_sign_in_not_data(client, world):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    # the public front door carries the sign-in form, posting to the login page
    assert f'action="{reverse("core:login")}"' in body
    assert 'name="password"' in body
    assert world.teacher.display_name not in body
    assert world.small_school.name_ko not in body


def test_teacher_signs_in_and_sees_the_role_home(client, world):
    response = client.post(
        reverse("core:login"),
        {"username": "teacher", "password": PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "김선생" in body
    assert world.small_school.name_ko in body
    assert response.context["user"] == world.teacher


def test_wrong_password_is_refused_in_korean_and_counted(client, world):
    response = client.post(
        reverse("core:login"), {"username": "teacher", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # Counted for this (account, address) pair.
    attempt = AccessAttempt.objects.get(username="teacher", ip_address="127.0.0.1")
    assert attempt.failures_since_start == 1
    assert "비밀번호" in response.content.decode()


def test_sign_in_is_throttled_after_repeated_failures(client, world, settings):
    settings.LOGIN_THROTTLE_MAX_FAILURES = 3
    for _ in range(3):
        client.post(
            reverse("core:login"), {"username": "teacher", "password": "nope-nope"}
        )
    # Even the right password is refused while throttled, from this address.
    response = client.post(
        reverse("core:login"), {"username": "teacher", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    # The first wait is one minute (it was a fixed 15 before the waits grew).
    assert "1분 후에 다시 시도" in body


def test_successful_sign_in_clears_the_failure_count(client, world):
    client.post(reverse("core:login"), {"username": "teacher", "password": "nope-nope"})
    client.post(reverse("core:login"), {"username": "teacher", "password": PASSWORD})
    assert not AccessAttempt.objects.filter(username="teacher").exists()


def test_sign_out_needs_post_and_ends_the_session(client, world):
    client.force_login(world.teacher)
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_by_email(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:password_reset"), {"email": world.teacher.email}, follow=True
        )
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_reset_for_unknown_address_reveals_nothing(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:password_reset"), {"email": "nobody@example.org"}, follow=True
        )
    assert response.status_code == 200
    assert len(mail.outbox) == 0


def test_expired_session_gets_the_public_front_door(client, world):
    client.force_login(world.teacher)
    client.session.flush()
    client.cookies.clear()
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="password"' in body
    assert world.teacher.display_name not in body
