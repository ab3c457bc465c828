"""How each person wants to be told (in-app, e-mail, SMS, KakaoTalk 알림톡), their
verified phone number, one-time phone codes and per-channel deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .records import Notification


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")
    KAKAO = "kakao", _("KakaoTalk (알림톡)")


def default_channels() -> list[str]:
    return [Channel.IN_APP, Channel.EMAIL]


class ContactPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contact_preference",
    )
    channels = models.JSONField(_("channels"), default=default_channels)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    phone_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")

    def __str__(self) -> str:
        return f"{self.user} · {', '.join(self.channels or [])}"


class PhoneCode(models.Model):
    """A one-time code sent to a phone (stored hashed), for sign-up or verification."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        VERIFY = "verify", _("Verify a phone number")

    phone = models.CharField(max_length=20, db_index=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=128)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone", "purpose", "created_at"])]

    def __str__(self) -> str:
        return f"{self.phone} · {self.purpose}"


class ChannelDelivery(models.Model):
    """One notification sent on one channel (at most once: the row is the claim)."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} · {self.channel}"
