"""One sign-in throttle for every login form: per (account, client address) pair, short,
and nobody can use it to lock others out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from nanum.core.services import client_address
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
    # 15 minutes after the last counted failure, the pair may sign in again.
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
    assert "Try again in 15 minutes" in body


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
    assert "15분 후에 다시 시도" in response.content.decode()
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
