"""One sign-in throttle for every login form: per (account, client address) pair, with
progressive waits (1, 2, 4, 8, then 15 minutes), and nobody can use it to lock others
out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import axes.attempts
import axes.handlers.proxy
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from nanum.core.services import client_address, login_failures_purge
from nanum.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

A = "198.51.100.10"  # the stranger's address
B = "203.0.113.20"  # the account holder's address


def _login(
    client: Client, username: str, password: str, ip: str, forwarded: str = ""
) -> Any:
    return client.post(
        reverse("core:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_stranger_failing_50_times_does_not_stop_the_owner_elsewhere(world):
    stranger = Client()
    for _ in range(50):
        _login(stranger, "teacher", "guess-guess", A)
    # The stranger's own pair is held back, even with the right password...
    refused = _login(stranger, "teacher", PASSWORD, A)
    assert refused.status_code == 429
    assert not _signed_in(stranger)
    # ... and only 5 of the 50 tries were ever checked against the password.
    assert AccessAttempt.objects.get(ip_address=A).failures_since_start == 5
    # The owner, from another address, signs in at once.
    owner = Client()
    response = _login(owner, "teacher", PASSWORD, B)
    assert response.status_code == 302
    assert _signed_in(owner)


def test_twenty_failures_on_one_account_do_not_stop_others_from_that_address(world):
    school_nat = Client()
    for _ in range(20):
        _login(school_nat, "teacher", "guess-guess", A)
    colleague = Client()
    response = _login(colleague, "student", PASSWORD, A)
    assert response.status_code == 302
    assert _signed_in(colleague)


def test_the_wait_is_short_and_tries_during_it_do_not_extend_it(world, settings):
    settings.LOGIN_THROTTLE_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        _login(client, "teacher", "guess-guess", A)
    attempt = AccessAttempt.objects.get(ip_address=A)
    first_lock = attempt.attempt_time
    for _ in range(5):  # hammering during the wait
        assert _login(client, "teacher", "guess-guess", A).status_code == 429
    attempt.refresh_from_db()
    assert attempt.attempt_time == first_lock
    assert attempt.failures_since_start == 3
    # Once the wait after the last counted failure is over, the pair may sign in again.
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=first_lock - timedelta(minutes=16)
    )
    assert _login(client, "teacher", PASSWORD, A).status_code == 302


def test_names_differing_only_in_case_share_one_count(world, settings):
    settings.LOGIN_THROTTLE_MAX_FAILURES = 3
    client = Client()
    for name in ("teacher", "Teacher", "TEACHER"):
        _login(client, name, "guess-guess", A)
    assert _login(client, "teacher", PASSWORD, A).status_code == 429


def test_refusal_is_in_english_for_an_english_reader(world, settings):
    settings.LOGIN_THROTTLE_MAX_FAILURES = 2
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(2):
        _login(client, "teacher", "guess-guess", A)
    body = _login(client, "teacher", PASSWORD, A).content.decode()
    # The first wait is one minute (it was a fixed 15 before the waits grew).
    assert "Try again in 1 minute," in body


def test_a_spraying_address_is_held_back_only_for_names_new_to_it(world, settings):
    settings.LOGIN_THROTTLE_ADDRESS_MAX_FAILURES = 10
    # The teacher signed in from the school's address before.
    regular = Client()
    assert _login(regular, "teacher", PASSWORD, A).status_code == 302
    sprayer = Client()
    for i in range(10):
        _login(sprayer, f"name{i}", "guess-guess", A)
    # A name new to this address (even a real account) waits...
    newcomer = Client()
    response = _login(newcomer, "student", PASSWORD, A)
    assert response.status_code == 429
    assert not _signed_in(newcomer)
    # ... the same account from elsewhere does not, nor a regular of this address.
    assert _login(Client(), "student", PASSWORD, B).status_code == 302
    again = Client()
    assert _login(again, "teacher", PASSWORD, A).status_code == 302
    assert _signed_in(again)


def test_the_admin_login_is_throttled_the_same_way(world, settings):
    settings.LOGIN_THROTTLE_MAX_FAILURES = 3
    url = reverse("admin:login")
    attacker = Client()
    # Failures on the site's form and the admin's count together, per pair.
    _login(attacker, "admin", "guess-guess", A)
    for _ in range(2):
        attacker.post(
            url, {"username": "admin", "password": "guess-guess"}, REMOTE_ADDR=A
        )
    response = attacker.post(
        url, {"username": "admin", "password": PASSWORD}, REMOTE_ADDR=A
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in attacker.session
    # The first wait is one minute (it was a fixed 15 before the waits grew).
    assert "1분 후에 다시 시도" in response.content.decode()
    # The admin from their own address is not held back.
    owner = Client()
    response = owner.post(
        url, {"username": "admin", "password": PASSWORD}, REMOTE_ADDR=B
    )
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(world.admin.pk)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(world, settings):
    settings.NANUM_TRUSTED_PROXIES = []
    settings.LOGIN_THROTTLE_MAX_FAILURES = 3
    client = Client()
    for i in range(3):
        # A forged header per try must not give the attacker fresh addresses.
        _login(client, "teacher", "guess", A, f"192.0.2.{i}")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [A]
    refused = _login(client, "teacher", PASSWORD, A, "192.0.2.99")
    assert refused.status_code == 429


def test_behind_trusted_proxies_the_forwarded_client_is_used(world, settings):
    settings.NANUM_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.LOGIN_THROTTLE_MAX_FAILURES = 3
    proxy = "10.0.0.5"
    stranger = Client()
    for _ in range(3):
        # The left-most entry is the client's own claim; the load balancer appended A.
        _login(
            stranger,
            "teacher",
            "guess",
            proxy,
            f"192.0.2.1, {A}, 10.0.0.7",
        )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [A]
    assert _login(stranger, "teacher", PASSWORD, proxy, A).status_code == 429
    # Another user behind the same load balancer is a different client.
    owner = Client()
    response = _login(owner, "teacher", PASSWORD, proxy, B)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "10.0.0.5", "192.0.2.1", "10.0.0.5"),
        (["10.0.0.0/8"], "10.0.0.5", "192.0.2.1, 203.0.113.20", "203.0.113.20"),
        (["10.0.0.0/8"], "10.0.0.5", "203.0.113.20, 10.0.0.9", "203.0.113.20"),
        (["10.0.0.0/8"], "198.51.100.1", "192.0.2.1", "198.51.100.1"),
        (["10.0.0.0/8"], "10.0.0.5", "", "10.0.0.5"),
        (["10.0.0.0/8"], "10.0.0.5", "not-an-ip, 10.0.0.9", "10.0.0.9"),
        (
            ["10.0.0.5", "2001:db8::/32"],
            "2001:db8::1",
            "2001:db8::2, 10.0.0.5",
            "2001:db8::2",
        ),
    ],
)
def test_client_address(settings, trusted, remote, forwarded, expected):
    settings.NANUM_TRUSTED_PROXIES = trusted
    request = RequestFactory().get(
        "/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_address(request) == expected


# --- Progressive waits, with the clock moved by hand ------------------------------


class _Clock:
    """One "now" for Nanum, Django (``auto_now_add``, sessions) and axes alike."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Clock]:
    moved = _Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", moved)
    monkeypatch.setattr(axes.handlers.proxy, "now", moved)
    monkeypatch.setattr(axes.attempts, "now", moved)
    yield moved


