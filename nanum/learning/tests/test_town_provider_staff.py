"""A town's officers give the staff of a provider their town added an account (the
provider role there, a one-time password shown once) and hand over its hand-off
secret (shown once, or renewed: the old one stops verifying at once), on the
provider's page and through the API twins; refusals on the field in Korean and
English change nothing; a shared provider stays with the administrator (409);
another town's officer finds nothing (404), other roles are refused (403)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nanum.core.errors import DomainError
from nanum.core.models import AuditLog, Organisation, Role, RoleAssignment, User
from nanum.learning.models import ProviderProfile, SeatAllocation
from nanum.learning.services.seats import handoff_sign, handoff_verify
from nanum.learning.services.town_providers import ProviderInput, town_provider_add

pytestmark = pytest.mark.django_db
API = "/api/v1/learning/officer/towns"
STAFF = {"name": "강원 담당자", "username": "gangwon.staff"}


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


def _state() -> tuple[int, int, int, str]:
    secrets = sorted(str(p.handoff_secret) for p in ProviderProfile.objects.all())
    return (
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditLog.objects.count(),
        "|".join(secrets),
    )


def _api(token: str, path: str, body: Any, lang: str = "ko") -> Any:
    return Client().post(
        path,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def _urls(slug: str, pk: int) -> tuple[str, str, str]:
    return (
        reverse("learning:town_provider_edit", args=[slug, pk]),
        reverse("learning:town_provider_staff_add", args=[slug, pk]),
        reverse("learning:town_provider_secret", args=[slug, pk]),
    )


def test_the_officer_adds_a_staff_member_who_signs_in_once_shown(
    world, org, client_for
):
    client = client_for(world.pyeongchang_officer)
    page, staff_url, _secret = _urls("pyeongchang", org.pk)
    assert "아직 담당자 계정이 없습니다" in client.get(page).content.decode()
    response = client.post(
        staff_url, {"name": " 강원 담당자 ", "username": "Gangwon.Staff"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["shown"]["password"]
    assert password in response.content.decode() and len(password) == 19
    user = User.objects.get(username="gangwon.staff")
    assert user.display_name == "강원 담당자" and user.email == ""
    assert user.check_password(password) and password not in user.password
    assert user.home_tenant_id == world.pyeongchang.pk
    ra = RoleAssignment.objects.get(user=user)
    assert (ra.role, ra.organisation_id, ra.tenant_id, ra.is_active) == (
        Role.PROVIDER,
        org.pk,
        world.pyeongchang.pk,
        True,
    )
    row = AuditLog.objects.get(action="learning.town.provider.staff_add")
    assert row.actor == world.pyeongchang_officer
    assert row.object_id == str(org.pk) and row.tenant_id == world.pyeongchang.pk
    assert (row.after or {})["username"] == "gangwon.staff"
    assert password not in json.dumps(row.after)
    # Listed on the page afterwards, the password is not shown again.
    again = client.get(page).content.decode()
    assert "gangwon.staff" in again and password not in again
    # The staff member signs in with it and sees this provider's seats page.
    staff = Client()
    signed_in = staff.post(
        reverse("core:login"), {"username": "gangwon.staff", "password": password}
    )
    assert signed_in.status_code == 302
    home = staff.get(reverse("learning:provider_home"))
    assert home.status_code == 200 and home.context["provider"] == org


@pytest.mark.parametrize(
    ("field", "value", "korean", "english"),
    [
        ("name", "  ", "이름을 입력", "Enter the staff member's name"),
        ("name", "가" * 101, "100자", "100 characters"),
        ("username", "student", "이미", "taken"),
        ("username", "STUDENT", "이미", "taken"),
        ("username", "ab", "4~30자", "4 to 30"),
        ("username", "강원 담당", "4~30자", "4 to 30"),
    ],
)
def test_bad_staff_input_is_refused_on_the_field_in_both_languages(
    world, org, client_for, api_token, field, value, korean, english
):
    token = api_token(world.pyeongchang_officer)
    before = _state()
    client = client_for(world.pyeongchang_officer)
    _page, staff_url, _secret = _urls("pyeongchang", org.pk)
    body = {**STAFF, field: value}
    response = client.post(staff_url, body)
    assert response.status_code == 422
    assert korean in " ".join(response.context["staff_form"].errors[field])
    client.cookies["nanum_language"] = "en"
    response = client.post(staff_url, body)
    assert response.status_code == 422
    assert english in " ".join(response.context["staff_form"].errors[field])
    r = _api(
        token,
        f"{API}/pyeongchang/providers/{org.pk}/staff",
        body,
        lang="en",
    )
    assert r.status_code == 422
    assert r["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in r.json()["errors"]] == [field]
    assert english in r.json()["errors"][0]["message"]
    assert _state() == before


def test_the_secret_is_shown_once_and_a_new_one_ends_the_old(
    world, org, client_for, api_token
):
    client = client_for(world.pyeongchang_officer)
    page, _staff, secret_url = _urls("pyeongchang", org.pk)
    old = str(ProviderProfile.objects.get(organisation=org).handoff_secret)
    assert "비밀값을 한 번 보기" in client.get(page).content.decode()
    shown = client.post(secret_url)
    assert shown.status_code == 200 and shown.context["shown"]["secret"] == old
    assert old in shown.content.decode() and "no-store" in shown["Cache-Control"]
    assert AuditLog.objects.filter(
        action="learning.town.provider.secret_show", object_id=str(org.pk)
    ).exists()
    assert old not in json.dumps([a.after for a in AuditLog.objects.all()])
    # Not a second time, on the page or through the API.
    assert "비밀값을 한 번 보기" not in client.get(page).content.decode()
    token = api_token(world.pyeongchang_officer)
    before = _state()
    again = client.post(secret_url)
    assert again.status_code == 409 and old not in again.content.decode()
    assert "이미 한 번" in " ".join(again.context["secret_form"].non_field_errors())
    r = _api(token, f"{API}/pyeongchang/providers/{org.pk}/secret", {})
    assert r.status_code == 409 and r.json()["code"] == "secret_shown"
    assert old not in r.content.decode()
    # A new one needs the confirmation.
    refused = client.post(secret_url, {"new": "1"})
    assert refused.status_code == 422
    assert "확인" in " ".join(refused.context["secret_form"].errors["confirm"])
    assert _state() == before

    # A staff account of the provider checks a token signed with the old secret.
    staff = _api(token, f"{API}/pyeongchang/providers/{org.pk}/staff", STAFF)
    assert staff.status_code == 201
    staff_user = User.objects.get(username=STAFF["username"])
    now = int(time.time())
    payload = {"ref": "abc", "town": "pyeongchang", "iat": now, "exp": now + 300}
    old_token = handoff_sign(payload, old)
    assert handoff_verify(actor=staff_user, token=old_token)["ref"] == "abc"

    renewed = client.post(secret_url, {"new": "1", "confirm": "on"})
    assert renewed.status_code == 200
    new = renewed.context["shown"]["secret"]
    assert new != old and new in renewed.content.decode()
    assert str(ProviderProfile.objects.get(organisation=org).handoff_secret) == new
    assert AuditLog.objects.filter(action="learning.town.provider.secret_new").exists()
    with pytest.raises(DomainError) as exc:
        handoff_verify(actor=staff_user, token=old_token)
    assert exc.value.code == "bad_handoff"
    new_token = handoff_sign(payload, new)
    assert handoff_verify(actor=staff_user, token=new_token)["provider"] == org.pk
    # And through the API, with the old one refused by the verify endpoint too.
    r = _api(token, f"{API}/pyeongchang/providers/{org.pk}/secret", {"new": True})
    assert r.status_code == 200 and r.json()["new"] is True
    newest = r.json()["secret"]
    assert newest not in (old, new)
    assert str(ProviderProfile.objects.get(organisation=org).handoff_secret) == newest
    verify = _api(
        api_token(staff_user),
        "/api/v1/learning/handoff/verify",
        {"token": new_token},
    )
    assert verify.status_code == 400 and verify.json()["code"] == "bad_handoff"


def test_the_api_gives_a_staff_account_like_the_page(world, org, api_token):
    token = api_token(world.pyeongchang_officer)
    r = _api(token, f"{API}/pyeongchang/providers/{org.pk}/staff", STAFF)
    assert r.status_code == 201, r.content
    body = r.json()
    user = User.objects.get(username="gangwon.staff")
    assert {k: v for k, v in body.items() if k != "password"} == {
        "id": user.pk,
        "username": "gangwon.staff",
        "name": "강원 담당자",
        "provider": org.pk,
    }
    assert user.check_password(body["password"])
    assert user.has_role(Role.PROVIDER)
    # The same username again is refused, and nothing more is made.
    before = _state()
    again = _api(token, f"{API}/pyeongchang/providers/{org.pk}/staff", STAFF)
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "username"
    assert _state() == before


def test_a_shared_providers_staff_and_secret_stay_with_the_administrator(
    world, org, client_for, api_token
):
    SeatAllocation.objects.create(
        tenant=world.gimpo, provider=org, year=timezone.localdate().year, seats=3
    )
    client = client_for(world.pyeongchang_officer)
    page, staff_url, secret_url = _urls("pyeongchang", org.pk)
    text = client.get(page).content.decode()
    assert "관리자가 관리합니다" in text and 'name="add_staff"' not in text
    token = api_token(world.pyeongchang_officer)
    before = _state()
    for response in (
        client.post(staff_url, STAFF),
        client.post(secret_url),
        client.post(secret_url, {"new": "1", "confirm": "on"}),
    ):
        assert response.status_code == 409
        assert "관리자가 관리합니다" in response.content.decode()
    for path, body in (("staff", STAFF), ("secret", {}), ("secret", {"new": True})):
        r = _api(token, f"{API}/pyeongchang/providers/{org.pk}/{path}", body)
        assert r.status_code == 409 and r.json()["code"] == "provider_shared"
        assert r["Content-Type"] == "application/problem+json"
    assert _state() == before


@pytest.mark.parametrize("who", ["gimpo_officer", "seoul_officer"])
def test_another_towns_officer_finds_nothing(world, org, client_for, api_token, who):
    user = getattr(world, who)
    own = "gimpo" if who == "gimpo_officer" else "seoul"
    client = client_for(user)
    token = api_token(user)
    before = _state()
    answers = []
    for slug in ("pyeongchang", own):
        _page, staff_url, secret_url = _urls(slug, org.pk)
        answers += [
            client.post(staff_url, STAFF).status_code,
            client.post(secret_url).status_code,
            client.post(secret_url, {"new": "1", "confirm": "on"}).status_code,
        ]
        for path, body in (("staff", STAFF), ("secret", {}), ("secret", {"new": True})):
            r = _api(token, f"{API}/{slug}/providers/{org.pk}/{path}", body)
            assert r.json()["code"] == "not_found"
            answers.append(r.status_code)
    assert answers == [404] * 12
    assert _state() == before


@pytest.mark.parametrize("who", ["student", "mentor", "teacher", "provider"])
def test_other_roles_are_refused(world, org, client_for, api_token, who):
    user = getattr(world, who)
    client = client_for(user)
    token = api_token(user)
    before = _state()
    _page, staff_url, secret_url = _urls("pyeongchang", org.pk)
    assert client.post(staff_url, STAFF).status_code == 403
    assert client.post(secret_url).status_code == 403
    for path, body in (("staff", STAFF), ("secret", {})):
        r = _api(token, f"{API}/pyeongchang/providers/{org.pk}/{path}", body)
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert _state() == before


def test_an_administrator_acts_for_the_town(world, org, api_token):
    token = api_token(world.admin)
    r = _api(token, f"{API}/pyeongchang/providers/{org.pk}/staff", STAFF)
    assert r.status_code == 201
    row = AuditLog.objects.get(action="learning.town.provider.staff_add")
    assert row.actor == world.admin
