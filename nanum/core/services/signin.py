"""Sign-in throttling policy, applied by django-axes to every login form (the admin's too).

- Failures count per (account, client address) pair: after
  ``LOGIN_THROTTLE_MAX_FAILURES`` failures that pair waits ``LOGIN_THROTTLE_WINDOW_SECONDS``
  (``login_cool_off``); tries during the wait are refused without extending it. The same
  account from any other address, and every other account from the same address, are
  never held back by it, so a stranger cannot lock anyone out for longer than the wait
  and only from the stranger's own address.
- One address that fails ``LOGIN_THROTTLE_ADDRESS_MAX_FAILURES`` times in the window, on
  any names (a password spray), is refused further tries for names that have not signed
  in from that address before; people who have keep signing in from behind it.
- The client address is ``REMOTE_ADDR``; only when that is a proxy named in
  ``NANUM_TRUSTED_PROXIES`` is ``X-Forwarded-For`` read, from the right, skipping the
  trusted hops (``client_address``).
"""

from __future__ import annotations

import ipaddress
import math
from datetime import timedelta
from functools import lru_cache
from typing import Any

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest

from nanum.core import clock

# A name that signed in from an address within this many days is "known" there.
KNOWN_ADDRESS_DAYS = 90

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _parse_ip(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(ip: IPAddress) -> bool:
    return any(ip in net for net in _networks(tuple(settings.NANUM_TRUSTED_PROXIES)))


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind trusted proxies the right-most
    ``X-Forwarded-For`` entry that is not itself a trusted proxy."""
    if request is None:
        return None
    remote = _parse_ip(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    if not settings.NANUM_TRUSTED_PROXIES or not _trusted(remote):
        return str(remote)
    hops = (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    client = remote
    for hop in reversed(hops):
        ip = _parse_ip(hop)
        if ip is None:
            break  # garbage the last trusted proxy passed on: that proxy is the client
        client = ip
        if not _trusted(ip):
            break
    return str(client)


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The name failures are counted under: trimmed and case-folded, so that
    ``Teacher`` and ``teacher`` share one count."""
    raw: Any = None
    if credentials:
        raw = credentials.get("username")
    if raw is None:
        raw = request.POST.get("username")
    return str(raw or "").strip().lower()[:150]


def login_cool_off(request: HttpRequest | None = None) -> timedelta:
    """How long a (name, address) pair waits after too many failures."""
    return timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def _address_failures(ip: str) -> int:
    since = clock.now() - login_cool_off()
    total = AccessAttempt.objects.filter(
        ip_address=ip, attempt_time__gte=since
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return int(total or 0)


def _known_here(username: str, ip: str) -> bool:
    since = clock.now() - timedelta(days=KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username__iexact=username, ip_address=ip, attempt_time__gte=since
    ).exists()


def login_failure_limit(
    request: HttpRequest, credentials: dict[str, Any] | None
) -> int:
    """Failures a (name, address) pair may have before it waits; 0 (wait now) for a name
    new to an address that has been spraying failures over many names."""
    ip = getattr(request, "axes_ip_address", None)
    if ip and _address_failures(ip) >= settings.LOGIN_THROTTLE_ADDRESS_MAX_FAILURES:
        username = login_username(request, credentials)
        if not _known_here(username, ip):
            return 0
    return int(settings.LOGIN_THROTTLE_MAX_FAILURES)


def login_wait_minutes(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Whole minutes until this request's (name, address) pair may try again."""
    cool_off = login_cool_off()
    ip = getattr(request, "axes_ip_address", None)
    username = login_username(request, credentials)
    last = AccessAttempt.objects.filter(username=username, ip_address=ip).aggregate(
        last=Max("attempt_time")
    )["last"]
    if last is None and ip:  # refused for the address's spraying, not this pair
        last = AccessAttempt.objects.filter(ip_address=ip).aggregate(
            last=Max("attempt_time")
        )["last"]
    left = (last + cool_off - clock.now()) if last else cool_off
    return max(
        1,
        min(
            math.ceil(left.total_seconds() / 60),
            math.ceil(cool_off.total_seconds() / 60),
        ),
    )


def login_failures_purge() -> int:
    """Forget failures older than the wait and sign-in records older than the
    "known address" horizon. Returns how many rows were removed."""
    now = clock.now()
    attempts, _ = AccessAttempt.objects.filter(
        attempt_time__lt=now - login_cool_off()
    ).delete()
    logs, _ = AccessLog.objects.filter(
        attempt_time__lt=now - timedelta(days=KNOWN_ADDRESS_DAYS)
    ).delete()
    return attempts + logs
