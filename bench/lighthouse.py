#!/usr/bin/env python3
"""Lighthouse (mobile) on the pages people open most: performance, accessibility and
best practices, with the system Chromium. Not run in CI (it needs Lighthouse from npm).

    .venv/bin/python bench/lighthouse.py --tiny     # checks the page list; no browser
    .venv/bin/python bench/lighthouse.py --run      # a throwaway demo server, then Lighthouse
    .venv/bin/python bench/lighthouse.py --run --url http://127.0.0.1:8000   # a running demo

With ``--run`` and no ``--url`` the script builds what ``make demo`` builds in a
temporary directory (SQLite, the demo data), collects the static files as production
does (hashed names, compressed; ``NANUM_MANIFEST_STATIC=1``), starts gunicorn on a free
port with ``NANUM_DEBUG=0`` and removes everything afterwards. Signed-in pages are
measured with the demo account's session: the script signs in through the login page
and hands Lighthouse the session cookie (``--extra-headers``).

Lighthouse comes from npm: ``npx --yes lighthouse@13`` by default (needs the npm
registry once), or give an installed one with ``--lighthouse PATH``. Chromium is
``/usr/bin/chromium`` (``--chromium``). Lighthouse's mobile preset simulates a mid-range
phone on slow 4G (4x CPU slowdown, calibrated on this machine's speed), so the
performance figure depends on the host's load: the load average, Lighthouse's own
benchmark index and a same-run CPU reference are printed with the table.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import json
import os
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CATEGORIES = ("performance", "accessibility", "best-practices")
TARGET = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0}


@dataclass(frozen=True)
class Target:
    label: str
    username: str | None  # the demo account that opens it (None: anyone)
    url_name: str
    kwargs: tuple[tuple[str, str], ...] = ()


PAGES = [
    Target("public home", None, "core:home"),
    Target("programmes", None, "programs:list"),
    Target("town page (Seoul)", None, "learning:town", (("slug", "seoul"),)),
    Target("equipment search", "teacher", "lending:search"),
    Target("student home", "student", "learning:student_home"),
    Target("officer queue", "officer.seoul", "learning:review_queue"),
]


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def reference_seconds() -> float:
    """A fixed piece of CPU work, timed in this run (compare runs on one host)."""
    t = time.perf_counter()
    sum(i * i for i in range(10**7))
    return time.perf_counter() - t


def resolve_pages() -> list[tuple[Target, str]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nanum.settings")
    os.environ.setdefault("NANUM_MANIFEST_STATIC", "0")
    import django

    django.setup()
    from django.urls import reverse

    return [(t, reverse(t.url_name, kwargs=dict(t.kwargs))) for t in PAGES]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(
    base: str, method: str, path: str, cookies: dict[str, str], body: str = ""
) -> http.client.HTTPResponse:
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = base + path
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar = http.cookies.SimpleCookie(header)
        cookies.update({k: m.value for k, m in jar.items()})
    return response


def session_cookie(base: str, username: str, password: str) -> str:
    """Sign in through the login page as a person would; the Cookie header after it."""
    cookies: dict[str, str] = {}
    _request(base, "GET", "/accounts/login/", cookies)
    form = urllib.parse.urlencode(
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": cookies.get("csrftoken", ""),
            "next": "/",
        }
    )
    response = _request(base, "POST", "/accounts/login/", cookies, form)
    if response.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"could not sign in as {username} (HTTP {response.status})")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def lighthouse(
    command: list[str], chromium: str, url: str, cookie: str | None
) -> dict[str, Any]:
    argv = [
        *command,
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        argv.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = dict(os.environ, CHROME_PATH=chromium)
    for attempt in range(1, RETRIES + 2):
        done = subprocess.run(
            argv, capture_output=True, text=True, env=env, timeout=300, check=False
        )
        if done.returncode == 0 and done.stdout.strip().startswith("{"):
            break
        # Lighthouse 13 with a recent Chromium sometimes fails to record the page
        # load's trace and asks to be run again; anything else is a real failure.
        if "NO_NAVSTART" not in done.stderr or attempt > RETRIES:
            raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
        RETRIED.append(url)
    report: dict[str, Any] = json.loads(done.stdout)
    return report


#: Runs of a page retried after Lighthouse's NO_NAVSTART (printed with the table).
RETRIES = 2
RETRIED: list[str] = []


def figures(report: dict[str, Any]) -> dict[str, Any]:
    cats = report["categories"]
    audits = report["audits"]

    def num(name: str) -> float:
        return float(audits.get(name, {}).get("numericValue") or 0.0)

    failed = [
        f"{cat}:{ref['id']}"
        for cat in ("accessibility", "best-practices")
        for ref in cats[cat]["auditRefs"]
        if ref.get("weight", 0) > 0 and audits[ref["id"]].get("score") not in (None, 1)
    ]
    return {
        **{c: float(cats[c]["score"] or 0.0) for c in CATEGORIES},
        "fcp": num("first-contentful-paint"),
        "lcp": num("largest-contentful-paint"),
        "tbt": num("total-blocking-time"),
        "cls": num("cumulative-layout-shift"),
        "bytes": num("total-byte-weight"),
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl", ""),
        "failed": failed,
        "benchmark": float(report.get("environment", {}).get("benchmarkIndex") or 0),
        "version": report.get("lighthouseVersion", "?"),
    }


def start_demo_server(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """What ``make demo`` builds, in ``workdir``, served as production serves it."""
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="nanum.settings",
        NANUM_DATA_DIR=str(workdir),
        NANUM_SQLITE_PATH=str(workdir / "demo.sqlite3"),
        NANUM_STATIC_ROOT=str(workdir / "static"),
        NANUM_DEBUG="0",
        NANUM_MANIFEST_STATIC="1",
        NANUM_SECURE="0",
        NANUM_TASKS_IMMEDIATE="1",
        NANUM_EMAIL_URL="memory",
        NANUM_LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, "-m", "nanum.cli"]
    t0 = time.perf_counter()
    for step in (["demo", "--no-serve"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run(
            [*manage, *step], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
    print(f"demo data and static files built in {time.perf_counter() - t0:.0f} s")
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [
            gunicorn,
            "nanum.wsgi:application",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if _request(base, "GET", "/healthz", {}).status == 200:
                return server, base
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the demo server did not start")


def lighthouse_command(given: str | None) -> list[str]:
    if given:
        return shlex.split(given)
    npx = shutil.which("npx")
    if npx is None:
        raise SystemExit("Lighthouse needs npx (Node.js) or --lighthouse PATH")
    return [npx, "--yes", "lighthouse@13"]


def chromium_version(chromium: str) -> str:
    try:
        out = subprocess.run(
            [chromium, "--version"], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        return "?"
    match = re.search(r"[\d.]+", out)
    return match.group(0) if match else "?"


def measure(args: argparse.Namespace, pages: list[tuple[Target, str]]) -> int:
    from nanum.core.demo_structure import DEMO_PASSWORD

    password = DEMO_PASSWORD
    command = lighthouse_command(args.lighthouse)
    server = None
    workdir = Path(tempfile.mkdtemp(prefix="nanum-lighthouse-"))
    try:
        if args.url:
            base = args.url.rstrip("/")
        else:
            server, base = start_demo_server(workdir)
        cookies = {
            user: session_cookie(base, user, password)
            for user in sorted({t.username for t, _ in pages if t.username})
        }
        load_before = load_average()
        reference = reference_seconds()
        rows = []
        for target, path in pages:
            runs = [
                figures(
                    lighthouse(
                        command,
                        args.chromium,
                        base + path,
                        cookies.get(target.username or ""),
                    )
                )
                for _ in range(args.runs)
            ]
            best = sorted(runs, key=lambda r: r["performance"])[len(runs) // 2]
            if not best["final_url"].rstrip("/").endswith(path.rstrip("/")):
                raise SystemExit(f"{path} ended at {best['final_url']} (signed out?)")
            rows.append((target, path, best))
            print(f"  measured {target.label}", file=sys.stderr)
        load_after = load_average()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)

    first = rows[0][2]
    print(
        f"Lighthouse {first['version']} (mobile preset), Chromium "
        f"{chromium_version(args.chromium)}, median of {args.runs} run(s) per page"
    )
    print(
        f"server          {args.url or 'throwaway demo (gunicorn, 2 workers, SQLite)'}"
    )
    print(
        f"{'page':<20} {'user':<14} {'perf':>5} {'a11y':>5} {'best':>5} "
        f"{'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7} {'CLS':>5} {'KB':>6}"
    )
    short = 0
    for target, _path, f in rows:
        print(
            f"{target.label:<20} {target.username or '-':<14} "
            f"{f['performance']:>5.2f} {f['accessibility']:>5.2f} "
            f"{f['best-practices']:>5.2f} {f['fcp']:>7.0f} {f['lcp']:>7.0f} "
            f"{f['tbt']:>7.0f} {f['cls']:>5.3f} {f['bytes'] / 1024:>6.1f}"
        )
        if any(f[c] < TARGET[c] for c in CATEGORIES):
            short += 1
        if f["failed"]:
            print(f"{'':<20} failed: {', '.join(f['failed'])}")
    perf = [f["performance"] for _t, _p, f in rows]
    print(
        f"performance     min {min(perf):.2f}, median {statistics.median(perf):.2f} "
        f"(target >= {TARGET['performance']:.2f}; accessibility and best practices 1.0)"
    )
    print(f"pages short     {short} of {len(rows)}")
    print(
        f"retried         {len(RETRIED)} run(s) after Lighthouse's NO_NAVSTART "
        "(a failed trace recording; the retry's figures are used)"
    )
    bench_index = statistics.median(f["benchmark"] for _t, _p, f in rows)
    print(f"benchmark index {bench_index:.0f} (Lighthouse's CPU speed estimate)")
    print(f"reference       {reference:.2f} s for 10^7 squares (same run)")
    print(f"load average    before {load_before}, after {load_after}")
    print(f"cpus            {os.cpu_count()}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="check the page list only")
    parser.add_argument("--run", action="store_true", help="run Lighthouse")
    parser.add_argument("--url", help="an already running Nanum with the demo data")
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--lighthouse", help="the Lighthouse command (default: npx)")
    args = parser.parse_args()
    pages = resolve_pages()
    for target, path in pages:
        print(f"{target.label:<20} {target.username or '(anyone)':<14} {path}")
    if not args.run:
        print(
            "Lighthouse skipped: give --run to measure (needs Lighthouse from npm and "
            f"{args.chromium}); --tiny only checks that every page above resolves."
        )
        return 0
    if not Path(args.chromium).exists():
        raise SystemExit(f"no Chromium at {args.chromium}")
    return measure(args, pages)


if __name__ == "__main__":
    sys.exit(main())
