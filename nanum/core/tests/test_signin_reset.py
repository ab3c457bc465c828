"""Password reset takes the same path for a known and an unknown address: one queued
task, no account look-up in the request, the same answer."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nanum.core import tasks
from nanum.core.services import passwords

pytestmark = pytest.mark.django_db


def _request_reset(email: str, capture):
    client = Client()
    with (
        mock.patch.object(
            passwords, "tasks_enqueue", wraps=passwords.tasks_enqueue
        ) as enqueue,
        CaptureQueriesContext(connection) as queries,
        capture(execute=False) as callbacks,
    ):
        response = client.post(reverse("core:password_reset"), {"email": email})
    sql = [q["sql"] for q in queries.captured_queries]
    return response, callbacks, enqueue, sql


def test_known_and_unknown_addresses_take_the_same_path(
    world, django_capture_on_commit_callbacks
):
    known = _request_reset(world.teacher.email, django_capture_on_commit_callbacks)
    unknown = _request_reset("nobody@example.org", django_capture_on_commit_callbacks)
    for response, callbacks, enqueue, sql in (known, unknown):
        assert response.status_code == 302
        assert response["Location"] == reverse("core:password_reset_done")
        # The same task, queued once, to run after the commit.
        assert enqueue.call_count == 1
        assert enqueue.call_args.args == (tasks.password_reset_email,)
        assert set(enqueue.call_args.kwargs) == {
            "email",
            "domain",
            "use_https",
            "language",
        }
        assert len(callbacks) == 1
        assert not any("core_user" in q for q in sql)  # no look-up in the request
    assert len(known[3]) == len(unknown[3])
    assert known[0].content == unknown[0].content
    assert len(mail.outbox) == 0  # nothing sent in the request itself

    # The worker then looks the address up: one e-mail, for the known address only.
    for _response, callbacks, _enqueue, _sql in (known, unknown):
        callbacks[0]()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.teacher.email]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_the_email_is_in_the_language_of_the_request(
    world, settings, django_capture_on_commit_callbacks
):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:password_reset"), {"email": world.teacher.email})
    assert len(mail.outbox) == 1
    assert "Choose a new password" in mail.outbox[0].body


def test_a_malformed_address_is_refused_on_the_form_and_queues_nothing(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = Client().post(reverse("core:password_reset"), {"email": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert callbacks == []
