#!/usr/bin/env python3
"""Programme lottery with a reserved priority share: 100,000 applications, 2,000 sessions.

    .venv/bin/python bench/programs_lottery.py            # 100,000 applications, 2,000 pools
    .venv/bin/python bench/programs_lottery.py --tiny     # 5,000 applications, for CI
    .venv/bin/python bench/programs_lottery.py --no-db    # only the pure selection function

Part 1 times the pure selection function ``nanum.programs.selection.lottery`` (the one the
draw service calls) on synthetic data: N applications spread over P sessions (pools) with
skewed popularity, 10–40 places each, about 20% priority applicants and a 30% reserved
share. It runs the draw several times with the same seed and prints the outcome hash of
two runs (they must be equal) and of another seed (it must differ), the share of places
that went to priority applicants against their share of applications, and timings.

Part 2 (unless --no-db) runs the real service end to end on a temporary SQLite database
(or DATABASE_URL): N/10 applications to P/10 programmes created with bulk_create, then
``services.draws_due()`` draws every programme, writes outcomes, audit rows and one
notification per applicant. Figures are printed last.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TypedDict
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nanum.programs import selection  # noqa: E402  (pure module, no Django needed)


def synthetic(n: int, pools: int, seed: int = 2026) -> dict[str, np.ndarray]:
    """N applications over P pools: Zipf-like popularity, 10–40 places, ~20% priority."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, pools + 1) ** 0.6
    popularity /= popularity.sum()
    pool = rng.choice(pools, size=n, p=popularity)
    ids = rng.permutation(n * 3)[:n] + 1  # unique, not contiguous, not sorted
    priority = rng.random(n) < 0.20
    capacity = rng.integers(10, 41, size=pools)
    share = np.full(pools, 0.30)
    return {
        "ids": ids,
        "pools": pool,
        "priority": priority,
        "capacity": capacity,
        "share": share,
    }


class PureResult(TypedDict):
    """Figures of part 1 (the pure selection function)."""

    times: list[float]
    hash1: str
    hash2: str
    hash_other: str
    places: int
    prio_places: int
    reserved_seats: int
    prio_apps: int
    oversubscribed: int
    capacity: int