def _fail(client: Client, ip: str = A, username: str = "teacher") -> Any:
    return _login(client, username, "guess-guess", ip)


def _counted(ip: str = A) -> int:
    return sum(
        AccessAttempt.objects.filter(username="teacher", ip_address=ip).values_list(
            "failures_since_start", flat=True
        )
    )


def test_five_failures_make_the_pair_wait_one_minute(world, clock):
    client = Client()
    for _ in range(4):
        assert _fail(client).status_code == 200
    fifth = _fail(client)
    assert fifth.status_code == 429
    assert "1분 후에 다시 시도" in fifth.content.decode()
    clock.advance(seconds=59)
    refused = _login(client, "teacher", PASSWORD, A)
    assert refused.status_code == 429
    assert not _signed_in(client)
    clock.advance(seconds=2)
    assert _login(client, "teacher", PASSWORD, A).status_code == 302
    assert _signed_in(client)


def test_each_failure_after_a_wait_doubles_it_up_to_fifteen_minutes(world, clock):
    client = Client()
    for _ in range(5):
        _fail(client)
    waits = [1, 2, 4, 8, 15, 15]
    for step, minutes in enumerate(waits):
        assert _counted() == 5 + step
        # Just before the wait ends the right password is still refused, and neither
        # that nor a wrong one counts or climbs the ladder.
        clock.advance(minutes=minutes, seconds=-1)
        assert _login(client, "teacher", PASSWORD, A).status_code == 429
        assert _fail(client).status_code == 429
        assert _counted() == 5 + step
        clock.advance(seconds=1)
        # The wait is over: one more try, and its failure earns the next wait.
        failed = _fail(client)
        assert failed.status_code == 429
        following = waits[min(step + 1, len(waits) - 1)]
        assert f"{following}분 후에 다시 시도" in failed.content.decode()
    assert _counted() == 5 + len(waits)
    clock.advance(minutes=15)
    assert _login(client, "teacher", PASSWORD, A).status_code == 302


