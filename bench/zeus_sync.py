"""ZEUS sync at the national scale: 90,000 items from empty, then again with 1% changed.

A fake ZEUS Open API (bench/_zeusfeed.py, the bench's own) runs in a forked child process
and serves the feed as JSON pages over local HTTP; the benchmark process runs the real
``zeus_sync_run`` (HTTP client, paging, parsing, upsert by NFEC number) and prints, for
each run, items/s, the peak resident memory of the syncing process, and the rows
written. The second run changes 1% of the items: its rows written must equal the
changes (counted independently: item rows whose ``updated_at`` moved). A third run of
the same feed must write nothing. Printed last, with a same-run reference
(``sum(i*i for i in range(10**7))``) and the load average before and after.

    .venv/bin/python bench/zeus_sync.py           # 90,000 items, SQLite in a temp dir
    .venv/bin/python bench/zeus_sync.py --tiny    # 3,000 items (CI)
    DATABASE_URL=postgres://... .venv/bin/python bench/zeus_sync.py   # PostgreSQL
"""

from __future__ import annotations

import argparse
import atexit
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _zeusfeed import KEY, feed, serve  # noqa: E402  (bench/ on the path first)

CHANGED_SHARE = 0.01


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nanum.settings")
    os.environ.setdefault("NANUM_LOG_LEVEL", "WARNING")
    os.environ.setdefault("NANUM_MANIFEST_STATIC", "0")
    os.environ.setdefault("NANUM_EMAIL_URL", "memory")
    if not os.environ.get("DATABASE_URL"):
        tmp = tempfile.mkdtemp(prefix="nanum-bench-")
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
        os.environ["NANUM_SQLITE_PATH"] = os.path.join(tmp, "bench.sqlite3")
        os.environ.setdefault("NANUM_DATA_DIR", tmp)
    import django

    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    # Tables straight from the models (much faster than replaying every migration;
    # the sync needs no PostgreSQL-only constraint).
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)


def reference_seconds() -> float:
    t = time.perf_counter()
    sum(i * i for i in range(10**7))
    return time.perf_counter() - t


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _serve(n: int, changed: bool, port_out: Any) -> None:
    """The fake ZEUS, in the child: the feed is built here, not in the syncing process."""
    records = changed_feed(n) if changed else feed(n)
    with serve(records) as url:
        port_out.put(url)
        while True:
            time.sleep(3600)


STEP = round(1 / CHANGED_SHARE)


def changed_feed(n: int) -> list[dict[str, str]]:
    """The feed with 1% of its items changed (every 100th: a new install location)."""
    records = feed(n)
    for i in range(0, n, STEP):
        records[i]["installPlace"] += " (이전 설치)"
    return records


def world() -> int:
    from nanum.core.models import Organisation, Tenant

    seoul = Tenant.objects.create(
        slug="seoul", kind="metro", name_ko="서울", name_en="Seoul"
    )
    bank = Organisation.objects.create(
        code="bank-central",
        kind="bank",
        bank_type="central",
        name_ko="중앙 교구은행",
        name_en="Central bank",
        tenant=seoul,
    )
    return bank.pk


def sync_once(bank_id: int, n: int, changed: bool, page_size: int) -> dict[str, Any]:
    from django.db import connection

    from nanum.lending.models import ResearchItem
    from nanum.lending.services import ZeusClient, zeus_sync_run

    connection.close()  # no connection crosses the fork
    ctx = multiprocessing.get_context("fork")
    port: Any = ctx.Queue()
    server = ctx.Process(target=_serve, args=(n, changed, port), daemon=True)
    server.start()
    try:
        url = port.get(timeout=60)
        client = ZeusClient(base_url=url, api_key=KEY, page_size=page_size)
        writes = {"statements": 0}

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
                writes["statements"] += 1
            return execute(sql, params, many, context)

        before = time.time()
        t0 = time.perf_counter()
        with connection.execute_wrapper(count):
            sync = zeus_sync_run(bank_id=bank_id, client=client)
        seconds = time.perf_counter() - t0
    finally:
        server.kill()
        server.join()
    since = datetime.fromtimestamp(before, tz=UTC)
    rows = ResearchItem.objects.filter(updated_at__gte=since).count()
    return {
        "status": sync.status,
        "seen": sync.seen,
        "added": sync.added,
        "changed": sync.changed,
        "withdrawn": sync.withdrawn,
        "seconds": seconds,
        "items_per_s": sync.seen / seconds if seconds else 0.0,
        "rows_written": rows,
        "statements": writes["statements"],
        "peak_rss_mb": rss_mb(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="3,000 items (CI)")
    parser.add_argument("--items", type=int, default=None)
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args()
    n = args.items or (3_000 if args.tiny else 90_000)
    setup_django()
    from django.db import connection

    load_before = load_average()
    ref_before = reference_seconds()
    print(f"ZEUS sync: {n:,} items, pages of {args.page_size}, {connection.vendor}")
    print(f"reference sum(i*i for i in range(10**7)): {ref_before:.3f} s")
    bank_id = world()
    rss_start = rss_mb()
    first = sync_once(bank_id, n, False, args.page_size)
    expected = len(range(0, n, STEP))
    second = sync_once(bank_id, n, True, args.page_size)
    third = sync_once(bank_id, n, True, args.page_size)
    ref_after = reference_seconds()
    ok = (
        first["added"] == n
        and second["changed"] == expected
        and second["rows_written"] == expected
        and third["rows_written"] == 0
        and third["changed"] == 0
    )
    print()
    print(
        f"{'run':<28}{'items/s':>10}{'seconds':>9}{'added':>8}{'changed':>9}"
        f"{'rows written':>14}{'SQL writes':>12}{'peak RSS MB':>13}"
    )
    for name, r in (
        ("1 from empty", first),
        (f"2 with {expected:,} changed (1%)", second),
        ("3 same feed again", third),
    ):
        print(
            f"{name:<28}{r['items_per_s']:>10,.0f}{r['seconds']:>9.2f}{r['added']:>8,}"
            f"{r['changed']:>9,}{r['rows_written']:>14,}{r['statements']:>12,}"
            f"{r['peak_rss_mb']:>13.0f}"
        )
    print(
        f"peak RSS before the first sync: {rss_start:.0f} MB (the fake ZEUS runs in a "
        "forked child and is not counted)"
    )
    print(
        f"second run: rows written {second['rows_written']:,} = changes {expected:,}: "
        f"{'yes' if second['rows_written'] == expected else 'NO'}; third run writes "
        f"{third['rows_written']} item rows"
    )
    print(
        f"reference before {ref_before:.3f} s, after {ref_after:.3f} s; load average "
        f"before {load_before}, after {load_average()} ({os.cpu_count()} CPUs)"
    )
    print("OK" if ok else "FAILED: the writes do not match the changes")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
