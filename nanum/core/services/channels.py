"""One sending interface for text channels (SMS, KakaoTalk 알림톡) beside in-app and
e-mail; each person's choice of channels; phone numbers verified by a one-time code
(rate limited); sign-up by phone number.

The services name no vendor: a channel's backend is "console" (printed and kept in
``ConsoleBackend.sent``, for the demo and tests) or a gateway address that takes a JSON
POST (``WebhookBackend``). Settings: ``NANUM_SMS_URL``/``NANUM_SMS_TOKEN``,
``NANUM_KAKAO_URL``/``NANUM_KAKAO_TOKEN``/``NANUM_KAKAO_TEMPLATE`` (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import re
import secrets
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput
from nanum.core.models import (
    Channel,
    ChannelDelivery,
    ContactPreference,
    Notification,
    PhoneCode,
    Tenant,
    User,
)

from .accounts import user_register
from .audit import audit_record

logger = logging.getLogger(__name__)

CODE_TTL = timedelta(minutes=10)
# Seconds a caller waits after the SMS gateway failed (the API's Retry-After).
SMS_RETRY_AFTER_S = 60
CODE_MAX_ATTEMPTS = 5
TEXT_CHANNELS = (Channel.SMS, Channel.KAKAO)
_PHONE = re.compile(r"^01[016789]\d{7,8}$")


class ChannelBackend(Protocol):
    def send(self, *, channel: str, to: str, text: str) -> None: ...


@dataclass
class ConsoleBackend:
    """Prints what would be sent and keeps it (the demo and the tests read it)."""

    sent: ClassVar[list[dict[str, str]]] = []

    def send(self, *, channel: str, to: str, text: str) -> None:
        ConsoleBackend.sent.append({"channel": channel, "to": to, "text": text})
        logger.info("[%s → %s] %s", channel, to, text)


@dataclass
class WebhookBackend:
    """POSTs ``{"channel", "to", "text", "template"}`` as JSON to a gateway."""

    url: str
    token: str = ""
    template: str = ""
    timeout: float = 10.0

    def send(self, *, channel: str, to: str, text: str) -> None:
        body = json.dumps(
            {"channel": channel, "to": to, "text": text, "template": self.template}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - https gateway from settings
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            if response.status >= 300:
                raise OSError(f"gateway answered {response.status}")


def channel_backend(channel: str) -> ChannelBackend:
    """The configured backend of a text channel."""
    if channel == Channel.KAKAO:
        url, token = settings.NANUM_KAKAO_URL, settings.NANUM_KAKAO_TOKEN
        template = settings.NANUM_KAKAO_TEMPLATE
    else:
        url, token, template = settings.NANUM_SMS_URL, settings.NANUM_SMS_TOKEN, ""
    if not url or url == "console":
        return ConsoleBackend()
    return WebhookBackend(url=url, token=token, template=template)


def phone_normalise(phone: str) -> str:
    """Digits of a Korean mobile number (010-1234-5678 → 01012345678); "" if not one."""
    digits = re.sub(r"[\s\-()]", "", phone or "")
    if digits.startswith("+82"):
        digits = "0" + digits[3:]
    return digits if _PHONE.match(digits) else ""


def _hash(phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def preference_of(user: User) -> ContactPreference:
    pref = ContactPreference.objects.filter(user=user).first()
    return pref or ContactPreference(user=user)


@transaction.atomic
def phone_code_send(*, phone: str, purpose: str, ip: str | None = None) -> None:
    """Send a 6-digit code to ``phone``. At most one a minute and five an hour per
    number, twenty an hour per address; a refusal says when to try again. A gateway
    that fails is a 503 refusal (``sms_unavailable``) that keeps nothing."""
    number = phone_normalise(phone)
    if not number:
        raise InvalidInput(
            field_errors={"phone": [_("Enter a mobile number such as 010-1234-5678.")]}
        )
    if purpose not in PhoneCode.Purpose.values:
        raise InvalidInput(field_errors={"phone": [_("Choose from the list.")]})
    per_phone, window, per_hour, hour, per_ip = settings.NANUM_PHONE_CODE_LIMITS
    now = clock.now()
    recent = PhoneCode.objects.filter(phone=number)
    if recent.filter(created_at__gt=now - timedelta(seconds=window)).count() >= (
        per_phone
    ):
        raise DomainError(
            _("A code was just sent. Wait a minute before asking for another."),
            code="rate_limited",
            status=429,
            extra={"retry_after": window},
        )
    if recent.filter(created_at__gt=now - timedelta(seconds=hour)).count() >= per_hour:
        raise DomainError(
            _("Too many codes for this number. Try again in an hour."),
            code="rate_limited",
            status=429,
            extra={"retry_after": hour},
        )
    if (
        ip
        and PhoneCode.objects.filter(
            ip=ip, created_at__gt=now - timedelta(seconds=hour)
        ).count()
        >= per_ip
    ):
        raise DomainError(
            _("Too many codes from this address. Try again in an hour."),
            code="rate_limited",
            status=429,
            extra={"retry_after": hour},
        )
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.create(
        phone=number,
        purpose=purpose,
        code_hash=_hash(number, code),
        ip=ip,
        expires_at=now + CODE_TTL,
    )
    text = str(
        _("[%(site)s] Your code is %(code)s (valid for 10 minutes).")
        % {"site": settings.NANUM_SITE_NAME, "code": code}
    )
    try:
        channel_backend(Channel.SMS).send(channel=Channel.SMS, to=number, text=text)
    except (OSError, http.client.HTTPException) as exc:
        # The gateway is down or refused: nothing is kept (the code row rolls back, so
        # the try does not count against the limits) and the person is told plainly.
        logger.warning("SMS gateway failed for a verification code: %s", exc)
        raise DomainError(
            _(
                "The text message could not be sent just now. "
                "Try again in a few minutes."
            ),
            code="sms_unavailable",
            status=503,
            extra={"retry_after": SMS_RETRY_AFTER_S},
        ) from exc


def _wrong_code() -> InvalidInput:
    return InvalidInput(
        field_errors={
            "code": [_("The code is wrong or has expired. Ask for a new one.")]
        }
    )


def _code_use(number: str, purpose: str, code: str) -> bool:
    """Use up the latest live code for ``number``. A wrong code counts as an attempt;
    the caller commits that before refusing (five attempts per code)."""
    entry = (
        PhoneCode.objects.select_for_update()
        .filter(phone=number, purpose=purpose, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if entry is None or entry.expires_at <= clock.now():
        return False
    if entry.attempts >= CODE_MAX_ATTEMPTS:
        return False
    if not hmac.compare_digest(entry.code_hash, _hash(number, (code or "").strip())):
        PhoneCode.objects.filter(pk=entry.pk).update(attempts=entry.attempts + 1)
        return False
    entry.used_at = clock.now()
    entry.save(update_fields=["used_at"])
    return True


def phone_verify(*, actor: User, phone: str, code: str) -> ContactPreference:
    """Save ``actor``'s mobile number once the code sent to it is entered."""
    number = phone_normalise(phone)
    if not number:
        raise InvalidInput(
            field_errors={"phone": [_("Enter a mobile number such as 010-1234-5678.")]}
        )
    with transaction.atomic():
        if not _code_use(number, PhoneCode.Purpose.VERIFY, code):
            pref = None
        else:
            pref = preference_of(actor)
            pref.phone = number
            pref.phone_verified_at = clock.now()
            pref.full_clean()
            pref.save()
            audit_record(
                actor=actor,
                action="user.phone.verify",
                obj=pref,
                tenant=actor.home_tenant,
            )
    if pref is None:
        raise _wrong_code()
    return pref


