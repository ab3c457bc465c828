"""The API twins of the phone sign-up page and the channels page: the same services,
the same refusals (422 with field names, 429 with Retry-After when rate-limited, 503
with Retry-After when the SMS gateway is down), nothing written on a refusal, and one
user never reads or sets another's channels."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from nanum.core.models import AuditLog, ContactPreference, PhoneCode, User
from nanum.core.services import ConsoleBackend
from nanum.core.services.channels import WebhookBackend
from nanum.core.testing import World

pytestmark = pytest.mark.django_db

API = "/api/v1"
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _empty_outbox() -> None:
    ConsoleBackend.sent.clear()


def _code(phone: str) -> str:
    sent = [m for m in ConsoleBackend.sent if m["to"] == phone]
    match = re.search(r"\b(\d{6})\b", sent[-1]["text"])
    assert match
    return match.group(1)


def _post(client: Client, path: str, body: dict[str, Any], **h: Any) -> Any:
    return client.post(
        API + path, json.dumps(body), content_type="application/json", **h
    )


def _bearer(api_token: Callable[[User], str], user: User) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"}


def _fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json().get("errors", [])}


def test_sign_up_by_phone_through_the_api(world: World, client: Client) -> None:
    r = _post(client, "/signup/phone/code", {"phone": "010-5555-6666"})
    assert r.status_code == 202 and r.json() == {"sent": True, "expires_in": 600}
    body = {
        "phone": "010-5555-6666",
        "code": "000000",
        "role": "guardian",
        "tenant": world.pyeongchang.pk,
        "display_name": "문자가족",
        "birth_year": 1985,
        "username": "sms.family",
        "password": "a-long-pass-phrase-9",
    }
    wrong = _post(client, "/signup/phone", body, HTTP_ACCEPT_LANGUAGE="en")
    assert wrong.status_code == 422 and wrong["Content-Type"] == PROBLEM
    assert _fields(wrong) == {"code"}
    assert not User.objects.filter(username="sms.family").exists()
    bad = _post(
        client,
        "/signup/phone",
        {**body, "username": "a b", "password": "12345678901", "role": "admin"},
    )
    assert bad.status_code == 422
    assert {"username", "password", "role"} <= _fields(bad)
    r = _post(client, "/signup/phone", {**body, "code": _code("01055556666")})
    assert r.status_code == 201, r.content
    user = User.objects.get(username="sms.family")
    assert r.json() == {
        "id": user.pk,
        "username": "sms.family",
        "channels": ["in_app", "sms"],
    }
    assert user.email == ""
    assert AuditLog.objects.filter(action="user.phone.signup", actor=user).exists()


def test_codes_are_rate_limited_with_retry_after(client: Client) -> None:
    assert (
        _post(client, "/signup/phone/code", {"phone": "01077778888"}).status_code == 202
    )
    r = _post(
        client,
        "/signup/phone/code",
        {"phone": "01077778888"},
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert r.status_code == 429 and r["Content-Type"] == PROBLEM
    assert r["Retry-After"] == "60" and r.json()["code"] == "rate_limited"
    assert "1분 뒤에 다시 요청하세요" in r.json()["title"]
    assert PhoneCode.objects.count() == 1


def test_bad_numbers_are_422_with_the_field_name(
    world: World, client: Client, api_token: Callable[[User], str]
) -> None:
    r = _post(client, "/signup/phone/code", {"phone": "12345"})
    assert r.status_code == 422 and _fields(r) == {"phone"}
    r = _post(
        client,
        "/account/phone/code",
        {"phone": "x" * 30},
        **_bearer(api_token, world.student),
    )
    assert r.status_code == 422 and _fields(r) == {"phone"}
    assert not PhoneCode.objects.exists()


@override_settings(NANUM_SMS_URL="https://gateway.example/sms")
def test_a_gateway_that_is_down_is_503_with_retry_after(
    world: World,
    client: Client,
    api_token: Callable[[User], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def down(self: WebhookBackend, *, channel: str, to: str, text: str) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(WebhookBackend, "send", down)
    for path, h in (
        ("/signup/phone/code", {}),
        ("/account/phone/code", _bearer(api_token, world.student)),
    ):
        r = _post(client, path, {"phone": "010-7777-8888"}, **h)
        assert r.status_code == 503 and r["Content-Type"] == PROBLEM
        assert r["Retry-After"] == "60" and r.json()["code"] == "sms_unavailable"
    assert not PhoneCode.objects.exists()


def test_channels_read_set_and_verify_my_number(
    world: World, client: Client, api_token: Callable[[User], str]
) -> None:
    h = _bearer(api_token, world.student)
    r = client.get(API + "/account/channels", **h)
    assert r.status_code == 200
    assert r.json()["phone_verified"] is False and "sms" in r.json()["available"]
    refused = client.put(
        API + "/account/channels",
        json.dumps({"channels": ["sms"]}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **h,
    )
    assert refused.status_code == 422 and _fields(refused) == {"channels"}
    assert not ContactPreference.objects.filter(user=world.student).exists()
    assert (
        _post(
            client, "/account/phone/code", {"phone": "010-1111-2222"}, **h
        ).status_code
        == 202
    )
    wrong = _post(
        client, "/account/phone/verify", {"phone": "010-1111-2222", "code": "1"}, **h
    )
    assert wrong.status_code == 422 and _fields(wrong) == {"code"}
    r = _post(
        client,
        "/account/phone/verify",
        {"phone": "010-1111-2222", "code": _code("01011112222")},
        **h,
    )
    assert r.status_code == 200 and r.json()["phone_verified"] is True
    r = client.put(
        API + "/account/channels",
        json.dumps({"channels": ["sms", "kakao"]}),
        content_type="application/json",
        **h,
    )
    assert r.status_code == 200
    assert r.json()["channels"] == ["in_app", "sms", "kakao"]
    # The page shows the same choice (the twin).
    page = Client()
    page.force_login(world.student)
    html = page.get("/account/channels/").content.decode()
    assert 'value="kakao"' in html and "checked" in html
    # Another user's channels are untouched and unseen.
    other = client.get(API + "/account/channels", **_bearer(api_token, world.teacher))
    seen = other.json()["channels"]
    assert other.status_code == 200 and not {"sms", "kakao"} & set(seen)
    assert not ContactPreference.objects.filter(user=world.teacher).exists()


def test_channels_need_a_sign_in(client: Client) -> None:
    for r in (
        client.get(API + "/account/channels"),
        _post(client, "/account/phone/verify", {"phone": "01011112222", "code": "1"}),
    ):
        assert r.status_code == 401 and r["Content-Type"] == PROBLEM


def test_the_schema_lists_the_real_answers(client: Client) -> None:
    paths = client.get(API + "/openapi.json").json()["paths"]
    code = paths["/api/v1/signup/phone/code"]["post"]["responses"]
    assert {"202", "422", "429", "503"} <= {str(k) for k in code}
    assert "Retry-After" in code["503"]["headers"]
    assert "Retry-After" in code["429"]["headers"]
    signup = paths["/api/v1/signup/phone"]["post"]["responses"]
    assert {"201", "422"} <= {str(k) for k in signup}
    channels = paths["/api/v1/account/channels"]
    assert {"200", "401", "422"} <= {str(k) for k in channels["put"]["responses"]}
    assert "security" not in paths["/api/v1/signup/phone"]["post"]
