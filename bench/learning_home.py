#!/usr/bin/env python3
"""A student's home page under load: 50,000 students, a year of activity, gunicorn.

    .venv/bin/python bench/learning_home.py           # full scale, PostgreSQL via pgtmp
    .venv/bin/python bench/learning_home.py --tiny    # 500 students, a few seconds
    .venv/bin/python bench/learning_home.py --tiny --profile 200   # where the CPU goes

Without DATABASE_URL the script re-runs itself under scripts/pgtmp.py (a throwaway
PostgreSQL cluster). It builds 50,000 member students (applications, seats, 12 weeks
of study each); the USERS students who log in also get a full year of daily study,
1,000 answers (interactions), lessons in progress, a goal, a plan and messages. Then it
starts gunicorn on 127.0.0.1 and runs USERS concurrent users (default 50), each with its
own session and, as a browser, keeping the cookies the server sets (the CSRF cookie of
the page's forms: the rendered parts are cached under it), requesting /learning/me/
with a think time between pages (default 1 s),
then again with no think time (saturation). It also counts the queries of one page.
Figures are printed last; the targets (issue 17) are p95 <= 100 ms with 50 users and
<= 10 ms of server CPU per page: the gunicorn workers' CPU time over the pages they
served under that load. With them: the in-process CPU of a repeat and of a first
visit, the CPU of /healthz, the time of ``sum(i*i for i in range(10**7))`` and the
load average, so that runs on a busy machine can be told from quiet ones.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENV = {
    "DJANGO_SETTINGS_MODULE": "nanum.settings",
    "NANUM_SECURE": "0",
    "NANUM_MANIFEST_STATIC": "0",
    "NANUM_FAST_HASHER": "1",
    "NANUM_TASKS_IMMEDIATE": "1",
    "NANUM_EMAIL_URL": "memory",
    "NANUM_LOG_LEVEL": "WARNING",
    "NANUM_CONN_MAX_AGE": "600",
}

from _learninghomekit import build  # noqa: E402  (bench/ is on sys.path)
from _profiling import print_cpu_profile  # noqa: E402


def sessions(user_ids: list[int]) -> list[str]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from nanum.core.models import User

    keys: list[str] = []
    for u in User.objects.filter(pk__in=user_ids):
        s = SessionStore()
        s[SESSION_KEY] = str(u.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = u.get_session_auth_hash()
        s.create()
        assert s.session_key is not None  # create() always sets it
        keys.append(s.session_key)
    return keys


def forget() -> None:
    """Nothing kept for any student: the per-process cache (rendered parts) and the
    stored home summaries (shared by the web processes) both emptied."""
    from django.core.cache import cache

    from nanum.learning.models import HomeSummary

    cache.clear()
    HomeSummary.objects.all().delete()


def queries_per_page(user_id: int) -> tuple[int, int]:
    """Queries of the first visit (nothing cached or stored) and of a repeat visit."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from nanum.core.models import User

    forget()
    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get("/learning/me/")
        assert r.status_code == 200, r.status_code
        counts.append(len(ctx.captured_queries))
    return counts[0], counts[1]


