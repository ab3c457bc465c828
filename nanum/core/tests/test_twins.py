"""Core's pages and their API twins give the same answer and the same refusal.

Twins: the home page's roles and ``GET /api/v1/me``; the notifications page and
``GET /api/v1/notifications``; "mark all read" on the page and
``POST /api/v1/notifications/read``. These show the user's own data, so neither side
writes an access-log row.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from nanum.core.models import AccessLog, Notification, User
from nanum.core.testing import World

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _notes(world: World) -> list[Notification]:
    """Two of the teacher's (one read), one of the student's."""
    mine = Notification.objects.create(
        user=world.teacher, kind="x", subject="반납 안내"
    )
    read = Notification.objects.create(
        user=world.teacher, kind="x", subject="예약 승인", read_at="2026-03-02T09:00Z"
    )
    theirs = Notification.objects.create(
        user=world.student, kind="x", subject="학생 알림"
    )
    return [mine, read, theirs]


def _api_client(api_token: Callable[[User], str], user: User) -> Client:
    """A client that signs in with a personal access token, as an API caller does."""
    return Client(headers={"Authorization": f"Bearer {api_token(user)}"})


def test_home_roles_and_me_are_the_same(
    client: Client, world: World, api_token: Callable[[User], str]
) -> None:
    client.force_login(world.student)
    page = client.get(reverse("core:home"))
    assert page.status_code == 200
    page_roles = [
        (ra.role, ra.organisation_id, ra.tenant.name)
        for ra in page.context["assignments"]
    ]
    client.logout()
    api = _api_client(api_token, world.student).get(f"{API}/me")
    assert api.status_code == 200
    api_roles = [
        (r["role"], r["organisation_id"], r["tenant"]) for r in api.json()["roles"]
    ]
    assert (
        page_roles
        == api_roles
        == [("student", world.middle_school.pk, world.seoul.name)]
    )
    assert AccessLog.objects.count() == 0


def test_notifications_page_and_api_list_the_same_ones(
    client: Client, world: World, api_token: Callable[[User], str]
) -> None:
    mine, read, theirs = _notes(world)
    client.force_login(world.teacher)
    page = client.get(reverse("core:notifications"))
    assert page.status_code == 200
    page_ids = [n.pk for n in page.context["items"]]
    api = _api_client(api_token, world.teacher).get(f"{API}/notifications")
    assert api.status_code == 200
    api_ids = [n["id"] for n in api.json()["items"]]
    assert page_ids == api_ids
    assert set(page_ids) == {mine.pk, read.pk}
    assert theirs.pk not in page_ids
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("side", ["page", "api"])
def test_mark_all_read_does_the_same_on_both(
    client: Client, world: World, api_token: Callable[[User], str], side: str
) -> None:
    *_teachers, theirs = _notes(world)
    if side == "page":
        client.force_login(world.teacher)
        response = client.post(reverse("core:notifications"))
        assert response.status_code == 302
    else:
        response = _api_client(api_token, world.teacher).post(
            f"{API}/notifications/read"
        )
        assert response.status_code == 200
        assert response.json() == {"updated": 1}
    unread = set(
        Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True)
    )
    assert unread == {theirs.pk}  # the teacher's are read, the student's untouched
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize(
    ("method", "page_url", "api_url"),
    [
        ("get", "core:notifications", "/notifications"),
        ("post", "core:notifications", "/notifications/read"),
    ],
)
def test_anonymous_is_refused_on_both_and_nothing_changes(
    world: World, method: str, page_url: str, api_url: str
) -> None:
    _notes(world)
    page = getattr(Client(), method)(reverse(page_url))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("core:login"))
    api = getattr(Client(), method)(f"{API}{api_url}")
    assert api.status_code == 401
    assert api.json()["code"] == "not_authenticated"
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    assert AccessLog.objects.count() == 0


def test_anonymous_home_is_the_public_front_door_and_me_is_refused(
    world: World,
) -> None:
    """``/`` answers a visitor with the public front door (no one's data); its API
    twin ``/me`` has nothing public to show and refuses."""
    _notes(world)
    page = Client().get(reverse("core:home"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="password"' in body
    assert world.student.display_name not in body
    api = Client().get(f"{API}/me")
    assert api.status_code == 401
    assert api.json()["code"] == "not_authenticated"
    assert AccessLog.objects.count() == 0
