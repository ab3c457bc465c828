"""Shared set-up for the lending benchmarks in ``bench/`` (not part of the app).

Starts a throwaway PostgreSQL (``scripts/pgtmp.py``) when none is configured, migrates,
builds a minimal world, starts gunicorn on 127.0.0.1 and drives it with HTTP clients.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PY = (
    str(REPO / ".venv" / "bin" / "python")
    if (REPO / ".venv").exists()
    else sys.executable
)
BENCH_ENV = {
    "NANUM_FAST_HASHER": "1",
    "NANUM_SECURE": "0",
    "NANUM_EMAIL_URL": "memory",
    "NANUM_MANIFEST_STATIC": "0",
    "NANUM_LOG_LEVEL": "WARNING",
    "NANUM_DEBUG": "0",
    "DJANGO_SETTINGS_MODULE": "nanum.settings",
    "PYTHONWARNINGS": "ignore::UserWarning",
}


def ensure_postgres(script: str, argv: list[str]) -> None:
    """Re-run this script under scripts/pgtmp.py unless DATABASE_URL is PostgreSQL."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    if shutil.which("initdb") is None or shutil.which("pg_ctl") is None:
        print(
            f"{Path(script).name}: needs PostgreSQL (initdb/pg_ctl not found); skipped."
        )
        sys.exit(0)
    os.execv(PY, [PY, str(REPO / "scripts" / "pgtmp.py"), "--", PY, script, *argv])  # noqa: S606


def setup_django() -> None:
    os.environ.update(BENCH_ENV)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_world(n_teachers: int, *, quota: int = 30_000) -> dict[str, Any]:
    """One tenant, a district office with a bank, ``n_teachers`` teachers at own schools."""
    from decimal import Decimal

    from nanum.core.models import (
        District,
        Organisation,
        Role,
        RoleAssignment,
        Tenant,
        User,
    )
    from nanum.core.services import token_create
    from nanum.lending.models import BankPolicy

    seoul = Tenant.objects.create(
        slug="seoul",
        kind="metro",
        name_ko="서울",
        programme_name_ko="서울런",
        is_home=True,
    )
    office = Organisation.objects.create(
        code="sen", kind="office", name_ko="교육청", tenant=seoul
    )
    do = Organisation.objects.create(
        code="do-1",
        kind="district_office",
        name_ko="강서양천",
        tenant=seoul,
        parent=office,
    )
    district = District.objects.create(
        code="gangseo", name_ko="강서구", tenant=seoul, district_office=do
    )
    bank = Organisation.objects.create(
        code="bank-1",
        kind="bank",
        bank_type="math_science",
        name_ko="강서양천 교구은행",
        tenant=seoul,
        parent=do,
    )
    BankPolicy.objects.create(bank=bank, term_quota_units=quota, lead_time_days=1)
    schools = Organisation.objects.bulk_create(
        [
            Organisation(
                code=f"school-{i}",
                kind="school",
                school_level="elementary",
                name_ko=f"학교{i}",
                tenant=seoul,
                parent=do,
                district=district,
                need_index=Decimal("0.5"),
            )
            for i in range(n_teachers)
        ]
    )
    users = User.objects.bulk_create(
        [
            User(
                username=f"teacher{i}",
                email=f"t{i}@example.org",
                home_tenant=seoul,
                password="!",  # noqa: S106 - unusable password
            )
            for i in range(n_teachers)
        ]
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=u, role=Role.TEACHER, organisation=s, tenant=seoul)
            for u, s in zip(users, schools, strict=True)
        ]
    )
    tokens = [token_create(actor=None, user=u, name="bench")[1] for u in users]
    return {
        "tenant": seoul,
        "bank": bank,
        "schools": schools,
        "users": users,
        "tokens": tokens,
        "do": do,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(
    workers: int, *, threads: int = 0, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn on a free loopback port: sync workers, or gthread ones when threads > 0."""
    from django.db import connections

    connections.close_all()
    port = free_port()
    env = {**os.environ, **BENCH_ENV, **(env or {})}
    gunicorn = str(Path(PY).with_name("gunicorn"))
    worker_class = ["-k", "gthread", "--threads", str(threads)] if threads else []
    proc = subprocess.Popen(
        [
            gunicorn,
            "nanum.wsgi:application",
            "-w",
            str(workers),
            *worker_class,
            "-b",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=str(REPO),
        env=env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            status, _ = request(port, "GET", "/healthz")
            if status == 200:
                # warm every worker (imports, DB connection)
                for _ in range(workers * 4):
                    request(port, "GET", "/healthz")
                return proc, port
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def request(
    port: int,
    method: str,
    path: str,
    *,
    token: str = "",
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        hdrs = {"Accept-Language": "ko", **(headers or {})}
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw[:200]
        return resp.status, payload
    finally:
        conn.close()


def overlaps_in_db() -> int:
    """Pairs of active allocations of one asset whose blocked periods overlap."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT count(*) FROM lending_allocation a JOIN lending_allocation b
              ON a.asset_id = b.asset_id AND a.id < b.id AND a.active AND b.active
             AND a.blocked_from <= b.blocked_until AND b.blocked_from <= a.blocked_until
            """
        )
        return int(cur.fetchone()[0])


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def summary_ms(values: list[float]) -> str:
    if not values:
        return "n/a"
    ms = [v * 1000 for v in values]
    return (
        f"p50 {statistics.median(ms):.1f} ms, p95 {pct(ms, 95):.1f} ms, "
        f"p99 {pct(ms, 99):.1f} ms, max {max(ms):.1f} ms"
    )


def next_monday(weeks_ahead: int = 2) -> Any:
    from datetime import timedelta

    from django.utils import timezone

    d = timezone.localdate() + timedelta(days=7 * weeks_ahead)
    return d - timedelta(days=d.weekday())


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
