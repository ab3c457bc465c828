"""Journey fixtures: the demo-shaped data (seeded once, restored for each test) and
signing in through the login page.

Every journey needs ``live_server``, hence a transactional database that is emptied
after each test. Seeding the demo takes several seconds, so the seeded data is kept
after the first seed and put back before each later journey:

- on the in-memory SQLite test database, as a SQLite copy (``backup``, milliseconds);
- on PostgreSQL, as copies of every table in a ``journey_snapshot`` schema of the test
  database, restored with one TRUNCATE and one ``INSERT … SELECT`` per table (Django's
  foreign keys are deferred, so the order does not matter), then every identity
  sequence set past the largest id.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from playwright.sync_api import Browser, Page, ViewportSize
from pytest_django.live_server_helper import LiveServer

from nanum.core.demo_structure import DEMO_PASSWORD

PHONE: ViewportSize = {"width": 360, "height": 740}
SNAPSHOT_SCHEMA = "journey_snapshot"

_snapshot: dict[str, sqlite3.Connection] = {}
_pg_tables: list[str] = []
_pg_filled: list[str] = []
_pg_serials: list[tuple[str, str, str]] = []


def _raw_sqlite() -> sqlite3.Connection | None:
    if (
        connection.vendor != "sqlite"
        or not getattr(connection, "is_in_memory_db", lambda: False)()
    ):
        return None
    connection.ensure_connection()
    raw = connection.connection
    return raw if isinstance(raw, sqlite3.Connection) else None


def _quoted(table: str) -> str:
    return connection.ops.quote_name(table)


def _pg_snapshot_take() -> None:
    tables = sorted(
        connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        for table in tables:
            cursor.execute(
                f"CREATE TABLE {SNAPSHOT_SCHEMA}.{_quoted(table)} AS "  # noqa: S608
                f"SELECT * FROM public.{_quoted(table)}"
            )
        # the sequences of the tables that hold rows, set past their largest id
        # after each restore (an empty table's sequence may go on where it is)
        cursor.execute(
            "SELECT c.relname, a.attname, pg_get_serial_sequence("
            "quote_ident(c.relname), a.attname) FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 "
            "AND NOT a.attisdropped "
            "AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL"
        )
        serials = cursor.fetchall()
    filled = set(_pg_tables_with_rows(tables, schema=SNAPSHOT_SCHEMA))
    _pg_tables[:] = tables
    _pg_filled[:] = [t for t in tables if t in filled]
    _pg_serials[:] = [s for s in serials if s[0] in filled]


def _pg_tables_with_rows(tables: list[str], *, schema: str) -> list[str]:
    """The tables of ``schema`` that hold at least one row (one query)."""
    if not tables:
        return []
    probe = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {schema}.{_quoted(t)})"  # noqa: S608
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(probe, tables)
        return [row[0] for row in cursor.fetchall()]


def _pg_snapshot_restore() -> None:
    """Put the seeded rows back: the flush after the last journey left the tables
    empty but for what its post-migrate step re-created (content types,
    permissions), so only non-empty tables are truncated and only the snapshot's
    non-empty tables copied back."""
    dirty = _pg_tables_with_rows(_pg_tables, schema="public")
    with transaction.atomic(), connection.cursor() as cursor:
        if dirty:
            names = ", ".join(f"public.{_quoted(t)}" for t in dirty)
            cursor.execute(f"TRUNCATE {names} CASCADE")
        for table in _pg_filled:
            cursor.execute(
                f"INSERT INTO public.{_quoted(table)} "  # noqa: S608
                f"SELECT * FROM {SNAPSHOT_SCHEMA}.{_quoted(table)}"
            )
        if _pg_serials:
            setvals = ", ".join(
                f"setval(%s, (SELECT COALESCE(MAX({_quoted(column)}), 0) + 1 "  # noqa: S608
                f"FROM public.{_quoted(table)}), false)"
                for table, column, _ in _pg_serials
            )
            cursor.execute(
                f"SELECT {setvals}", [sequence for _, _, sequence in _pg_serials]
            )


@pytest.fixture
def demo(transactional_db: None, live_server: LiveServer) -> None:
    """The ``make demo`` data (small scale) in the test database."""
    raw = _raw_sqlite()
    if raw is not None:
        if "db" not in _snapshot:
            call_command("seed_demo", verbosity=0, stdout=io.StringIO())
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            raw.backup(copy)
            _snapshot["db"] = copy
        else:
            _snapshot["db"].backup(raw)
    elif connection.vendor == "postgresql":
        if not _pg_tables:
            call_command("seed_demo", verbosity=0, stdout=io.StringIO())
            _pg_snapshot_take()
        else:
            _pg_snapshot_restore()
    else:
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        return
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