def test_a_success_starts_the_ladder_over(world, clock):
    client = Client()
    for _ in range(5):
        _fail(client)
    for minutes in (1, 2):
        clock.advance(minutes=minutes, seconds=1)
        _fail(client)
    assert _counted() == 7  # now waiting 4 minutes
    clock.advance(minutes=4, seconds=1)
    assert _login(client, "teacher", PASSWORD, A).status_code == 302
    assert _counted() == 0
    again = Client()
    for _ in range(4):
        assert _fail(again).status_code == 200
    fifth = _fail(again)
    assert "1분 후에 다시 시도" in fifth.content.decode()
    clock.advance(minutes=1, seconds=1)
    assert _login(again, "teacher", PASSWORD, A).status_code == 302


def test_a_quiet_day_starts_the_ladder_over(world, clock):
    client = Client()
    for _ in range(5):
        _fail(client)
    for minutes in (1, 2, 4):
        clock.advance(minutes=minutes, seconds=1)
        _fail(client)
    assert _counted() == 8  # now waiting 8 minutes
    clock.advance(hours=24, seconds=1)
    for _ in range(4):
        assert _fail(client).status_code == 200
    fifth = _fail(client)
    assert fifth.status_code == 429
    assert "1분 후에 다시 시도" in fifth.content.decode()
    assert _counted() == 5


def test_a_waiting_pair_never_delays_the_account_from_another_address(world, clock):
    stranger = Client()
    for _ in range(5):
        _fail(stranger)
    for minutes in (1, 2, 4, 8, 15, 15):
        clock.advance(minutes=minutes, seconds=1)
        _fail(stranger)
    assert _login(stranger, "teacher", PASSWORD, A).status_code == 429  # at the cap
    owner = Client()
    # The owner mistypes a few times from home, then gets it right, at once.
    for _ in range(4):
        assert _fail(owner, B).status_code == 200
    assert _login(owner, "teacher", PASSWORD, B).status_code == 302
    assert _signed_in(owner)
    # ... and the owner's success does not free the stranger's pair.
    assert _login(Client(), "teacher", PASSWORD, A).status_code == 429


def test_the_refusal_counts_down_the_minutes_left(world, clock, settings):
    client = Client()
    for _ in range(5):
        _fail(client)
    for minutes in (1, 2, 4, 8):
        clock.advance(minutes=minutes, seconds=1)
        _fail(client)
    # Waiting 15 minutes from now.
    clock.advance(minutes=10)
    body = _login(client, "teacher", PASSWORD, A).content.decode()
    assert "5분 후에 다시 시도" in body
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    clock.advance(minutes=4, seconds=30)
    body = _login(english, "teacher", PASSWORD, A).content.decode()
    assert "Try again in 1 minute," in body
    clock.advance(minutes=-4)
    body = _login(english, "teacher", PASSWORD, A).content.decode()
    assert "Try again in 5 minutes," in body
    # The admin's form says the same.
    response = english.post(
        reverse("admin:login"),
        {"username": "teacher", "password": PASSWORD},
        REMOTE_ADDR=A,
    )
    assert response.status_code == 429
    assert "Try again in 5 minutes," in response.content.decode()


def test_a_spraying_address_waits_until_its_failures_leave_the_window(
    world, clock, settings
):
    settings.LOGIN_THROTTLE_ADDRESS_MAX_FAILURES = 10
    sprayer = Client()
    for i in range(5):
        _fail(sprayer, A, f"name{i}")
    clock.advance(minutes=5)
    for i in range(5, 10):
        _fail(sprayer, A, f"name{i}")
    assert AccessFailureLog.objects.filter(ip_address=A).count() == 10
    # The window is 15 minutes: the 10th most recent failure leaves it 15 minutes
    # after it was made, 10 minutes from now.
    newcomer = Client()
    refused = _login(newcomer, "student", PASSWORD, A)
    assert refused.status_code == 429
    assert "10분 후에 다시 시도" in refused.content.decode()
    clock.advance(minutes=10, seconds=1)
    assert _login(newcomer, "student", PASSWORD, A).status_code == 302


def test_the_purge_forgets_what_the_quiet_period_has_passed(world, clock):
    client = Client()
    _fail(client)
    assert _login(Client(), "student", PASSWORD, A).status_code == 302
    clock.advance(hours=23)
    _fail(client, B)
    login_failures_purge()
    assert AccessAttempt.objects.count() == 2
    assert AccessFailureLog.objects.count() == 2
    clock.advance(hours=1, seconds=1)
    login_failures_purge()
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [B]
    assert list(AccessFailureLog.objects.values_list("ip_address", flat=True)) == [B]
    # Who signed in from where is kept longer, to recognise regulars.
    assert AccessLog.objects.filter(username="student", ip_address=A).exists()
