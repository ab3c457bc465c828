"""The export and message pages and their API twins give the same answer, the same
refusal and the same access-log rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nanum.core.models import AccessLog, Notification, User
from nanum.programs import services
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db
API = "/api/v1/programs"


def _api(user: User, api_token: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user)}")


def _rows(actor: User) -> list[tuple[str, str, str, int]]:
    return list(
        AccessLog.objects.filter(actor=actor)
        .order_by("pk")
        .values_list("action", "object_type", "object_id", "record_count")
    )


def test_export_page_and_api_give_the_same_file_and_log(client_for, world, api_token):
    p = make_programme(world.centre_staff, world.centre, capacity=5)
    services.application_apply(actor=world.student, programme=p)
    q = {"what": "participants", "format": "csv"}
    page = client_for(world.centre_staff).get(f"/programs/organiser/{p.pk}/export/", q)
    first = _rows(world.centre_staff)
    api = _api(world.centre_staff, api_token).get(
        f"{API}/organiser/programmes/{p.pk}/export", q
    )
    assert page.status_code == api.status_code == 200
    assert page.content == api.content
    assert page["Content-Disposition"] == api["Content-Disposition"]
    assert _rows(world.centre_staff) == first + first


def test_strangers_are_refused_alike_and_nothing_is_logged(
    client_for, world, api_token
):
    p = make_programme(world.centre_staff, world.centre)
    q = {"what": "participants", "format": "csv"}
    page = client_for(world.teacher).get(f"/programs/organiser/{p.pk}/export/", q)
    api = _api(world.teacher, api_token).get(
        f"{API}/organiser/programmes/{p.pk}/export", q
    )
    assert page.status_code == 404 and api.status_code in (403, 404)
    bad = _api(world.centre_staff, api_token).get(
        f"{API}/organiser/programmes/{p.pk}/export", {"what": "x", "format": "csv"}
    )
    assert bad.status_code in (400, 422)
    assert not AccessLog.objects.filter(action="export").exists()


def test_message_api_sends_like_the_page(world, api_token):
    p = make_programme(world.centre_staff, world.centre, capacity=5)
    services.application_apply(actor=world.student, programme=p)
    c = _api(world.centre_staff, api_token)
    r = c.post(
        f"{API}/organiser/programmes/{p.pk}/message",
        {"subject": "안내", "body": "내일 봬요"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json() == {"sent": 1}
    assert Notification.objects.filter(user=world.student, kind="programs.message")
    r = c.post(
        f"{API}/organiser/programmes/{p.pk}/message",
        {"subject": "", "body": ""},
        content_type="application/json",
    )
    assert r.status_code in (400, 422)
    assert Notification.objects.filter(kind="programs.message").count() == 1