@transaction.atomic
def channels_set(*, actor: User, channels: list[str]) -> ContactPreference:
    """Choose how to be told. In-app is always on; SMS and KakaoTalk need a verified
    mobile number; e-mail needs an address."""
    pref = preference_of(actor)
    chosen = set(channels) | {Channel.IN_APP}
    errors: dict[str, list[str | Promise]] = {}
    if chosen - set(Channel.values):
        errors["channels"] = [_("Choose from the list.")]
    elif chosen & set(TEXT_CHANNELS) and not pref.phone_verified_at:
        errors["channels"] = [
            _("Verify your mobile number before choosing SMS or KakaoTalk.")
        ]
    elif Channel.EMAIL in chosen and not actor.email:
        errors["channels"] = [_("Add an e-mail address before choosing e-mail.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    before = list(pref.channels or [])
    pref.channels = [c for c in Channel.values if c in chosen]
    pref.full_clean()
    pref.save()
    audit_record(
        actor=actor,
        action="user.channels",
        obj=pref,
        tenant=actor.home_tenant,
        before={"channels": before},
        after={"channels": pref.channels},
    )
    return pref


def wants_email(user: User) -> bool:
    pref = ContactPreference.objects.filter(user=user).first()
    return pref is None or Channel.EMAIL in (pref.channels or [])


def text_channels_of(user: User) -> list[str]:
    pref = ContactPreference.objects.filter(user=user).first()
    if pref is None or not pref.phone_verified_at or not pref.phone:
        return []
    return [c for c in TEXT_CHANNELS if c in (pref.channels or [])]


def notification_channels_send(*, notification_id: int) -> int:
    """Send one notification on the recipient's text channels, each at most once
    (the delivery row is the claim; a failed send rolls it back for a later try)."""
    note = (
        Notification.objects.select_related("user").filter(pk=notification_id).first()
    )
    if note is None:
        return 0
    pref = ContactPreference.objects.filter(user=note.user).first()
    sent = 0
    for channel in text_channels_of(note.user):
        assert pref is not None
        link = (
            f"{str(settings.NANUM_SITE_URL).rstrip('/')}/{note.url.lstrip('/')}"
            if note.url and "://" not in note.url
            else note.url
        )
        text = f"[{settings.NANUM_SITE_NAME}] {note.subject}" + (
            f" {link}" if link else ""
        )
        try:
            with transaction.atomic():
                ChannelDelivery.objects.create(notification=note, channel=channel)
                channel_backend(channel).send(channel=channel, to=pref.phone, text=text)
        except IntegrityError:
            continue  # already sent on this channel
        sent += 1
    return sent


@dataclass(frozen=True)
class PhoneSignUp:
    phone: str
    code: str
    username: str
    display_name: str
    password: str
    birth_year: int
    role: str
    tenant: Tenant
    language: str = ""


def user_register_by_phone(*, data: PhoneSignUp) -> User:
    """Sign up with a mobile number and the code sent to it instead of an e-mail
    address; the number is verified and text messages become the chosen channel."""
    number = phone_normalise(data.phone)
    if not number:
        raise InvalidInput(
            field_errors={"phone": [_("Enter a mobile number such as 010-1234-5678.")]}
        )
    if ContactPreference.objects.filter(
        phone=number, phone_verified_at__isnull=False
    ).exists():
        raise InvalidInput(
            field_errors={"phone": [_("An account already uses this number.")]}
        )
    with transaction.atomic():
        used = _code_use(number, PhoneCode.Purpose.SIGNUP, data.code)
    if not used:
        raise _wrong_code()
    with transaction.atomic():
        user = user_register(
            username=data.username,
            display_name=data.display_name,
            email="",
            password=data.password,
            birth_year=data.birth_year,
            role=data.role,
            tenant=data.tenant,
            language=data.language,
        )
        ContactPreference.objects.create(
            user=user,
            phone=number,
            phone_verified_at=clock.now(),
            channels=[Channel.IN_APP, Channel.SMS],
        )
        audit_record(
            actor=user, action="user.phone.signup", obj=user, tenant=data.tenant
        )
    return user
