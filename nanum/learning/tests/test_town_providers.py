"""A town's officers add and edit the providers their town buys seats from, on a page
and through its API twin: validated in Korean and English with nothing written on a
refusal, audited, and only for their own town (another town's officer: not found;
other roles: refused)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import AuditLog, Organisation
from nanum.learning.models import ProviderProfile, SeatAllocation

pytestmark = pytest.mark.django_db
API = "/api/v1/learning/officer/towns"
GOOD: dict[str, Any] = {
    "name_ko": "강원 인강",
    "name_en": "Gangwon Lectures",
    "launch_url": "https://gangwon-lectures.example/start",
    "phone": "033-123-4567",
    "seats": "12",
}


def _state() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.filter(kind="provider").count(),
        ProviderProfile.objects.count(),
        SeatAllocation.objects.count(),
        AuditLog.objects.count(),
    )


def _call(
    method: str, path: str, user_token: str, body: Any = None, lang: str = "ko"
) -> Any:
    send = getattr(Client(), method)
    extra = {"HTTP_AUTHORIZATION": f"Bearer {user_token}", "HTTP_ACCEPT_LANGUAGE": lang}
    if body is None:
        return send(path, **extra)
    return send(path, json.dumps(body), content_type="application/json", **extra)


def _as_json(form: dict[str, Any]) -> dict[str, Any]:
    seats = form.get("seats", "")
    return {**form, "seats": int(seats) if seats != "" else None}


def _add(client: Client, slug: str = "pyeongchang", **over: Any) -> Any:
    return client.post(
        reverse("learning:town_providers", args=[slug]), {**GOOD, **over}
    )


def test_an_officer_adds_a_provider_with_its_seats(world, towns, client_for):
    client = client_for(world.pyeongchang_officer)
    page = client.get(reverse("learning:town_providers", args=["pyeongchang"]))
    assert page.status_code == 200
    assert "아직 추가한 학습 사이트가 없습니다" in page.content.decode()
    response = _add(client)
    assert response.status_code == 302
    org = Organisation.objects.get(name_ko="강원 인강")
    assert org.kind == "provider" and org.tenant_id == world.pyeongchang.pk
    assert org.name_en == "Gangwon Lectures" and org.phone == "033-123-4567"
    assert org.learning_profile.launch_url == GOOD["launch_url"]
    year = timezone.localdate().year
    alloc = SeatAllocation.objects.get(provider=org)
    assert (alloc.tenant_id, alloc.year, alloc.seats) == (
        world.pyeongchang.pk,
        year,
        12,
    )
    row = AuditLog.objects.get(action="learning.town.provider.add")
    assert row.actor == world.pyeongchang_officer
    assert row.tenant_id == world.pyeongchang.pk
    assert (row.after or {})["launch_url"] == GOOD["launch_url"]
    assert AuditLog.objects.filter(action="learning.town.seats").exists()
    listing = client.get(reverse("learning:town_providers", args=["pyeongchang"]))
    assert "강원 인강" in listing.content.decode()
    # Its seats can also be set with every other provider's on the town's page.
    edit = client.get(reverse("learning:town_edit", args=["pyeongchang"]))
    assert f"seats_{org.pk}" in edit.content.decode()
    assert reverse("learning:town_providers", args=["pyeongchang"]) in (
        edit.content.decode()
    )


@pytest.mark.parametrize(
    ("field", "value", "korean", "english"),
    [
        ("name_ko", "", "학습 사이트 이름을 한국어로", "name in Korean"),
        ("name_ko", "메가스터디", "이미 등록되어", "already listed"),
        ("launch_url", "http://plain.example/", "https://로 시작하는", "https://"),
        ("launch_url", "not a url", "https://로 시작하는", "https://"),
        ("phone", "call us", "전화번호", "telephone number"),
        ("seats", "-1", "0", "0"),
    ],
)
def test_bad_input_is_refused_on_the_field_in_both_languages(
    world, towns, client_for, field, value, korean, english
):
    before = _state()
    client = client_for(world.pyeongchang_officer)
    response = _add(client, **{field: value})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert korean in " ".join(response.context["form"].errors[field])
    client.cookies["nanum_language"] = "en"
    response = _add(client, **{field: value})
    assert response.status_code == 422
    assert english in " ".join(response.context["form"].errors[field])
    token_r = _call(
        "post",
        f"{API}/pyeongchang/providers",
        _token(world.pyeongchang_officer),
        _as_json({**GOOD, field: value}),
        lang="en",
    )
    assert token_r.status_code == 422
    assert token_r["Content-Type"] == "application/problem+json"
    assert field in {e["field"] for e in token_r.json()["errors"]}
    assert _state() == before


_tokens: dict[int, str] = {}


def _token(user: Any) -> str:
    return _tokens[user.pk]


@pytest.fixture(autouse=True)
def _api_tokens(world, api_token) -> None:
    _tokens.clear()
    for name in (
        "pyeongchang_officer",
        "gimpo_officer",
        "seoul_officer",
        "admin",
        "student",
        "mentor",
        "teacher",
        "provider",
    ):
        user = getattr(world, name)
        _tokens[user.pk] = api_token(user)


def test_the_officer_edits_the_provider_and_it_is_audited(world, towns, client_for):
    client = client_for(world.pyeongchang_officer)
    _add(client)
    org = Organisation.objects.get(name_ko="강원 인강")
    url = reverse("learning:town_provider_edit", args=["pyeongchang", org.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["seats"] == 12
    response = client.post(
        url,
        {
            **GOOD,
            "name_ko": "강원 온라인 강의",
            "launch_url": "https://new.example/go",
            "seats": "20",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name_ko == "강원 온라인 강의"
    assert org.learning_profile.launch_url == "https://new.example/go"
    assert SeatAllocation.objects.get(provider=org).seats == 20
    row = AuditLog.objects.get(action="learning.town.provider.edit")
    assert (row.before or {})["name_ko"] == "강원 인강"
    assert (row.after or {})["launch_url"] == "https://new.example/go"
    # A bad edit changes nothing.
    before = _state()
    bad = client.post(url, {**GOOD, "launch_url": "ftp://x.example/"})
    assert bad.status_code == 422
    org.refresh_from_db()
    assert org.learning_profile.launch_url == "https://new.example/go"
    assert _state() == before


def test_a_provider_other_towns_use_keeps_its_address(world, towns, client_for):
    client = client_for(world.pyeongchang_officer)
    _add(client)
    org = Organisation.objects.get(name_ko="강원 인강")
    SeatAllocation.objects.create(
        tenant=world.gimpo, provider=org, year=timezone.localdate().year, seats=3
    )
    url = reverse("learning:town_provider_edit", args=["pyeongchang", org.pk])
    assert "다른 지역도" in client.get(url).content.decode()
    before = _state()
    response = client.post(url, {**GOOD, "launch_url": "https://elsewhere.example/"})
    assert response.status_code == 409
    assert "다른 지역도" in " ".join(response.context["form"].non_field_errors())
    assert _state() == before
    r = _call(
        "put",
        f"{API}/pyeongchang/providers/{org.pk}",
        _token(world.pyeongchang_officer),
        _as_json({**GOOD, "launch_url": "https://elsewhere.example/"}),
    )
    assert r.status_code == 409 and r.json()["code"] == "provider_shared"
    org.refresh_from_db()
    assert org.learning_profile.launch_url == GOOD["launch_url"]
    # Its seats still change.
    assert client.post(url, {**GOOD, "seats": "15"}).status_code == 302
    alloc = SeatAllocation.objects.get(provider=org, tenant=world.pyeongchang)
    assert alloc.seats == 15


def test_the_api_adds_lists_and_edits_like_the_page(world, towns):
    token = _token(world.pyeongchang_officer)
    r = _call("post", f"{API}/pyeongchang/providers", token, _as_json(GOOD))
    assert r.status_code == 201, r.content
    body = r.json()
    org = Organisation.objects.get(name_ko="강원 인강")
    assert body == {
        "id": org.pk,
        "name_ko": "강원 인강",
        "name_en": "Gangwon Lectures",
        "launch_url": GOOD["launch_url"],
        "phone": "033-123-4567",
        "seats": 12,
        "used": 0,
        "shared": False,
    }
    listing = _call("get", f"{API}/pyeongchang/providers", token)
    assert listing.status_code == 200
    assert listing.json()["count"] == 1 and listing.json()["items"] == [body]
    r = _call(
        "put",
        f"{API}/pyeongchang/providers/{org.pk}",
        token,
        {**_as_json(GOOD), "phone": "", "seats": None},
    )
    assert r.status_code == 200
    assert r.json()["phone"] == "" and r.json()["seats"] == 12
    assert AuditLog.objects.filter(action="learning.town.provider.edit").count() == 1
    # The page lists the same provider.
    page = Client()
    page.force_login(world.pyeongchang_officer)
    rows = page.get(reverse("learning:town_providers", args=["pyeongchang"]))
    assert [r.provider.pk for r in rows.context["providers"]] == [org.pk]


def test_other_towns_providers_are_not_listed(world, towns, client_for):
    """The shared providers (the test world's Megastudy is Seoul's) are not edited from
    Pyeongchang's page; Gimpo's new provider is not listed there either."""
    _add(client_for(world.gimpo_officer), slug="gimpo")
    r = _call("get", f"{API}/pyeongchang/providers", _token(world.pyeongchang_officer))
    assert r.status_code == 200 and r.json()["count"] == 0


@pytest.mark.parametrize("who", ["gimpo_officer", "seoul_officer"])
def test_another_towns_officer_finds_nothing(world, towns, client_for, who):
    _add(client_for(world.pyeongchang_officer))
    org = Organisation.objects.get(name_ko="강원 인강")
    before = (_state(), org.learning_profile.launch_url)
    user = getattr(world, who)
    own = "gimpo" if who == "gimpo_officer" else "seoul"
    client = client_for(user)
    token = _token(user)
    pages = [
        client.get(reverse("learning:town_providers", args=["pyeongchang"])),
        _add(client, name_ko="새 사이트"),
        client.post(
            reverse("learning:town_provider_edit", args=["pyeongchang", org.pk]),
            {**GOOD, "launch_url": "https://evil.example/"},
        ),
        # Their own town's address with Pyeongchang's provider.
        client.post(
            reverse("learning:town_provider_edit", args=[own, org.pk]),
            {**GOOD, "launch_url": "https://evil.example/"},
        ),
    ]
    assert [p.status_code for p in pages] == [404, 404, 404, 404]
    evil = _as_json({**GOOD, "launch_url": "https://evil.example/"})
    answers = [
        _call("get", f"{API}/pyeongchang/providers", token),
        _call("post", f"{API}/pyeongchang/providers", token, evil),
        _call("put", f"{API}/pyeongchang/providers/{org.pk}", token, evil),
        _call("put", f"{API}/{own}/providers/{org.pk}", token, evil),
    ]
    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert {a.json()["code"] for a in answers} == {"not_found"}
    org.refresh_from_db()
    assert (_state(), org.learning_profile.launch_url) == before


@pytest.mark.parametrize("who", ["student", "mentor", "teacher", "provider"])
def test_other_roles_are_refused(world, towns, client_for, who):
    before = _state()
    user = getattr(world, who)
    client = client_for(user)
    assert (
        client.get(reverse("learning:town_providers", args=["pyeongchang"])).status_code
        == 403
    )
    assert _add(client).status_code == 403
    r = _call("post", f"{API}/pyeongchang/providers", _token(user), _as_json(GOOD))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert _state() == before


def test_an_administrator_adds_for_any_town(world, towns):
    r = _call("post", f"{API}/gimpo/providers", _token(world.admin), _as_json(GOOD))
    assert r.status_code == 201
    org = Organisation.objects.get(pk=r.json()["id"])
    assert org.tenant_id == world.gimpo.pk
    assert (
        AuditLog.objects.get(action="learning.town.provider.add").actor == world.admin
    )
