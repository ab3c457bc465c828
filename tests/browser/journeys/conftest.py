"""Journey fixtures: the demo-shaped data (seeded once, restored for each test) and
signing in through the login page.

Every journey needs ``live_server``, hence a transactional database that is emptied
after each test. Seeding the demo takes several seconds, so on the in-memory SQLite
test database the seeded database is kept as a SQLite snapshot after the first seed
and copied back before each later journey (milliseconds); on other databases each
journey seeds anew.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import Browser, Page, ViewportSize
from pytest_django.live_server_helper import LiveServer

from nanum.core.demo_structure import DEMO_PASSWORD

PHONE: ViewportSize = {"width": 360, "height": 740}

_snapshot: dict[str, sqlite3.Connection] = {}


def _raw_sqlite() -> sqlite3.Connection | None:
    if (
        connection.vendor != "sqlite"
        or not getattr(connection, "is_in_memory_db", lambda: False)()
    ):
        return None
    connection.ensure_connection()
    raw = connection.connection
    return raw if isinstance(raw, sqlite3.Connection) else None


@pytest.fixture
def demo(transactional_db: None, live_server: LiveServer) -> None:
    """The ``make demo`` data (small scale) in the test database."""
    raw = _raw_sqlite()
    if raw is None:
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        return
    if "db" not in _snapshot:
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        raw.backup(copy)
        _snapshot["db"] = copy
    else:
        _snapshot["db"].backup(raw)
        # The flush after the last test re-created content types with other ids.
        ContentType.objects.clear_cache()


@pytest.fixture
def phone_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A page on a 360×740 phone screen, touch enabled, in Korean."""
    context = browser.new_context(
        locale="ko-KR",
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def sign_in(page: Page, username: str) -> None:
    """Open the site (the one typed URL) and sign in through the Korean login page."""
    page.goto("/")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/")