def cpu_per_page_inprocess(
    user_ids: list[int], rounds: int, path: str
) -> dict[str, float]:
    """Server CPU per page (ms) measured in this process: ``time.process_time`` around
    each request through the whole Django stack (middleware, session, views,
    templates; the database's own CPU is not counted). ``repeat``: a student's next
    visit (their summary stored); ``first``: nothing cached or stored (a new student,
    or the first visit after a write); ``healthz``: the reference, the cheapest page
    of the same stack in the same run."""
    from django.test import Client

    from nanum.core.models import User

    clients = []
    for user in User.objects.filter(pk__in=user_ids):
        client = Client(HTTP_ACCEPT_LANGUAGE="ko")
        client.force_login(user)
        clients.append(client)
    out: dict[str, float] = {}

    def timed(fn: Any, n: int) -> float:
        spent = 0.0
        for i in range(n):
            client = clients[i % len(clients)]
            t0 = time.process_time()
            fn(client)
            spent += time.process_time() - t0
        return spent / n * 1000

    def get(url: str) -> Any:
        def _get(client: Any) -> None:
            r = client.get(url)
            assert r.status_code == 200, r.status_code

        return _get

    for client in clients:  # warm: every summary cached, every worker import done
        get(path)(client)
    out["repeat"] = timed(get(path), rounds)

    def cold(client: Any) -> None:
        forget()
        get(path)(client)

    out["first"] = timed(cold, max(5, rounds // 5))
    out["healthz"] = timed(get("/healthz"), rounds)
    return out


def profile_pages(user_ids: list[int], rounds: int, path: str) -> None:
    """Print where the CPU of ``rounds`` pages goes: cProfile with a CPU clock over
    in-process requests (after one visit per student, as in a repeat visit; with
    --no-cache every visit computes everything), by cumulative and by own time."""
    from django.test import Client

    from nanum.core.models import User

    clients = []
    for user in User.objects.filter(pk__in=user_ids):
        client = Client(HTTP_ACCEPT_LANGUAGE="ko")
        client.force_login(user)
        client.get(path)
        clients.append(client)
    print_cpu_profile(
        lambda i: clients[i % len(clients)].get(path), rounds, cumulative=40, own=20
    )


def worker_cpu_seconds(master_pid: int) -> float:
    """User + system CPU seconds of gunicorn's workers (children of the master)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        with open(f"/proc/{master_pid}/task/{master_pid}/children") as fh:
            pids = [int(x) for x in fh.read().split()]
    except OSError:
        return float("nan")
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def reference_seconds() -> tuple[float, float]:
    """The machine's speed now: CPU and wall seconds of ``sum(i*i for i in
    range(10**7))`` in this process (about 0.5 s on an idle modern core). Figures of
    two runs compare only when this and the load average are alike."""
    t0, c0 = time.perf_counter(), time.process_time()
    sum(i * i for i in range(10**7))
    return time.process_time() - c0, time.perf_counter() - t0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_load(
    port: int,
    keys: list[str],
    seconds: float,
    think: float,
    warmup: float,
    path: str = "/learning/me/",
) -> tuple[list[float], int, float, int]:
    lat: list[float] = []
    errors = [0]
    served = [0]
    lock = threading.Lock()
    start = time.perf_counter()
    stop = start + warmup + seconds

    def user(key: str, seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        # A browser's cookie jar: the session, and whatever the server sets (the CSRF
        # cookie of the page's forms) sent back on the next visit.
        jar: dict[str, str] = {"sessionid": key}
        time.sleep(rng.random() * max(think, 0.05))
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
                headers = {"Cookie": cookie, "Accept-Language": "ko"}
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
                for raw in resp.headers.get_all("Set-Cookie") or []:
                    for name, morsel in SimpleCookie(raw).items():
                        jar[name] = morsel.value
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            t1 = time.perf_counter()
            with lock:
                served[0] += 1
            if t0 - start >= warmup:
                with lock:
                    if ok:
                        lat.append((t1 - t0) * 1000)
                    else:
                        errors[0] += 1
            if think:
                time.sleep(think * (0.5 + rng.random()))
        conn.close()

    threads = [threading.Thread(target=user, args=(k, i)) for i, k in enumerate(keys)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lat, errors[0], seconds, served[0]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--students", type=int, default=50_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--path", default="/learning/me/", help="page to load")
    parser.add_argument(
        "--cpu-rounds", type=int, default=200, help="pages timed in-process"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="serve every page without the 60 s summary cache (worst case)",
    )
    parser.add_argument(
        "--sqlite", action="store_true", help="use a temporary SQLite file"
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="PAGES",
        help="print a CPU profile of this many pages (in-process) and stop",
    )
    args = parser.parse_args()
    if args.tiny:
        args.students, args.users, args.seconds = 500, 20, 5
        args.cpu_rounds = 40
    os.environ.update({k: v for k, v in ENV.items() if k not in os.environ})
    if not os.environ.get("DATABASE_URL") and not args.sqlite:
        cmd = [
            sys.executable,
            str(ROOT / "scripts" / "pgtmp.py"),
            "--",
            sys.executable,
            *sys.argv,
        ]
        sys.exit(subprocess.call(cmd))
    if args.sqlite:
        import tempfile

        tmp = tempfile.mkdtemp(prefix="nanum-bench-")
        os.environ["NANUM_SQLITE_PATH"] = os.path.join(tmp, "bench.sqlite3")
        os.environ["NANUM_DATA_DIR"] = tmp
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    t0 = time.perf_counter()
    load_ids = build(args.students, args.users)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    build_s = time.perf_counter() - t0
    keys = sessions(load_ids)
    queries = queries_per_page(load_ids[0])
    if args.profile:
        if args.no_cache:
            from django.test import override_settings

            with override_settings(NANUM_HOME_CACHE_SECONDS=0):
                profile_pages(load_ids[:20], args.profile, args.path)
        else:
            profile_pages(load_ids[:20], args.profile, args.path)
        return
    load_before = loadavg()
    reference = reference_seconds()
    if args.no_cache:
        from django.test import override_settings

        with override_settings(NANUM_HOME_CACHE_SECONDS=0):
            cpu = cpu_per_page_inprocess(load_ids[:20], args.cpu_rounds, args.path)
    else:
        cpu = cpu_per_page_inprocess(load_ids[:20], args.cpu_rounds, args.path)
    forget()  # the load starts with nothing stored: every user's first visit computes
    connection.close()

    port = free_port()
    env = dict(os.environ)
    if args.no_cache:
        env["NANUM_HOME_CACHE_SECONDS"] = "0"
    gunicorn = [
        str(Path(sys.executable).parent / "gunicorn"),
        "nanum.wsgi:application",
        "-w",
        str(args.workers),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        # load the application (URL patterns included, see nanum/wsgi.py) once before
        # forking: every worker is ready when the first user comes, so the load
        # measures pages, not the workers' start
        "--preload",
    ]
    server = subprocess.Popen(gunicorn, cwd=str(ROOT), env=env)
    try:
        for _ in range(200):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        warm = 2.0 if args.tiny else 5.0
        cpu0 = worker_cpu_seconds(server.pid)
        t_load = time.perf_counter()
        lat, errors, secs, served = run_load(
            port, keys, args.seconds, args.think, warm, args.path
        )
        # every request of the phase (warm-up included) over the CPU of the phase
        worker_ms = (worker_cpu_seconds(server.pid) - cpu0) / max(1, served) * 1000
        load_during = loadavg()
        load_wall = time.perf_counter() - t_load
        sat_secs = max(3.0, args.seconds / 3)
        lat0, errors0, _s, _n = run_load(port, keys, sat_secs, 0.0, 1.0, args.path)
    finally:
        server.terminate()
        server.wait(timeout=20)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"database              {connection.vendor}, {args.students:,} students "
        f"(build {build_s:.0f} s, not timed)"
    )
    print(
        f"page                  {args.path} (student with a year of activity: "
        "365 study days, 1,000 answers)"
    )
    print(
        f"queries per page      {queries[0]} first visit, {queries[1]} repeat visit "
        + (
            "(summary cache off: every visit is a first visit)"
            if args.no_cache
            else "(summary stored for all workers, 60 s or until the student writes)"
        )
    )
    print(
        f"gunicorn              {args.workers} sync workers, {os.cpu_count()} CPUs on host"
    )
    print(
        f"users                 {len(keys)} concurrent, think time "
        f"{args.think:.1f} s (0.5-1.5x), {secs:.0f} s measured"
    )
    print(
        f"requests              {len(lat):,} ok, {errors} errors, "
        f"{len(lat) / secs:,.1f} req/s"
    )
    print(
        f"latency ms            median {statistics.median(lat) if lat else float('nan'):.1f}"
        f"  p95 {pct(lat, 95):.1f}  p99 {pct(lat, 99):.1f}  max {max(lat or [0]):.1f}"
    )
    print(
        f"no think time         {len(lat0) / sat_secs:,.1f} req/s, median "
        f"{statistics.median(lat0) if lat0 else float('nan'):.1f} ms, p95 {pct(lat0, 95):.1f} ms, "
        f"{errors0} errors"
    )
    print(
        f"server CPU per page   {worker_ms:.1f} ms: the gunicorn workers' CPU time "
        f"(user + system, /proc) / pages served, under the {len(keys)}-user load "
        f"({load_wall:.0f} s, {served:,} pages, first visits included)"
    )
    print(
        f"in-process CPU/page   {cpu['repeat']:.1f} ms repeat visit, "
        f"{cpu['first']:.1f} ms first visit (nothing cached or stored): "
        f"process_time over {args.cpu_rounds} pages through the Django test client"
        + (" (summary cache off)" if args.no_cache else "")
    )
    print(
        f"reference, same run   {cpu['healthz']:.1f} ms in-process CPU per /healthz "
        "(the same Django stack's cheapest page); "
        f"sum(i*i for i in range(10**7)): {reference[0]:.2f} s CPU, "
        f"{reference[1]:.2f} s wall"
    )
    print(
        f"load average          {load_before} before the load, {load_during} at its end "
        f"(other processes share the {os.cpu_count()} CPUs)"
    )
    print(f"target p95 <= 100 ms  {'OK' if pct(lat, 95) <= 100 else 'OVER'}")
    print(f"target CPU <= 10 ms   {'OK' if worker_ms <= 10 else 'OVER'} (server CPU)")
    print(f"peak memory (bench)   {peak:.0f} MiB")


if __name__ == "__main__":
    main()
