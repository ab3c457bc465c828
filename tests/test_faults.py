"""Faults: a database that is down answers 503 (never 500), connections are health-checked,
production refuses the public development keys, personal answers are never cached, a
form sent twice writes once, and a committed cancel is never answered with an error."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from nanum.core.models import IdempotencyRecord
from nanum.learning.models import Application as LearningApplication

# The apps' fixtures (pytest finds them by these names; parameters reuse them).
from nanum.learning.tests.conftest import pdf_upload, towns  # noqa: F401
from nanum.lending import services as lending_services
from nanum.lending.models import Allocation, Reservation
from nanum.lending.tests.helpers import lending  # noqa: F401
from nanum.programs.models import Application as ProgrammeApplication
from nanum.programs.tests.helpers import make_programme

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def kit(request: pytest.FixtureRequest) -> Any:
    """The lending app's small catalogue (its ``lending`` fixture)."""
    return request.getfixturevalue("lending")


@pytest.fixture
def policies(request: pytest.FixtureRequest) -> Any:
    """The learning app's town policies (its ``towns`` fixture)."""
    return request.getfixturevalue("towns")


# --- 503 while the database is unavailable --------------------------------------------


@contextmanager
def database_down() -> Iterator[None]:
    """The database cannot be reached for the duration.

    On PostgreSQL the connection really goes to a port where nothing listens (connection
    refused on the next query); on SQLite every query fails as a lost connection would.
    """
    if connection.vendor != "postgresql":

        def refuse(execute: Any, sql: str, *args: Any) -> Any:
            raise OperationalError("server closed the connection unexpectedly")

        with connection.execute_wrapper(refuse):
            yield
        return
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = "9"  # discard: nothing listens
    connection.settings_dict["OPTIONS"] = {
        **saved.get("OPTIONS", {}),
        "connect_timeout": 2,
    }
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
        connection.ensure_connection()


@pytest.mark.django_db(transaction=True)
def test_api_answers_503_problem_with_retry_after_when_the_database_is_down(
    world, api_token
):
    token = api_token(world.teacher)
    client = Client(raise_request_exception=False)
    with database_down():
        r = client.get(
            "/api/v1/lending/reservations", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
    assert r.status_code == 503
    assert r["Content-Type"] == "application/problem+json"
    assert r["Retry-After"] == "5"
    body = r.json()
    assert body["code"] == "database_unavailable" and body["status"] == 503
    # and once it is back, the same call works
    ok = client.get(
        "/api/v1/lending/reservations", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert ok.status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "text"),
    [("ko", "잠시 서비스를 이용할 수 없습니다"), ("en", "briefly unavailable")],
)
def test_pages_answer_a_localized_503_page_when_the_database_is_down(
    world, language, text
):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.teacher)
    visitor = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    with database_down():
        signed_in = client.get("/lending/my/")
        anonymous = visitor.get("/programs/")
    for r in (signed_in, anonymous):
        assert r.status_code == 503, r.content[:300]
        assert r["Retry-After"] == "5"
        html = r.content.decode()
        assert text in html and f'lang="{language}"' in html
        assert "no-store" in r["Cache-Control"]


