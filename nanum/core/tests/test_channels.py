"""Notification channels: one sending interface (console backend in tests), each
person's choice, phone numbers verified by a rate-limited one-time code, and sign-up
by phone number instead of e-mail."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from nanum.core.errors import DomainError, InvalidInput
from nanum.core.models import (
    AuditLog,
    ChannelDelivery,
    ContactPreference,
    PhoneCode,
    Role,
    User,
)
from nanum.core.services import (
    ConsoleBackend,
    channel_backend,
    channels_set,
    notification_channels_send,
    notification_send,
    phone_code_send,
    phone_verify,
)
from nanum.core.services.channels import WebhookBackend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outbox() -> None:
    ConsoleBackend.sent.clear()


def last_code(phone: str) -> str:
    sent = [m for m in ConsoleBackend.sent if m["to"] == phone]
    match = re.search(r"\b(\d{6})\b", sent[-1]["text"])
    assert match
    return match.group(1)


def test_a_verified_phone_gets_notifications_by_sms_and_kakao(world):
    user = world.student
    with pytest.raises(InvalidInput) as exc:
        channels_set(actor=user, channels=["sms"])
    assert "channels" in exc.value.field_errors
    phone_code_send(phone="010-1234-5678", purpose="verify", ip="10.0.0.1")
    with pytest.raises(InvalidInput):
        phone_verify(actor=user, phone="01012345678", code="000000")
    assert PhoneCode.objects.get().attempts == 1  # the wrong try is kept
    phone_verify(actor=user, phone="010 1234 5678", code=last_code("01012345678"))
    channels_set(actor=user, channels=["sms", "kakao"])
    pref = ContactPreference.objects.get(user=user)
    assert pref.channels == ["in_app", "sms", "kakao"] and pref.phone == "01012345678"
    assert AuditLog.objects.filter(action="user.channels", actor=user).exists()
    ConsoleBackend.sent.clear()
    note = notification_send(user=user, kind="test", subject="수업이 바뀌었습니다")
    ConsoleBackend.sent.clear()  # the immediate task backend may already have sent
    ChannelDelivery.objects.all().delete()
    assert notification_channels_send(notification_id=note.pk) == 2
    assert {m["channel"] for m in ConsoleBackend.sent} == {"sms", "kakao"}
    assert all("수업이 바뀌었습니다" in m["text"] for m in ConsoleBackend.sent)
    assert notification_channels_send(notification_id=note.pk) == 0  # at most once


def test_codes_are_rate_limited_and_expire_after_five_wrong_tries(world):
    phone_code_send(phone="010-2222-3333", purpose="verify")
    with pytest.raises(DomainError) as exc:
        phone_code_send(phone="010-2222-3333", purpose="verify")
    assert exc.value.status == 429
    assert PhoneCode.objects.count() == 1
    code = last_code("01022223333")
    for _ in range(5):
        with pytest.raises(InvalidInput):
            phone_verify(actor=world.student, phone="01022223333", code="999999")
    with pytest.raises(InvalidInput):  # the right code no longer works
        phone_verify(actor=world.student, phone="01022223333", code=code)
    assert not ContactPreference.objects.filter(phone="01022223333").exists()


@override_settings(NANUM_PHONE_CODE_LIMITS=(10, 60, 10, 3600, 2))
def test_one_address_cannot_flood_many_numbers(world):
    phone_code_send(phone="010-1000-0001", purpose="signup", ip="10.9.9.9")
    phone_code_send(phone="010-1000-0002", purpose="signup", ip="10.9.9.9")
    with pytest.raises(DomainError) as exc:
        phone_code_send(phone="010-1000-0003", purpose="signup", ip="10.9.9.9")
    assert exc.value.code == "rate_limited"


def test_bad_numbers_are_refused():
    with pytest.raises(InvalidInput) as exc:
        phone_code_send(phone="02-123-4567", purpose="verify")
    assert "phone" in exc.value.field_errors
    assert not ConsoleBackend.sent


@override_settings(NANUM_SMS_URL="https://gateway.example/sms", NANUM_SMS_TOKEN="t")
def test_a_gateway_is_configured_without_code_changes():
    backend = channel_backend("sms")
    assert isinstance(backend, WebhookBackend)
    assert backend.url == "https://gateway.example/sms" and backend.token == "t"
    assert isinstance(channel_backend("kakao"), ConsoleBackend)


def test_sign_up_by_phone_number_instead_of_e_mail(world, client):
    url = reverse("core:signup_phone")
    client.cookies["nanum_language"] = "en"
    response = client.post(url, {"phone": "010-5555-6666", "send": "1"})
    assert "A code was sent to your phone." in response.content.decode()
    code = last_code("01055556666")
    data = {
        "phone": "010-5555-6666",
        "code": "123",
        "role": "guardian",
        "tenant": world.pyeongchang.pk,
        "display_name": "문자가족",
        "birth_year": "1985",
        "username": "sms.family",
        "password1": "a-long-pass-phrase-9",
        "password2": "a-long-pass-phrase-9",
    }
    response = client.post(url, data)
    assert "The code is wrong or has expired" in response.content.decode()
    assert not User.objects.filter(username="sms.family").exists()
    response = client.post(url, {**data, "code": code})
    assert response.status_code == 302
    user = User.objects.get(username="sms.family")
    assert user.email == "" and user.has_role(Role.GUARDIAN)
    pref = ContactPreference.objects.get(user=user)
    assert pref.phone == "01055556666" and pref.channels == ["in_app", "sms"]
    client.logout()
    response = client.post(url, {"phone": "010-5555-6666", "send": "1"})
    assert "1분 뒤에 다시 요청하세요" in response.content.decode()  # rate limited


def test_channels_page(world, client_for):
    client = client_for(world.student)
    assert client.get(reverse("core:channels")).status_code == 200
    response = client.post(reverse("core:channels"), {"save": "1", "channels": ["sms"]})
    assert response.status_code == 200
    assert "channels_form" in response.context
    assert response.context["channels_form"].errors
    assert not ContactPreference.objects.filter(user=world.student).exists()


def test_channels_page_needs_sign_in(client):
    response = client.get(reverse("core:channels"))
    assert response.status_code == 302 and "login" in response["Location"]


def _gateway_down(self: WebhookBackend, *, channel: str, to: str, text: str) -> None:
    raise OSError("connection refused")


@override_settings(NANUM_SMS_URL="https://gateway.example/sms")
def test_a_gateway_that_is_down_is_a_plain_refusal_that_keeps_nothing(
    world, client, client_for, monkeypatch
):
    """No code is kept (the try does not count against the limits), the person is
    told in their language on the page, and nothing becomes a server error."""
    monkeypatch.setattr(WebhookBackend, "send", _gateway_down)
    with pytest.raises(DomainError) as exc:
        phone_code_send(phone="010-7777-8888", purpose="verify", ip="10.0.0.7")
    assert (exc.value.status, exc.value.code) == (503, "sms_unavailable")
    assert not PhoneCode.objects.exists()

    response = client.post(
        reverse("core:signup_phone"), {"phone": "010-7777-8888", "send": "1"}
    )
    assert response.status_code == 200
    assert "지금은 문자 메시지를 보낼 수 없습니다" in response.content.decode()
    page = client_for(world.student)
    page.cookies["nanum_language"] = "en"
    response = page.post(
        reverse("core:channels"), {"phone": "010-7777-8888", "send": "1"}
    )
    assert response.status_code == 200
    assert "could not be sent just now" in response.content.decode()
    assert not PhoneCode.objects.exists()
    assert not ContactPreference.objects.filter(user=world.student).exists()
