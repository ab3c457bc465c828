"""A town's officers deactivate or reactivate a staff account of a provider their town
added (a deactivated account cannot sign in and its API tokens get 401) and give it a
new one-time password (shown once; the old one fails at once), on the provider's page
and through the API twins; only accounts on this provider's staff are touched (404
otherwise, nothing changed); a shared provider stays with the administrator (409),
another town's officer finds nothing (404), other roles are refused (403)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import (
    ApiToken,
    AuditLog,
    Organisation,
    Role,
    RoleAssignment,
    User,
)
from nanum.learning.models import SeatAllocation
from nanum.learning.services.town_providers import (
    ProviderInput,
    StaffAccount,
    town_provider_add,
    town_provider_staff_add,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/learning/officer/towns"


@pytest.fixture
def org(world, towns) -> Organisation:
    return town_provider_add(
        actor=world.pyeongchang_officer,
        tenant_id=world.pyeongchang.pk,
        data=ProviderInput(
            name_ko="강원 인강",
            launch_url="https://gangwon-lectures.example/start",
            seats=5,
        ),
    )


@pytest.fixture
def staff(world, org) -> StaffAccount:
    return town_provider_staff_add(
        actor=world.pyeongchang_officer,
        tenant_id=world.pyeongchang.pk,
        provider_id=org.pk,
        name="강원 담당자",
        username="gangwon.staff",
    )


def _state() -> tuple[Any, ...]:
    return (
        list(User.objects.order_by("pk").values_list("pk", "is_active", "password")),
        RoleAssignment.objects.count(),
        AuditLog.objects.count(),
        list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
    )


def _api(token: str, path: str, lang: str = "ko") -> Any:
    return Client().post(
        path,
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def _me(token: str) -> int:
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def _url(slug: str, pk: int, user_id: int, act: str) -> str:
    return reverse("learning:town_provider_staff_manage", args=[slug, pk, user_id, act])


def _signs_in(username: str, password: str) -> bool:
    response = Client().post(
        reverse("core:login"), {"username": username, "password": password}
    )
    return response.status_code == 302


def test_a_deactivated_staff_member_cannot_sign_in_and_their_token_fails(
    world, org, staff, client_for, api_token
):
    user = staff.user
    token = api_token(user)
    assert _me(token) == 200 and _signs_in(user.username, staff.password)
    signed_in = Client()
    signed_in.force_login(user)
    client = client_for(world.pyeongchang_officer)
    page = reverse("learning:town_provider_edit", args=["pyeongchang", org.pk])
    assert 'name="deactivate_staff"' in client.get(page).content.decode()
    # Without the tick box nothing changes, with a clear message in Korean and English.
    before = _state()
    deactivate = _url("pyeongchang", org.pk, user.pk, "deactivate")
    refused = client.post(deactivate)
    assert refused.status_code == 422
    assert "확인" in " ".join(refused.context["staff_error"]["messages"])
    client.cookies["nanum_language"] = "en"
    refused = client.post(deactivate)
    assert refused.status_code == 422 and "Tick the box" in refused.content.decode()
    assert _state() == before
    client.cookies["nanum_language"] = "ko"

    done = client.post(deactivate, {"confirm": "on"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert _me(token) == 401
    assert not _signs_in(user.username, staff.password)
    assert not _signs_in(user.username, staff.password)
    assert signed_in.get(reverse("learning:provider_home")).status_code == 302
    row = AuditLog.objects.get(action="learning.town.provider.staff_deactivate")
    assert row.actor == world.pyeongchang_officer and row.object_id == str(org.pk)
    assert (row.after or {})["user"] == user.pk
    assert (row.after or {})["tokens_revoked"] == 1
    text = client.get(page).content.decode()
    assert "로그인할 수 없음" in text and 'name="reactivate_staff"' in text
    # Deactivating again changes nothing.
    before = _state()
    assert client.post(deactivate, {"confirm": "on"}).status_code == 302
    assert _state() == before

    # Reactivated: the password works again, the revoked token stays revoked.
    again = client.post(_url("pyeongchang", org.pk, user.pk, "reactivate"))
    assert again.status_code == 302
    user.refresh_from_db()
    assert user.is_active and _signs_in(user.username, staff.password)
    assert _me(token) == 401
    assert AuditLog.objects.filter(
        action="learning.town.provider.staff_reactivate", object_id=str(org.pk)
    ).exists()


def test_a_new_one_time_password_ends_the_old_one(
    world, org, staff, client_for, api_token
):
    user = staff.user
    signed_in = Client()
    signed_in.force_login(user)
    client = client_for(world.pyeongchang_officer)
    response = client.post(_url("pyeongchang", org.pk, user.pk, "password"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    new = response.context["shown"]["password"]
    assert new != staff.password and len(new) == 19
    assert (
        new in response.content.decode() and "새 비밀번호" in response.content.decode()
    )
    assert not _signs_in(user.username, staff.password)
    assert _signs_in(user.username, new)
    # The staff member's signed-in session ends with the old password.
    assert signed_in.get(reverse("learning:provider_home")).status_code == 302
    row = AuditLog.objects.get(action="learning.town.provider.staff_password")
    assert (
        row.actor == world.pyeongchang_officer and (row.after or {})["user"] == user.pk
    )
    assert new not in json.dumps([a.after for a in AuditLog.objects.all()])
    page = reverse("learning:town_provider_edit", args=["pyeongchang", org.pk])
    assert new not in client.get(page).content.decode()


def test_the_api_twins(world, org, staff, api_token):
    token = api_token(world.pyeongchang_officer)
    user = staff.user
    staff_token = api_token(user)
    base = f"{API}/pyeongchang/providers/{org.pk}/staff/{user.pk}"
    r = _api(token, f"{base}/deactivate")
    assert r.status_code == 200, r.content
    assert r.json() == {
        "id": user.pk,
        "username": "gangwon.staff",
        "name": "강원 담당자",
        "provider": org.pk,
        "active": False,
    }
    assert _me(staff_token) == 401
    assert not _signs_in(user.username, staff.password)
    r = _api(token, f"{base}/reactivate")
    assert r.status_code == 200 and r.json()["active"] is True
    assert _signs_in(user.username, staff.password)
    r = _api(token, f"{base}/password")
    assert r.status_code == 201
    body = r.json()
    assert body["id"] == user.pk and body["provider"] == org.pk
    user.refresh_from_db()
    assert user.check_password(body["password"])
    assert not user.check_password(staff.password)
    r = _api(token, f"{base}/rename")
    assert r.status_code in (404, 405)


@pytest.mark.parametrize("who", ["student", "provider", "pyeongchang_officer", "none"])
def test_only_this_providers_staff_are_touched(
    world, org, staff, client_for, api_token, who
):
    user_id = 999_999 if who == "none" else getattr(world, who).pk
    client = client_for(world.pyeongchang_officer)
    token = api_token(world.pyeongchang_officer)
    before = _state()
    for act in ("deactivate", "reactivate", "password"):
        page = client.post(_url("pyeongchang", org.pk, user_id, act), {"confirm": "on"})
        assert page.status_code == 404
        r = _api(token, f"{API}/pyeongchang/providers/{org.pk}/staff/{user_id}/{act}")
        assert r.status_code == 404 and r.json()["code"] == "not_found"
        assert r["Content-Type"] == "application/problem+json"
    # Unconfirmed, someone else's id is not found either.
    assert (
        client.post(_url("pyeongchang", org.pk, user_id, "deactivate")).status_code
        == 404
    )
    assert _state() == before


def test_an_account_with_a_role_elsewhere_stays_with_the_administrator(
    world, org, staff, client_for, api_token
):
    other = world.provider.role_assignments.get()
    RoleAssignment.objects.create(
        user=staff.user,
        role=Role.PROVIDER,
        organisation=other.organisation,
        tenant_id=other.tenant_id,
    )
    client = client_for(world.pyeongchang_officer)
    token = api_token(world.pyeongchang_officer)
    before = _state()
    r = client.post(_url("pyeongchang", org.pk, staff.user.pk, "password"))
    assert r.status_code == 409 and "관리자" in r.content.decode()
    r = _api(
        token, f"{API}/pyeongchang/providers/{org.pk}/staff/{staff.user.pk}/deactivate"
    )
    assert r.status_code == 409 and r.json()["code"] == "account_shared"
    assert _state() == before


def test_a_shared_providers_staff_stay_with_the_administrator(
    world, org, staff, client_for, api_token
):
    SeatAllocation.objects.create(
        tenant=world.gimpo, provider=org, year=timezone.localdate().year, seats=3
    )
    client = client_for(world.pyeongchang_officer)
    token = api_token(world.pyeongchang_officer)
    page = reverse("learning:town_provider_edit", args=["pyeongchang", org.pk])
    assert 'name="deactivate_staff"' not in client.get(page).content.decode()
    before = _state()
    for act in ("deactivate", "reactivate", "password"):
        response = client.post(
            _url("pyeongchang", org.pk, staff.user.pk, act), {"confirm": "on"}
        )
        assert response.status_code == 409
        assert "관리자가 관리합니다" in response.content.decode()
        r = _api(
            token, f"{API}/pyeongchang/providers/{org.pk}/staff/{staff.user.pk}/{act}"
        )
        assert r.status_code == 409 and r.json()["code"] == "provider_shared"
    assert _state() == before


@pytest.mark.parametrize("who", ["gimpo_officer", "seoul_officer"])
def test_another_towns_officer_finds_nothing(
    world, org, staff, client_for, api_token, who
):
    user = getattr(world, who)
    own = "gimpo" if who == "gimpo_officer" else "seoul"
    client = client_for(user)
    token = api_token(user)
    before = _state()
    answers = []
    for slug in ("pyeongchang", own):
        for act in ("deactivate", "reactivate", "password"):
            answers.append(
                client.post(
                    _url(slug, org.pk, staff.user.pk, act), {"confirm": "on"}
                ).status_code
            )
            r = _api(
                token, f"{API}/{slug}/providers/{org.pk}/staff/{staff.user.pk}/{act}"
            )
            assert r.json()["code"] == "not_found"
            answers.append(r.status_code)
    assert answers == [404] * 12
    assert _state() == before


@pytest.mark.parametrize("who", ["student", "mentor", "teacher", "provider"])
def test_other_roles_are_refused(world, org, staff, client_for, api_token, who):
    user = getattr(world, who)
    client = client_for(user)
    token = api_token(user)
    before = _state()
    for act in ("deactivate", "reactivate", "password"):
        url = _url("pyeongchang", org.pk, staff.user.pk, act)
        assert client.post(url, {"confirm": "on"}).status_code == 403
        r = _api(
            token, f"{API}/pyeongchang/providers/{org.pk}/staff/{staff.user.pk}/{act}"
        )
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert _state() == before


def test_an_administrator_acts_for_the_town(world, org, staff, api_token):
    token = api_token(world.admin)
    base = f"{API}/pyeongchang/providers/{org.pk}/staff/{staff.user.pk}"
    assert _api(token, f"{base}/deactivate").status_code == 200
    row = AuditLog.objects.get(action="learning.town.provider.staff_deactivate")
    assert row.actor == world.admin
    staff.user.refresh_from_db()
    assert not staff.user.is_active