@pytest.mark.django_db
def test_an_outage_inside_a_service_is_503_on_the_api_and_the_page(
    world, kit, api_token, client_for
):
    lost = OperationalError("server closed the connection unexpectedly")
    token = api_token(world.teacher)
    with mock.patch.object(lending_services, "reservation_cancel", side_effect=lost):
        api = Client(raise_request_exception=False).post(
            "/api/v1/lending/reservations/1/cancel",
            {"reason": ""},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        page = client_for(world.teacher).post("/lending/reservations/1/cancel/")
    assert api.status_code == 503 and api.json()["code"] == "database_unavailable"
    assert page.status_code == 503 and page["Retry-After"] == "5"


def test_every_database_checks_its_connection_before_reuse():
    assert settings.DATABASES
    for alias, db in settings.DATABASES.items():
        assert db.get("CONN_HEALTH_CHECKS") is True, alias


# --- secrets in production --------------------------------------------------------------


def _import_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("NANUM_") and k not in {"DATABASE_URL"}
    }
    clean.update(NANUM_DATA_DIR=str(tmp_path), PYTHONPATH=str(REPO), **env)
    return subprocess.run(
        [sys.executable, "-c", "import nanum.settings as s; print(s.PRODUCTION)"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )


PG = "postgres://nanum@127.0.0.1:9/nanum"
GOOD_KEYS = {
    "NANUM_SECRET_KEY": "k" * 50,
    "NANUM_FIELD_KEYS": "dGVzdC1maWVsZC1rZXktbm90LWZvci1wcm9kdWN0aW8=",
}


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DATABASE_URL": PG}, "NANUM_SECRET_KEY and NANUM_FIELD_KEYS"),
        (
            {"DATABASE_URL": PG, "NANUM_SECRET_KEY": "k" * 50},
            "NANUM_FIELD_KEYS must be set",
        ),
        (
            {
                "NANUM_PRODUCTION": "1",
                "NANUM_FIELD_KEYS": GOOD_KEYS["NANUM_FIELD_KEYS"],
            },
            "NANUM_SECRET_KEY must be set",
        ),
        (
            {"DATABASE_URL": PG, **GOOD_KEYS, "NANUM_SECRET_KEY": "short"},
            "at least 32 characters",
        ),
        (
            {"DATABASE_URL": PG, **GOOD_KEYS, "NANUM_FIELD_KEYS": "not-a-key"},
            "Fernet keys",
        ),
    ],
)
def test_production_refuses_to_start_without_explicit_keys(tmp_path, env, missing):
    result = _import_settings(tmp_path, NANUM_DEBUG="0", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"NANUM_DEBUG": "0"},  # make demo: SQLite, debug off
        {"NANUM_DEBUG": "1", "DATABASE_URL": PG},  # development on PostgreSQL
        {"NANUM_DEBUG": "0", "DATABASE_URL": PG, **GOOD_KEYS},  # production, keys set
    ],
)
def test_demo_development_and_configured_production_start(tmp_path, env):
    result = _import_settings(tmp_path, **env)
    assert result.returncode == 0, result.stderr[-2000:]


# --- no-store on personal answers ---------------------------------------------------------


