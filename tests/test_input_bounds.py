"""Input that once gave a 500: ids and offsets beyond 64 bits, multipart bodies without a
(valid) boundary, numbers the database cannot store. Each now answers 4xx."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DataError, connection
from django.test import Client
from django.urls import resolve
from django.urls.exceptions import Resolver404

from nanum.lending import selectors as lending_selectors

HUGE = "9" * 25  # far beyond 2**63 - 1
JUST_OVER = str(2**63)  # the first id PostgreSQL's bigint cannot hold


def _client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("number", [HUGE, JUST_OVER, "0"])
def test_int_in_any_url_is_bounded_to_a_bigint(number):
    with pytest.raises(Resolver404):
        resolve(f"/lending/reservations/{number}/")
    assert resolve(f"/lending/reservations/{2**63 - 1}/").kwargs["pk"] == 2**63 - 1


@pytest.mark.django_db
@pytest.mark.parametrize("number", [HUGE, JUST_OVER])
def test_page_ids_beyond_64_bits_are_404(world, number):
    c = _client()
    c.force_login(world.teacher)
    for url in (
        f"/lending/reservations/{number}/",
        f"/programs/{number}/",
        f"/mentoring/matches/{number}/",
    ):
        assert c.get(url).status_code == 404, url


@pytest.mark.django_db
@pytest.mark.parametrize("number", [HUGE, JUST_OVER])
def test_api_ids_beyond_64_bits_are_4xx(world, api_token, number):
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.teacher)}"}
    c = _client()
    for url in (
        f"/api/v1/lending/reservations/{number}",
        f"/api/v1/lending/models/{number}",
        f"/api/v1/programs/{number}/apply",
    ):
        if url.endswith("apply"):
            r = c.post(url, {}, content_type="application/json", **auth)
        else:
            r = c.get(url, **auth)
        assert r.status_code in (404, 422), (url, r.status_code, r.content[:200])
        assert r["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
@pytest.mark.parametrize("number", [HUGE, JUST_OVER])
def test_api_offsets_beyond_64_bits_are_422(world, api_token, number):
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.teacher)}"}
    for url in ("/api/v1/lending/reservations", "/api/v1/lending/models"):
        r = _client().get(url, {"offset": number}, **auth)
        assert r.status_code == 422, (url, r.status_code, r.content[:200])


@pytest.mark.django_db
def test_a_number_the_database_cannot_store_is_422_not_500(
    world, api_token, monkeypatch
):
    """Whatever path a too-large number takes to the database, the API answers 422."""
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.teacher)}"}
    error: type[Exception] = (
        DataError if connection.vendor == "postgresql" else OverflowError
    )

    def overflowing(**kwargs: Any) -> Any:
        raise error("value out of range")

    monkeypatch.setattr(lending_selectors, "reservation_list", overflowing)
    r = _client().get("/api/v1/lending/reservations", **auth)
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"


@pytest.mark.django_db
def test_page_numbers_beyond_64_bits_are_not_500(world):
    c = _client()
    c.force_login(world.teacher)
    r = c.get("/lending/", {"q": "x", "page": HUGE})
    assert r.status_code < 500


BOUNDARY_CASES = [
    "multipart/form-data",
    "multipart/form-data; boundary=",
    'multipart/form-data; boundary=""',
    "multipart/form-data; boundary=" + "x" * 300,
]


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", BOUNDARY_CASES)
def test_multipart_without_a_boundary_is_400_on_api_and_pages(
    world, api_token, content_type
):
    body = b"--xx\r\nnot really multipart"
    token = api_token(world.teacher)
    # the API: with a token, and with the browser's session (CSRF reads the body)
    with_token = _client().post(
        "/api/v1/lending/reservations",
        body,
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    browser = Client(raise_request_exception=False, enforce_csrf_checks=True)
    browser.force_login(world.teacher)
    browser.cookies["csrftoken"] = "c" * 32  # so the CSRF check reads the body
    with_session = browser.post(
        "/api/v1/lending/reservations", body, content_type=content_type
    )
    page = browser.post(
        "/lending/reserve/?equipment=1", body, content_type=content_type
    )
    for r in (with_token, with_session):
        assert r.status_code == 400, (r.status_code, r.content[:200])
        assert r.json()["code"] == "bad_request"
    assert page.status_code == 400
