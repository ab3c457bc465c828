#!/usr/bin/env python3
"""Spreadsheet bombs: seconds to refusal and peak memory of the shared bounded reader.

    .venv/bin/python bench/core_import_limits.py          # 300 MB bomb, 400,000 rows
    .venv/bin/python bench/core_import_limits.py --tiny   # just past the limits, for CI

Builds in a temporary folder the files of the issue: an XLSX zip bomb (one cell of
spaces, ~300 MB uncompressed from ~0.3 MB), a 400,000-row XLSX (shared strings, as
Excel writes it) and a 400,000-row CSV. --tiny builds smaller files that are still over
the limits (a bomb 16 MB over the size limit, 20% more rows than the row limit).

Each file is read by ``nanum.core.spreadsheets`` as the catalogue import reads it: as
the web does, ``read_table`` on the upload already in memory, with the web limits
(``nanum.lending.services.catalogue.WEB_LIMITS``); and as the CLI does,
``read_table_from`` on the open file (``read(max_bytes + 1)``, then ``read_table``),
with the CLI limits (``CLI_LIMITS``). Seconds run from the call to the refusal.

Every read runs in a forked child process, so that one read's memory does not hide the
next one's: timed reads (the median of several, one at --tiny) also give the growth of
the child's peak resident set (ru_maxrss); one more read under tracemalloc gives the
peak of Python allocations. A same-run reference, ``sum(i*i for i in range(10**7))``,
is timed before and after, and the load average printed, so that figures from a busy
machine can be compared. The table is printed last, under the goal from the issue: a
clear error in at most 5 s, with at most 200 MB peak. Exits 1 if a file is not refused.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 5.0
GOAL_MB = 200.0
HEADER = ["code", "name_ko", "category"]
ROW = ["x", "엑스", "science"]


def setup_django() -> None:
    """Settings and translations for the reader's messages; no database is used."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nanum.settings")
    os.environ.setdefault("NANUM_LOG_LEVEL", "WARNING")
    if not os.environ.get("DATABASE_URL"):
        tmp = tempfile.mkdtemp(prefix="nanum-bench-")
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
        os.environ["NANUM_SQLITE_PATH"] = os.path.join(tmp, "bench.sqlite3")
        os.environ.setdefault("NANUM_DATA_DIR", tmp)
    import django

    django.setup()