@pytest.mark.django_db
def test_signed_in_pages_and_personal_api_replies_are_not_stored(
    world, client_for, api_token
):
    page = client_for(world.teacher).get("/lending/my/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]
    token = api_token(world.teacher)
    api = Client().get(
        "/api/v1/lending/reservations", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_for_visitors_keep_their_caching(world):
    r = Client().get("/programs/")
    assert r.status_code == 200
    assert "no-store" not in r.get("Cache-Control", "")


# --- a form sent twice writes once ----------------------------------------------------------


def _form_token(html: str) -> str:
    marker = 'name="form_token" value="'
    assert marker in html, "the form carries no one-time token"
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


@pytest.mark.django_db
def test_reservation_form_sent_twice_books_once(world, kit, client_for):
    c = client_for(world.teacher)
    form = c.get(
        "/lending/reserve/",
        {"equipment": kit.microscope.pk, "bank": world.district_bank.pk},
    )
    data = {
        "equipment": kit.microscope.pk,
        "bank": world.district_bank.pk,
        "school": world.small_school.pk,
        "quantity": 1,
        "start_date": kit.day(0),
        "end_date": kit.day(2),
        "fulfilment": "pickup",
        "purpose": "세포 관찰",
        "form_token": _form_token(form.content.decode()),
    }
    first = c.post("/lending/reserve/", data)
    second = c.post("/lending/reserve/", data)  # a double click, a reload, a retry
    r = Reservation.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert first["Location"].endswith(f"/lending/reservations/{r.pk}/")
    assert Allocation.objects.filter(active=True).count() == 1
    # a fresh form (a new token) books again: the token is per form, not per person
    data["form_token"] = _form_token(
        c.get("/lending/reserve/", {"equipment": kit.microscope.pk}).content.decode()
    )
    assert c.post("/lending/reserve/", data).status_code == 302
    assert Reservation.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_form_keeps_its_token_usable(world, kit, client_for):
    c = client_for(world.teacher)
    data = {
        "equipment": kit.microscope.pk,
        "bank": world.district_bank.pk,
        "school": world.small_school.pk,
        "quantity": 99,  # more than the bank has: refused on the form
        "start_date": kit.day(0),
        "end_date": kit.day(2),
        "fulfilment": "pickup",
        "purpose": "세포 관찰",
        "form_token": "t" * 32,
    }
    refused = c.post("/lending/reserve/", data)
    assert refused.status_code == 422 and not Reservation.objects.exists()
    assert not IdempotencyRecord.objects.exists()
    data["quantity"] = 1
    assert c.post("/lending/reserve/", data).status_code == 302
    assert Reservation.objects.count() == 1


@pytest.mark.django_db
def test_programme_application_form_sent_twice_applies_once(world, client_for):
    p = make_programme(world.centre_staff, world.centre)
    c = client_for(world.student)
    token = _form_token(c.get(f"/programs/{p.pk}/").content.decode())
    first = c.post(f"/programs/{p.pk}/", {"form_token": token})
    second = c.post(f"/programs/{p.pk}/", {"form_token": token})
    assert first.status_code == 302 and second.status_code == 302
    assert second["Location"] == first["Location"]
    assert ProgrammeApplication.objects.filter(programme=p).count() == 1


@pytest.mark.django_db
def test_seoul_learn_application_form_sent_twice_applies_once(
    world, policies, client_for
):
    c = client_for(world.student)
    url = reverse("learning:apply_town", args=["seoul"])
    token = _form_token(c.get(url).content.decode())
    data = {
        "full_name": "김학생",
        "birth_year": "2011",
        "phone": "010-0000-1111",
        "address": "서울 강서구 어딘가 1",
        "district": "강서구",
        "lives_in_town": "on",
        "school_name": "신월중학교",
        "school_level": "middle",
        "grade": "2",
        "category": "single_parent",
        "consent_collection": "on",
        "form_token": token,
    }
    first = c.post(url, {**data, "eligibility_documents": pdf_upload()})
    second = c.post(url, {**data, "eligibility_documents": pdf_upload()})
    assert first.status_code == 302, first.content.decode()[:500]
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert LearningApplication.objects.count() == 1


# --- a committed cancel is answered from what the service returned ---------------------------


@pytest.mark.django_db
def test_cancel_answer_reads_nothing_after_the_write(world, kit, api_token):
    token = api_token(world.teacher)
    client = Client()
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    created = client.post(
        "/api/v1/lending/reservations",
        {
            "equipment_id": kit.microscope.pk,
            "bank_id": world.district_bank.pk,
            "school_id": world.small_school.pk,
            "quantity": 1,
            "start_date": str(kit.day(0)),
            "end_date": str(kit.day(2)),
            "fulfilment": "pickup",
            "purpose": "x",
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    committed = threading.Event()
    real_cancel = lending_services.reservation_cancel

    def cancel_then_lose_the_database(**kwargs: Any) -> Any:
        result = real_cancel(**kwargs)
        committed.set()
        return result

    def database_gone(execute: Any, sql: str, *args: Any) -> Any:
        if committed.is_set():
            raise OperationalError("the connection went away after the commit")
        return execute(sql, *args)

    with (
        mock.patch.object(
            lending_services, "reservation_cancel", cancel_then_lose_the_database
        ),
        connection.execute_wrapper(database_gone),
    ):
        r = client.post(
            f"/api/v1/lending/reservations/{rid}/cancel",
            {"reason": "no longer needed"},
            content_type="application/json",
            **auth,
        )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "cancelled" and r.json()["asset_tags"] == []
    assert Reservation.objects.get(pk=rid).status == "cancelled"
