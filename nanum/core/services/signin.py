"""Sign-in throttling: repeated failures by name or address are refused for a while."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from nanum.core import clock
from nanum.core.errors import RateLimited
from nanum.core.models import LoginFailure


def _recent_failures(username: str, ip: str | None) -> int:
    since = clock.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    by_name = LoginFailure.objects.filter(
        username=username.lower(), at__gte=since
    ).count()
    by_ip = (
        LoginFailure.objects.filter(ip=ip, at__gte=since).count() // 4 if ip else 0
    )  # an address may share several accounts (a school's NAT), so it gets 4x the room
    return max(by_name, by_ip)


def login_check_allowed(*, username: str, ip: str | None) -> None:
    if _recent_failures(username, ip) >= settings.LOGIN_THROTTLE_MAX_FAILURES:
        raise RateLimited()


def login_record_failure(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip=ip)


def login_record_success(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


def login_failures_purge() -> int:
    since = clock.now() - timedelta(days=1)
    deleted, _ = LoginFailure.objects.filter(at__lt=since).delete()
    return deleted
