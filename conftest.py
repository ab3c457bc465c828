"""Shared pytest fixtures: the persona world, API clients, browser."""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

from nanum.core.services import token_create
from nanum.core.testing import build_world

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True, scope="session")
def _artefacts_in_a_temporary_folder(tmp_path_factory):
    """Trained learner-model files (the demo trains one) go to a throwaway folder."""
    settings.NANUM_ARTIFACT_DIR = tmp_path_factory.mktemp("artifacts")


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(client):
    """``client_for(user)`` returns the test client signed in as ``user``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_token(db):
    """``api_token(user)`` returns a raw personal access token for ``user``."""

    def _make(user):
        _token, raw = token_create(actor=None, user=user, name="test")
        return raw

    return _make


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None:
        if os.environ.get("NANUM_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here but /usr/bin/chromium is missing")
        pytest.skip("Chromium is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="ko-KR", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


_DB_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def uses_the_database(item: pytest.Item) -> bool:
    """Whether a test reaches the database (a marker or a fixture that needs it)."""
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(_DB_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """NANUM_ONLY_DATABASE_TESTS=1 (the PostgreSQL lane of ``make test``) leaves out
    the tests that never touch a database: they ran already in the SQLite lane and
    would give the same answer here."""
    if os.environ.get("NANUM_ONLY_DATABASE_TESTS") != "1":
        return
    kept = [item for item in items if uses_the_database(item)]
    left = [item for item in items if not uses_the_database(item)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