def reference_seconds() -> float:
    t = time.perf_counter()
    sum(i * i for i in range(10**7))
    return time.perf_counter() - t


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def in_child(fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``fn()`` in a forked child; its JSON answer (or the error it raised)."""
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 0
        try:
            os.close(read_end)
            try:
                answer = fn()
            except BaseException as exc:
                answer = {"error": f"{type(exc).__name__}: {exc}"}
            with os.fdopen(write_end, "w") as fh:
                json.dump(answer, fh)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as fh:
        text = fh.read()
    _pid, status = os.waitpid(pid, 0)
    if not text:
        return {"error": f"child exited with status {status}"}
    result: dict[str, Any] = json.loads(text)
    return result


def refuse(path: Path, how: str, limits: Any, *, traced: bool) -> dict[str, Any]:
    """Read ``path`` as ``how`` ("web" or "cli") reads it, with ``limits`` (in the
    child): the refusal, seconds and memory.

    web: the upload is already in memory (the view passes ``f.read()``), then
    ``read_table``; cli: from the open file, as ``nanum lending_import`` reads it
    (``read(max_bytes + 1)``, then ``read_table``: ``read_table_from``)."""
    from django.utils import translation

    from nanum.core import spreadsheets

    data = path.read_bytes() if how == "web" else b""
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if traced:
        tracemalloc.start()
    rows_read: int | None = None
    limit: str | None = None
    message = ""
    with translation.override("en"):
        start = time.perf_counter()
        try:
            if how == "web":
                rows = spreadsheets.read_table(data, path.name, limits=limits)
            else:
                with path.open("rb") as fh:
                    rows = spreadsheets.read_table_from(fh, path.name, limits=limits)
        except spreadsheets.SpreadsheetRejected as exc:
            seconds = time.perf_counter() - start
            limit, message = exc.limit, str(exc.message)
        else:
            seconds = time.perf_counter() - start
            rows_read = len(rows)
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    tracemalloc.stop()
    maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "limit": limit,
        "message": message,
        "rows": rows_read,
        "seconds": seconds,
        "traced_mb": peak / 2**20,
        "rss_mb": (maxrss_after - maxrss_before) / 1024,  # ru_maxrss is in KiB
    }


def build(folder: Path, *, bomb_mb: int, rows: int) -> list[tuple[Path, str]]:
    """The hostile files, written to ``folder``; each with a description."""
    import zipfile

    from nanum.core.tests import bombs

    files: list[tuple[Path, str]] = []
    bomb = folder / "bomb.xlsx"
    bomb.write_bytes(bombs.xlsx_zip_bomb(bomb_mb))
    big_xlsx = folder / "rows.xlsx"
    big_xlsx.write_bytes(bombs.xlsx_rows(HEADER, ROW, rows))
    big_csv = folder / "rows.csv"
    big_csv.write_bytes(bombs.csv_rows(HEADER, ROW, rows))
    for path, what in (
        (bomb, "zip bomb"),
        (big_xlsx, f"{rows:,} rows"),
        (big_csv, f"{rows:,} rows"),
    ):
        size = path.stat().st_size
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as zf:
                unpacked = sum(i.file_size for i in zf.infolist())
            what += f", {size / 2**20:.1f} MB -> {unpacked / 2**20:.0f} MB unpacked"
        else:
            what += f", {size / 2**20:.1f} MB"
        files.append((path, what))
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--tiny", action="store_true", help="files just past the limits (CI)"
    )
    parser.add_argument("--repeat", type=int, default=None, help="timed reads per case")
    args = parser.parse_args()

    setup_django()
    from nanum.core.spreadsheets import MB
    from nanum.lending.services.catalogue import CLI_LIMITS, WEB_LIMITS

    limit_sets = [("web", WEB_LIMITS), ("cli", CLI_LIMITS)]
    max_bytes = max(lim.max_bytes for _n, lim in limit_sets)
    max_rows = max(lim.max_rows for _n, lim in limit_sets)
    if args.tiny:
        bomb_mb, rows, repeat = max_bytes // MB + 16, max_rows + max_rows // 5, 1
    else:
        bomb_mb, rows, repeat = 300, 400_000, 3
    repeat = args.repeat or repeat

    print(f"CPUs {os.cpu_count()}, load average {load_average()}")
    ref_before = reference_seconds()
    print(f"reference sum(i*i for i in range(10**7)): {ref_before:.3f} s")
    for name, lim in limit_sets:
        print(
            f"{name} limits: {lim.max_rows:,} rows, {lim.max_bytes // MB} MB unpacked, "
            f"ratio {lim.max_ratio}, {lim.max_seconds:g} s"
        )

    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="nanum-bombs-") as tmp:
        t = time.perf_counter()
        files = build(Path(tmp), bomb_mb=bomb_mb, rows=rows)
        print(f"built {len(files)} files in {time.perf_counter() - t:.1f} s")
        for path, what in files:
            for name, lim in limit_sets:
                read = functools.partial(refuse, path, name, lim)
                timed = [
                    in_child(functools.partial(read, traced=False))
                    for _ in range(repeat)
                ]
                traced = in_child(functools.partial(read, traced=True))
                errors = [r["error"] for r in [*timed, traced] if "error" in r]
                first = timed[0]
                row = {
                    "file": f"{path.name} ({what})",
                    "limits": name,
                    "error": errors[0] if errors else None,
                    "limit": first.get("limit"),
                    "message": first.get("message", ""),
                    "rows": first.get("rows"),
                    "seconds": statistics.median(
                        r.get("seconds", float("nan")) for r in timed
                    ),
                    "rss_mb": max(r.get("rss_mb", float("nan")) for r in timed),
                    "traced_mb": traced.get("traced_mb", float("nan")),
                }
                results.append(row)
                print(
                    f"  {path.name} / {name}: "
                    + (
                        row["error"]
                        or (
                            f"refused ({row['limit']}): {row['message']}"
                            if row["limit"]
                            else f"NOT REFUSED: {row['rows']} rows read"
                        )
                    )
                )

    ref_after = reference_seconds()
    ref = (ref_before + ref_after) / 2
    print(
        f"reference after: {ref_after:.3f} s; load average after {load_average()}; "
        f"timed reads per case: {repeat} (median seconds, largest RSS growth)"
    )

    print()
    print(
        f"Goal (issue): a clear error in <= {GOAL_SECONDS:g} s "
        f"with <= {GOAL_MB:g} MB peak"
    )
    print(
        "peak MB: tracemalloc peak of the read (cli: includes the read(max_bytes + 1) "
        "buffer, mostly never touched); RSS +MB: growth of the peak resident set; "
        f"x ref: seconds / reference ({ref:.3f} s)"
    )
    head = (
        f"{'file':<52} {'limits':<6} {'limit hit':<9} {'seconds':>8} "
        f"{'peak MB':>8} {'RSS +MB':>8} {'x ref':>6}  goal"
    )
    print(head)
    print("-" * len(head))
    failed = False
    for r in results:
        refused = r["limit"] is not None and r["error"] is None
        peak = max(r["traced_mb"], r["rss_mb"])
        met = refused and r["seconds"] <= GOAL_SECONDS and peak <= GOAL_MB
        failed = failed or not refused
        print(
            f"{r['file']:<52} {r['limits']:<6} {(r['limit'] or 'NONE'):<9} "
            f"{r['seconds']:>8.3f} {r['traced_mb']:>8.1f} {r['rss_mb']:>8.1f} "
            f"{r['seconds'] / ref:>6.2f}  {'met' if met else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
