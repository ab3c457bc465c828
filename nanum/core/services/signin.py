"""Sign-in throttling policy, applied by django-axes to every login form (the admin's too).

- Failures count per (account, client address) pair, with progressive waits: after
  ``LOGIN_THROTTLE_MAX_FAILURES`` failures the pair waits
  ``LOGIN_THROTTLE_FIRST_WAIT_SECONDS`` (1 minute); once a wait is over the pair has one
  more try, and each further failure doubles the wait (2, 4, 8 minutes ...) up to
  ``LOGIN_THROTTLE_WINDOW_SECONDS`` (15 minutes). Tries during a wait are refused without
  being counted, so they neither extend it nor climb the ladder. A success resets the
  pair, and so does ``LOGIN_THROTTLE_QUIET_SECONDS`` (24 hours) without a failure of
  that pair (axes forgets its record: ``login_cool_off``).
- The same account from any other address, and every other account from the same
  address, are never held back by a pair's wait, so a stranger can hold an account back
  only from the stranger's own address, and for at most the longest wait.
- One address that fails ``LOGIN_THROTTLE_ADDRESS_MAX_FAILURES`` times within
  ``LOGIN_THROTTLE_WINDOW_SECONDS``, on any names (a password spray), is refused further
  tries for names that have not signed in from that address before, until enough of
  those failures are older than the window; people who have keep signing in from
  behind it. The failures are read from axes' ``AccessFailureLog``.
- The client address is ``REMOTE_ADDR``; only when that is a proxy named in
  ``NANUM_TRUSTED_PROXIES`` is ``X-Forwarded-For`` read, from the right, skipping the
  trusted hops (``client_address``).

axes keeps a pair's failures for ``login_cool_off`` (the quiet period) and holds the pair
back while its failures reach ``login_failure_limit``; that limit is where the ladder
lives: the pair's count while it waits, one more than its count once the wait is over.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest

from nanum.core import clock

# A name that signed in from an address within this many days is "known" there.
KNOWN_ADDRESS_DAYS = 90
# Doubling more often than this is past any cap (2**32 seconds is 136 years).
_MAX_DOUBLINGS = 32

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


def _longest_wait() -> timedelta:
    return timedelta(seconds=max(0, settings.LOGIN_THROTTLE_WINDOW_SECONDS))


def login_wait(failures: int) -> timedelta:
    """The wait a pair owes after its ``failures``-th counted failure: nothing below
    the limit, then the first wait, doubled for each failure past the limit, capped at
    the longest wait."""
    past = failures - settings.LOGIN_THROTTLE_MAX_FAILURES
    if past < 0:
        return timedelta(0)
    first = max(0, settings.LOGIN_THROTTLE_FIRST_WAIT_SECONDS)
    seconds = first * 2 ** min(past, _MAX_DOUBLINGS)
    return min(timedelta(seconds=seconds), _longest_wait())


def login_cool_off(request: HttpRequest | None = None) -> timedelta:
    """How long axes keeps a pair's failures (``AXES_COOLOFF_TIME``): the quiet period
    after which the ladder starts over, never shorter than the longest wait."""
    quiet = timedelta(seconds=max(0, settings.LOGIN_THROTTLE_QUIET_SECONDS))
    return max(quiet, _longest_wait())


def _pair_failures(
    request: HttpRequest, credentials: dict[str, Any] | None, now: datetime
) -> tuple[int, datetime | None]:
    """The pair's counted failures within the quiet period (axes keeps one row per
    user agent) and when the last of them was counted."""
    row = AccessAttempt.objects.filter(
        username=login_username(request, credentials),
        ip_address=getattr(request, "axes_ip_address", None),
        attempt_time__gte=now - login_cool_off(),
    ).aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    return int(row["n"] or 0), row["last"]


def _pair_wait_left(failures: int, last: datetime | None, now: datetime) -> timedelta:
    if last is None:
        return timedelta(0)
    return max(timedelta(0), last + login_wait(failures) - now)


def _address_wait_left(ip: str, now: datetime) -> timedelta:
    """How long until the address has fewer than its limit of failures (over all
    names) within the window; nothing when it has fewer now."""
    cap = settings.LOGIN_THROTTLE_ADDRESS_MAX_FAILURES
    if cap < 1:
        return timedelta(0)
    window = _longest_wait()
    # The cap-th most recent failure in the window: once it is older than the window,
    # fewer than cap remain.
    times = list(
        AccessFailureLog.objects.filter(ip_address=ip, attempt_time__gt=now - window)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)[cap - 1 : cap]
    )
    if not times:
        return timedelta(0)
    return max(timedelta(0), times[0] + window - now)


def _known_here(username: str, ip: str, now: datetime) -> bool:
    since = now - timedelta(days=KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username__iexact=username, ip_address=ip, attempt_time__gte=since
    ).exists()


def _spray_wait_left(
    request: HttpRequest, credentials: dict[str, Any] | None, now: datetime
) -> timedelta:
    """The wait for a name new to an address that is spraying failures; nothing for
    anyone else."""
    ip = getattr(request, "axes_ip_address", None)
    if not ip:
        return timedelta(0)
    left = _address_wait_left(ip, now)
    if left and _known_here(login_username(request, credentials), ip, now):
        return timedelta(0)
    return left


def login_failure_limit(
    request: HttpRequest, credentials: dict[str, Any] | None
) -> int:
    """The failure count at which axes holds this (name, address) pair back now
    (``AXES_FAILURE_LIMIT``): the configured limit until the pair reaches it; then its
    own count while it waits, and one more than its count once the wait is over (one
    more try, whose failure earns the next, doubled wait); 0 (wait now) for a name new
    to an address that has been spraying failures over many names."""
    now = clock.now()
    if _spray_wait_left(request, credentials, now):
        return 0
    limit = int(settings.LOGIN_THROTTLE_MAX_FAILURES)
    failures, last = _pair_failures(request, credentials, now)
    if failures < limit:
        return limit
    if _pair_wait_left(failures, last, now):
        return failures
    return failures + 1


def login_wait_minutes(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Whole minutes (at least 1) until this request's (name, address) pair may try
    again: what is left of the pair's wait, or of the address's, whichever is longer."""
    now = clock.now()
    failures, last = _pair_failures(request, credentials, now)
    left = max(
        _pair_wait_left(failures, last, now),
        _spray_wait_left(request, credentials, now),
    )
    return max(1, math.ceil(left.total_seconds() / 60))


def login_failures_purge() -> int:
    """Forget failures older than the quiet period and sign-in records older than the
    "known address" horizon. Returns how many rows were removed."""
    now = clock.now()
    quiet = login_cool_off()
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=now - quiet).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=now - quiet).delete()
    logs, _ = AccessLog.objects.filter(
        attempt_time__lt=now - timedelta(days=KNOWN_ADDRESS_DAYS)
    ).delete()
    return attempts + failures + logs
