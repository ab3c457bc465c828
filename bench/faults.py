"""Faults under load: PostgreSQL restarts (fast, then immediate) and a task worker killed
with SIGKILL, while clients book and cancel through gunicorn.

    .venv/bin/python bench/faults.py [--tiny] [--clients N] [--seconds S]

Starts its own throwaway PostgreSQL cluster (initdb + pg_ctl, so it can restart it),
gunicorn (gthread workers) and ``nanum worker``. Each client books one unit with an
``Idempotency-Key`` and cancels every other booking; an answer of 503 or a failed
connection is retried (the booking with the same key) until a final answer or a deadline.

Printed last:

* acknowledged writes lost: a 201 booking that is not in the database, or an
  acknowledged cancel whose reservation is not cancelled (must be 0);
* committed writes answered with an error: a booking whose key is stored in the
  database (it committed) whose final answer was an error, or a cancel that committed
  while its client was told an error (must be 0);
* 500s during the run (must be 0; outages answer 503 with Retry-After);
* seconds to full recovery after each restart: from ``pg_ctl restart`` returning to the
  last failed answer of any client;
* tasks lost or stuck: after a fresh worker (short lease) drained the queue, tasks not
  SUCCESSFUL (must be 0);
* the load average and a same-run reference time (``sum(i*i for i in range(10**7))``).
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _lendingkit as kit

PATH = "/api/v1/lending/reservations"
RETRY_DEADLINE = 30.0  # seconds a client keeps retrying one request


def reference_seconds() -> float:
    t = time.perf_counter()
    sum(i * i for i in range(10**7))
    return time.perf_counter() - t


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _as_pg(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Cluster:
    """A throwaway PostgreSQL cluster that this script can restart."""

    def __init__(self) -> None:
        self.base = tempfile.mkdtemp(prefix="nanum-faults-")
        self.data = os.path.join(self.base, "data")
        self.log = os.path.join(self.base, "server.log")
        self.port = kit.free_port()
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        subprocess.run(
            _as_pg(
                [
                    *("initdb", "-D", self.data, "-U", "nanum", "--auth=trust"),
                    *("-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.opts = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.base} -c max_connections=200 "
            "-c fsync=off -c full_page_writes=off"
        )
        self.pg_ctl("start")
        subprocess.run(
            [
                *("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "nanum"),
                *("-d", "postgres", "-q", "-c", "CREATE DATABASE nanum"),
            ],
            check=True,
        )

    def pg_ctl(self, action: str, mode: str = "fast") -> None:
        cmd = ["pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60"]
        if action != "stop":
            cmd += ["-o", self.opts]
        subprocess.run(
            _as_pg([*cmd, "-m", mode, action]),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    @property
    def url(self) -> str:
        return f"postgres://nanum@127.0.0.1:{self.port}/nanum"

    def remove(self) -> None:
        try:
            self.pg_ctl("stop", "immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.base, ignore_errors=True)


@dataclass
class Tally:
    created: dict[int, str] = field(default_factory=dict)  # reservation id -> key
    cancelled: set[int] = field(default_factory=set)  # acknowledged cancels
    failed_creates: list[str] = field(default_factory=list)  # keys, final error
    failed_cancels: list[int] = field(default_factory=list)  # ids, final error
    answers: list[tuple[float, int]] = field(default_factory=list)  # (time, status)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, status: int) -> None:
        with self.lock:
            self.answers.append((time.monotonic(), status))


def _retrying(
    tally: Tally, port: int, path: str, token: str, body: Any, key: str
) -> tuple[int, Any]:
    """Send until a final answer: 503 and failed connections are retried."""
    deadline = time.monotonic() + RETRY_DEADLINE
    while True:
        try:
            status, payload = kit.request(
                port,
                "POST",
                path,
                token=token,
                body=body,
                headers={"Idempotency-Key": key} if key else None,
            )
        except OSError:
            status, payload = 0, None
        tally.note(status)
        if status not in (0, 502, 503) or time.monotonic() > deadline:
            return status, payload
        time.sleep(0.2)


def client_loop(
    tally: Tally,
    port: int,
    i: int,
    world: dict[str, Any],
    models: list[Any],
    stop_at: float,
    units: int,
) -> None:
    monday = kit.next_monday(2)
    k = 0
    while time.monotonic() < stop_at:
        start = monday + timedelta(days=7 * (k // units))
        key = uuid.uuid4().hex
        body = {
            "equipment_id": models[i].pk,
            "bank_id": world["bank"].pk,
            "school_id": world["schools"][i].pk,
            "quantity": 1,
            "start_date": str(start),
            "end_date": str(start + timedelta(days=2)),
            "purpose": "수업",
        }
        status, payload = _retrying(tally, port, PATH, world["tokens"][i], body, key)
        k += 1
        if status == 201:
            rid = int(payload["id"])
            with tally.lock:
                tally.created[rid] = key
            if k % 2 == 0:
                status, _ = _retrying(
                    tally,
                    port,
                    f"{PATH}/{rid}/cancel",
                    world["tokens"][i],
                    {"reason": ""},
                    "",
                )
                with tally.lock:
                    if status == 200:
                        tally.cancelled.add(rid)
                    else:
                        tally.failed_cancels.append(rid)
        elif status >= 500 or status == 0:
            with tally.lock:
                tally.failed_creates.append(key)


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    nanum = str(Path(kit.PY).with_name("nanum"))
    return subprocess.Popen(
        [nanum, "worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=str(kit.REPO),
        env={**os.environ, **kit.BENCH_ENV, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def task_counts() -> dict[str, int]:
    from django.db import connections
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    connections.close_all()  # this process's connection may predate a restart
    rows = DBTaskResult.objects.values("status").annotate(n=Count("id"))
    return {str(r["status"]): int(r["n"]) for r in rows}


def recovery_after(tally: Tally, back_at: float, until: float) -> float:
    """Seconds from the database being back to the last failed answer before ``until``."""
    failed = [
        t for t, s in tally.answers if back_at <= t < until and s not in (200, 201, 409)
    ]
    return max(failed) - back_at if failed else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tiny", action="store_true", help="a few seconds (CI)")
    parser.add_argument("--clients", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=0.0, help="per phase")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if shutil.which("initdb") is None or shutil.which("pg_ctl") is None:
        print("faults: needs PostgreSQL (initdb/pg_ctl not found); skipped.")
        return 0
    clients = args.clients or (4 if args.tiny else 16)
    phase = args.seconds or (1.0 if args.tiny else 8.0)
    units = 4
    ref_before = reference_seconds()
    cluster = Cluster()
    env = {
        "DATABASE_URL": cluster.url,
        "NANUM_SECRET_KEY": uuid.uuid4().hex * 2,
        "NANUM_FIELD_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "NANUM_TASKS_IMMEDIATE": "0",
        "NANUM_CONN_MAX_AGE": "60",
    }
    os.environ.update(env)
    gunicorn: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    try:
        kit.setup_django()
        from django.db import connections

        from nanum.core.models import IdempotencyRecord
        from nanum.lending.models import Asset, EquipmentModel, Reservation

        world = kit.build_world(clients)
        models = EquipmentModel.objects.bulk_create(
            EquipmentModel(
                tenant=world["tenant"],
                code=f"model-{i}",
                name_ko=f"교구 {i}",
                category="science",
                max_loan_days=14,
            )
            for i in range(clients)
        )
        Asset.objects.bulk_create(
            Asset(
                tenant=world["tenant"],
                equipment=m,
                tag_code=f"M{m.pk}-{u}",
                home_bank=world["bank"],
                location=world["bank"],
            )
            for m in models
            for u in range(units)
        )
        connections.close_all()
        gunicorn, port = kit.start_gunicorn(args.workers, threads=args.threads, env=env)
        worker = start_worker(env)
        tally = Tally()
        t0 = time.monotonic()
        stop_at = t0 + 5 * phase
        threads = [
            threading.Thread(
                target=client_loop,
                args=(tally, port, i, world, models, stop_at, units),
                daemon=True,
            )
            for i in range(clients)
        ]
        for t in threads:
            t.start()
        events: list[tuple[str, float, float]] = []  # (what, began, database back)
        time.sleep(phase)
        began = time.monotonic()
        cluster.pg_ctl("restart", "fast")
        events.append(("restart -m fast", began, time.monotonic()))
        time.sleep(phase)
        # the worker dies with SIGKILL in the middle of a task: it is paused (SIGSTOP)
        # until one of its tasks is seen RUNNING, then killed
        running_at_kill = 0
        for _ in range(100):
            worker.send_signal(signal.SIGSTOP)
            running_at_kill = task_counts().get("RUNNING", 0)
            if running_at_kill:
                break
            worker.send_signal(signal.SIGCONT)
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        time.sleep(phase / 2)
        began = time.monotonic()
        cluster.pg_ctl("restart", "immediate")
        events.append(("restart -m immediate", began, time.monotonic()))
        for t in threads:
            t.join(timeout=5 * phase + RETRY_DEADLINE + 30)
        load_during = load_average()
        # a fresh worker re-queues what the dead one left RUNNING (its lease expired)
        lease = 2
        time.sleep(lease + 0.5)
        worker = start_worker({**env, "NANUM_TASK_LEASE_SECONDS": str(lease)})
        deadline = time.monotonic() + (30 if args.tiny else 120)
        counts = task_counts()
        while time.monotonic() < deadline:
            counts = task_counts()
            if not counts.get("READY") and not counts.get("RUNNING"):
                break
            time.sleep(0.5)
        connections.close_all()

        # --- verify against the database ------------------------------------------
        status_of = dict(
            Reservation.objects.filter(pk__in=list(tally.created)).values_list(
                "pk", "status"
            )
        )
        lost = sum(1 for rid in tally.created if rid not in status_of)
        lost += sum(1 for rid in tally.cancelled if status_of.get(rid) != "cancelled")
        stored_keys = set(
            IdempotencyRecord.objects.filter(
                key__in=tally.failed_creates, status_code=201
            ).values_list("key", flat=True)
        )
        committed_but_error = len(stored_keys) + sum(
            1 for rid in tally.failed_cancels if status_of.get(rid) == "cancelled"
        )
        statuses = [s for _, s in tally.answers]
        n500 = sum(1 for s in statuses if s >= 500 and s not in (502, 503))
        n503 = statuses.count(503)
        n_conn = statuses.count(0)
        end = max((t for t, _ in tally.answers), default=time.monotonic())
        recoveries = []
        for n, (what, _began, back) in enumerate(events):
            until = events[n + 1][1] if n + 1 < len(events) else end + 1
            recoveries.append((what, recovery_after(tally, back, until)))
        stuck = counts.get("READY", 0) + counts.get("RUNNING", 0)
        failed_tasks = counts.get("FAILED", 0)
        done_tasks = counts.get("SUCCESSFUL", 0)
    finally:
        for proc in (worker, gunicorn):
            if proc is not None and proc.poll() is None:
                kit.stop(proc)
        cluster.remove()
    ref_after = reference_seconds()
    print(
        f"faults: {clients} clients, gunicorn {args.workers} gthread workers × "
        f"{args.threads} threads, PostgreSQL restarted fast then immediate, "
        f"worker killed (SIGKILL) with {running_at_kill} task(s) RUNNING; "
        f"{len(statuses)} answers ({n503} × 503, {n_conn} failed connections), "
        f"{len(tally.created)} bookings, {len(tally.cancelled)} cancels"
    )
    for what, seconds in recoveries:
        print(f"  {what}: full recovery {seconds:.2f} s after the database was back")
    print(f"  tasks: {done_tasks} successful, {failed_tasks} failed, {stuck} stuck")
    print(f"acknowledged writes lost: {lost}")
    print(f"committed writes answered with an error: {committed_but_error}")
    print(f"500s during the run: {n500}")
    print(
        "seconds to full recovery: "
        + ", ".join(f"{s:.2f}" for _, s in recoveries)
        + " (fast, immediate)"
    )
    print(f"tasks lost or stuck: {stuck + failed_tasks}")
    print(
        f"load average during the run: {load_during}; reference "
        f"sum(i*i for i in range(10**7)): {ref_before:.2f} s before, "
        f"{ref_after:.2f} s after"
    )
    bad = lost or committed_but_error or n500 or stuck or failed_tasks
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