class DbResult(TypedDict):
    """Figures of part 2 (the draw service end to end)."""

    n: int
    pools: int
    build_s: float
    draw_s: float
    held: int
    prio_held: int
    notify_s: float
    notified: int


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def part_pure(n: int, pools: int, repeats: int) -> PureResult:
    data = synthetic(n, pools)
    times: list[float] = []
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = selection.lottery(seed=20261122, **data)
        times.append(time.perf_counter() - t0)
    assert result is not None
    again = selection.lottery(seed=20261122, **data)
    other = selection.lottery(seed=20261123, **data)
    places = int((result.outcome != selection.WAITLIST).sum())
    prio_places = int(((result.outcome != selection.WAITLIST) & data["priority"]).sum())
    reserved_seats = int((result.outcome == selection.PRIORITY_SEAT).sum())
    oversubscribed = int(
        (np.bincount(data["pools"], minlength=pools) > data["capacity"]).sum()
    )
    return {
        "times": times,
        "hash1": result.digest(),
        "hash2": again.digest(),
        "hash_other": other.digest(),
        "places": places,
        "prio_places": prio_places,
        "reserved_seats": reserved_seats,
        "prio_apps": int(data["priority"].sum()),
        "oversubscribed": oversubscribed,
        "capacity": int(data["capacity"].sum()),
    }


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nanum.settings")
    os.environ.setdefault("NANUM_TASKS_IMMEDIATE", "1")
    os.environ.setdefault("NANUM_EMAIL_URL", "memory")
    os.environ.setdefault("NANUM_LOG_LEVEL", "WARNING")
    if not os.environ.get("DATABASE_URL"):
        tmp = tempfile.mkdtemp(prefix="nanum-bench-")
        os.environ["NANUM_SQLITE_PATH"] = os.path.join(tmp, "bench.sqlite3")
        os.environ.setdefault("NANUM_DATA_DIR", tmp)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def part_db(n: int, pools: int) -> DbResult:
    from datetime import timedelta
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from nanum.core.models import Organisation, Tenant, User
    from nanum.programs import services
    from nanum.programs.models import Application, Programme, Session

    now = timezone.now()
    data = synthetic(n, pools, seed=7)
    t0 = time.perf_counter()
    with transaction.atomic():
        tenant = Tenant.objects.create(
            slug="bench",
            kind="metro",
            name_ko="벤치",
            programme_name_ko="벤치런",
            is_home=True,
        )
        centre = Organisation.objects.create(
            code="bench-centre", kind="centre", tenant=tenant, name_ko="벤치 센터"
        )
        users = User.objects.bulk_create(
            [User(username=f"b{i}", home_tenant=tenant) for i in range(n)],
            batch_size=2000,
        )
        progs = Programme.objects.bulk_create(
            [
                Programme(
                    tenant=tenant,
                    organiser=centre,
                    name_ko=f"프로그램 {i}",
                    kind="camp",
                    audience="students",
                    capacity=int(data["capacity"][i]),
                    apply_opens_at=now - timedelta(days=10),
                    apply_closes_at=now - timedelta(hours=1),
                    selection="lottery",
                    priority_share=Decimal("0.30"),
                    lottery_seed=1000 + i,
                    status="published",
                )
                for i in range(pools)
            ]
        )
        Session.objects.bulk_create(
            [
                Session(
                    programme=p,
                    starts_at=now + timedelta(days=7),
                    ends_at=now + timedelta(days=7, hours=2),
                    place="1실",
                    capacity=p.capacity,
                )
                for p in progs
            ]
        )
        Application.objects.bulk_create(
            [
                Application(
                    programme=progs[int(data["pools"][i])],
                    participant=users[i],
                    applied_by=users[i],
                    priority=bool(data["priority"][i]),
                    created_at=now - timedelta(days=2),
                )
                for i in range(n)
            ],
            batch_size=2000,
        )
    build_s = time.perf_counter() - t0
    from nanum.programs import tasks
    from nanum.programs.services import draw as draw_services

    queued: list[int] = []
    enqueue = draw_services.tasks_enqueue

    def collect(task: Any, *args: Any, **kwargs: Any) -> None:
        # The notify task is timed on its own below; other tasks are queued as usual.
        if task is tasks.draw_notify:
            queued.append(int(args[0]))
        else:
            enqueue(task, *args, **kwargs)

    with mock.patch.object(draw_services, "tasks_enqueue", collect):
        t0 = time.perf_counter()
        drawn = services.draws_due(now=now)
        draw_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    notified = sum(services.draw_notify(programme_id=pk) for pk in queued)
    notify_s = time.perf_counter() - t0
    held = Application.objects.filter(status="selected").count()
    prio_held = Application.objects.filter(status="selected", priority=True).count()
    return {
        "n": n,
        "pools": drawn,
        "build_s": build_s,
        "draw_s": draw_s,
        "held": held,
        "prio_held": prio_held,
        "notify_s": notify_s,
        "notified": notified,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="5,000 applications (CI)")
    parser.add_argument("--no-db", action="store_true", help="skip the database part")
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--pools", type=int, default=None)
    args = parser.parse_args()
    n = args.n or (5_000 if args.tiny else 100_000)
    pools = args.pools or (100 if args.tiny else 2_000)
    repeats = 3 if args.tiny else 7

    pure = part_pure(n, pools, repeats)
    db: DbResult | None = None
    if not args.no_db:
        setup_django()
        db = part_db(max(n // 10, 200), max(pools // 10, 10))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    t = pure["times"]
    print(
        f"programs_lottery: {n:,} applications across {pools:,} sessions (pools), "
        f"{pure['capacity']:,} places, {pure['oversubscribed']:,} pools oversubscribed, "
        f"reserved share 30%"
    )
    print(
        f"pure lottery x{len(t)}: median {statistics.median(t):.3f} s, "
        f"p95 {pct(t, 95):.3f} s, p99 {pct(t, 99):.3f} s, "
        f"throughput {n / statistics.median(t):,.0f} applications/s"
    )
    same = pure["hash1"] == pure["hash2"]
    print(f"outcome hash run 1: {pure['hash1']}")
    print(f"outcome hash run 2: {pure['hash2']}  (same seed, equal: {same})")
    print(
        f"outcome hash other seed: {pure['hash_other']}  "
        f"(differs: {pure['hash_other'] != pure['hash1']})"
    )
    apps_share = pure["prio_apps"] / n
    places_share = pure["prio_places"] / max(pure["places"], 1)
    print(
        f"priority applicants: {apps_share:.1%} of applications, "
        f"{places_share:.1%} of places ({pure['prio_places']:,} of {pure['places']:,}; "
        f"{pure['reserved_seats']:,} from the reserved share)"
    )
    if db:
        print(
            f"database end to end ({(os.environ.get('DATABASE_URL') and 'PostgreSQL') or 'SQLite'}): "
            f"{db['n']:,} applications, {db['pools']:,} programmes drawn by "
            f"services.draws_due() in {db['draw_s']:.2f} s "
            f"({db['n'] / db['draw_s']:,.0f} applications/s: lottery, outcome rows, audit); "
            f"then the draw_notify task sent {db['notified']:,} notifications in "
            f"{db['notify_s']:.2f} s; data built in {db['build_s']:.2f} s; "
            f"{db['prio_held']:,} of {db['held']:,} places to priority applicants"
        )
    print(f"peak memory (max RSS): {peak_mb:.0f} MiB")
    if not same:
        raise SystemExit("the same seed gave different outcomes")


if __name__ == "__main__":
    main()
