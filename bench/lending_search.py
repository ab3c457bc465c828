"""Availability search on 100,000 assets and 1,000,000 reservations (PostgreSQL).

Builds 1,000 models × 100 assets over 15 banks and 10 reservations (each with its
allocation) per asset with COPY, then times random searches (keyword, category,
grade, period, quantity, school) twice: through the selector in-process, and over
HTTP (GET /api/v1/lending/availability, gunicorn, one client). Target: p95 <= 50 ms.

    .venv/bin/python bench/lending_search.py          # full scale
    .venv/bin/python bench/lending_search.py --tiny   # 2,000 assets, 20,000 reservations
    .venv/bin/python bench/lending_search.py --models 100 --per-model 100 --profile 200
        # where the CPU of a search goes (10,000 assets, 100,000 reservations): the
        # selector alone and whole requests in-process, CPU per search, then cProfile
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _lendingkit as kit
from _profiling import print_cpu_profile

WORDS = [
    "현미경",
    "드론",
    "로봇",
    "3D 프린터",
    "VR",
    "오실로스코프",
    "마이크로비트",
    "아두이노",
    "망원경",
    "도형",
]
CATEGORIES = ["science", "maths", "ai_sw", "advanced"]


def build(n_models: int, per_model: int, per_asset: int, rng: random.Random) -> dict:
    from django.db import connection
    from django.utils import timezone

    from nanum.core.models import Organisation
    from nanum.lending.models import EquipmentModel

    world = kit.build_world(50)
    tenant, do = world["tenant"], world["do"]
    banks = [
        world["bank"],
        *list(
            Organisation.objects.bulk_create(
                [
                    Organisation(
                        code=f"bank-x{i}",
                        kind="bank",
                        bank_type="math_science",
                        name_ko=f"교구은행 {i}",
                        tenant=tenant,
                        parent=do if i < 3 else None,
                    )
                    for i in range(14)
                ]
            )
        ),
    ]
    models = EquipmentModel.objects.bulk_create(
        [
            EquipmentModel(
                tenant=tenant,
                code=f"m{i}",
                name_ko=f"{WORDS[i % len(WORDS)]} 모델 {i}",
                name_en=f"Model {i}",
                category=CATEGORIES[i % 4],
                min_grade=1 + i % 6,
                max_grade=12,
                prep_days=1 + i % 2,
                inspection_days=1,
                max_loan_days=14,
            )
            for i in range(n_models)
        ]
    )
    teacher, school = world["users"][0], world["schools"][0]
    today = timezone.localdate()
    t0 = time.perf_counter()
    raw = connection.cursor().cursor  # the psycopg cursor, for COPY
    with raw.copy(
        "COPY lending_asset (id, tenant_id, equipment_id, tag_code, serial, condition, status, "
        "home_bank_id, location_id, notes) FROM STDIN"
    ) as copy:
        aid = 0
        for m in models:
            for _ in range(per_model):
                aid += 1
                bank = banks[aid % len(banks)].pk
                copy.write_row(
                    (
                        aid,
                        tenant.pk,
                        m.pk,
                        f"T{aid:07d}",
                        "",
                        "good",
                        "available",
                        bank,
                        bank,
                        "",
                    )
                )
    n_assets = aid
    with connection.cursor() as cur:
        cur.execute(
            "ALTER TABLE lending_allocation DROP CONSTRAINT lending_allocation_no_overlap"
        )
    asset_model = {}
    aid = 0
    for m in models:
        for _ in range(per_model):
            aid += 1
            asset_model[aid] = m.pk
    bank_of = {a: banks[a % len(banks)].pk for a in asset_model}
    rid = 0
    periods: list[tuple[int, int, object, object]] = []  # (rid, asset, from, until)
    with raw.copy(
        "COPY lending_reservation (id, tenant_id, equipment_id, bank_id, school_id, requested_by_id, "
        "quantity, start_date, end_date, fulfilment, purpose, status, reason, reminders_sent, "
        "created_at, updated_at) FROM STDIN"
    ) as copy:
        now = timezone.now()
        for a in range(1, n_assets + 1):
            day = today - timedelta(days=rng.randrange(0, 120))
            for _ in range(per_asset):
                day += timedelta(days=rng.randrange(3, 40))
                length = rng.randrange(1, 6)
                rid += 1
                start, end = day, day + timedelta(days=length - 1)
                copy.write_row(
                    (
                        rid,
                        tenant.pk,
                        asset_model[a],
                        bank_of[a],
                        school.pk,
                        teacher.pk,
                        1,
                        start,
                        end,
                        "pickup",
                        "bench",
                        "confirmed",
                        "",
                        0,
                        now,
                        now,
                    )
                )
                periods.append(
                    (rid, a, start - timedelta(days=2), end + timedelta(days=1))
                )
                day = end + timedelta(days=2)
    with raw.copy(
        "COPY lending_allocation (id, reservation_id, asset_id, blocked_from, blocked_until, active) FROM STDIN"
    ) as copy:
        for i, (r, a, f, u) in enumerate(periods, start=1):
            copy.write_row((i, r, a, f, u, True))
    with connection.cursor() as cur:
        for table in ("lending_asset", "lending_reservation", "lending_allocation"):
            sql = "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {}))"
            cur.execute(sql.format(table), [table])
        t1 = time.perf_counter()
        cur.execute(
            "ALTER TABLE lending_allocation ADD CONSTRAINT lending_allocation_no_overlap EXCLUDE USING gist "
            "(asset_id WITH =, daterange(blocked_from, blocked_until, '[]') WITH &&) WHERE (active)"
        )
        constraint_s = time.perf_counter() - t1
        cur.execute("ANALYZE")
    return {
        "world": world,
        "models": models,
        "assets": n_assets,
        "reservations": rid,
        "load_s": time.perf_counter() - t0,
        "constraint_s": constraint_s,
        "today": today,
    }


def random_query(rng: random.Random, data: dict) -> dict:
    start = data["today"] + timedelta(days=rng.randrange(1, 300))
    q = {
        "start": start,
        "end": start + timedelta(days=rng.randrange(0, 5)),
        "quantity": rng.randrange(1, 6),
        "school_id": data["world"]["schools"][0].pk,
    }
    if rng.random() < 0.5:
        q["category"] = rng.choice(CATEGORIES)
    if rng.random() < 0.3:
        q["q"] = rng.choice(WORDS)
    if rng.random() < 0.3:
        q["grade"] = rng.randrange(1, 13)
    return q


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bare_sql_times(teacher: Any, queries: list[dict]) -> list[float]:
    """Time the bare availability SQL alone: the reference to compare hosts by.

    For each search, the free units per (model, bank) of the first page's models,
    one GROUP BY query (the model ids are read beforehand, outside the timing).
    """
    from django.db import connection

    from nanum.lending import selectors
    from nanum.lending.models import Asset

    sql = (
        "SELECT a.equipment_id, a.home_bank_id, count(*) FROM lending_asset a "
        "WHERE a.equipment_id = ANY(%s) AND a.status = ANY(%s) AND NOT EXISTS ("
        "SELECT 1 FROM lending_allocation l WHERE l.asset_id = a.id AND l.active "
        "AND l.blocked_from <= %s AND l.blocked_until >= %s) "
        "GROUP BY a.equipment_id, a.home_bank_id"
    )
    times = []
    with connection.cursor() as cur:
        for q in queries:
            ids = list(
                selectors.model_list(
                    actor=teacher,
                    q=q.get("q", ""),
                    category=q.get("category", ""),
                    grade=q.get("grade"),
                ).values_list("pk", flat=True)[: selectors.PAGE_SIZE]
            )
            args = [
                ids,
                list(Asset.BOOKABLE),
                q["end"] + timedelta(days=1),
                q["start"] - timedelta(days=2),
            ]
            t = time.perf_counter()
            cur.execute(sql, args)
            cur.fetchall()
            times.append(time.perf_counter() - t)
    return times


def cpu_split(teacher: Any, token: str, queries: list[dict]) -> tuple[float, float]:
    """CPU seconds per search, the least of three rounds (process clock, this process
    only; PostgreSQL's own CPU is not in it): the selector alone, and the whole
    request in-process (the same URL and token as over HTTP, through Django's test
    client: middleware, token check, django-ninja, the answer's JSON)."""
    from urllib.parse import urlencode

    from django.test import Client

    from nanum.lending import selectors

    client = Client()
    auth = {"Authorization": f"Bearer {token}"}
    paths = [
        "/api/v1/lending/availability?" + urlencode({k: str(v) for k, v in q.items()})
        for q in queries
    ]
    for path in paths[:10]:  # warm: first-request imports, plans, caches
        assert client.get(path, headers=auth).status_code == 200, path
    selector = whole = float("inf")
    for _round in range(3):  # alternating; the least of three (a loaded host's noise)
        t = time.process_time()
        for q in queries:
            selectors.availability_search(actor=teacher, **q)
        selector = min(selector, (time.process_time() - t) / len(queries))
        t = time.process_time()
        for path in paths:
            client.get(path, headers=auth)
        whole = min(whole, (time.process_time() - t) / len(queries))
    return selector, whole


def profile_searches(token: str, queries: list[dict], rounds: int) -> None:
    """cProfile (CPU clock) of ``rounds`` in-process searches, by cumulative and own time."""
    from urllib.parse import urlencode

    from django.test import Client

    client = Client()
    auth = {"Authorization": f"Bearer {token}"}
    paths = [
        "/api/v1/lending/availability?" + urlencode({k: str(v) for k, v in q.items()})
        for q in queries
    ]
    print_cpu_profile(
        lambda i: client.get(paths[i % len(paths)], headers=auth),
        rounds,
        cumulative=45,
        own=30,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--queries", type=int, default=None)
    parser.add_argument("--models", type=int, default=None, help="models (1,000)")
    parser.add_argument(
        "--per-model", type=int, default=None, help="assets per model (100)"
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="SEARCHES",
        help="print the CPU per search (selector alone, whole request in-process) "
        "and a CPU profile of this many in-process searches, then stop (no HTTP)",
    )
    args = parser.parse_args()
    kit.ensure_postgres(__file__, sys.argv[1:])
    n_models, per_model, per_asset = (100, 20, 10) if args.tiny else (1000, 100, 10)
    n_models = args.models or n_models
    per_model = args.per_model or per_model
    n_queries = args.queries or (30 if args.tiny else 300)
    rng = random.Random(2026)

    kit.setup_django()
    from urllib.parse import urlencode

    from nanum.lending import selectors

    load_before = loadavg()
    data = build(n_models, per_model, per_asset, rng)
    teacher = data["world"]["users"][0]
    queries = [random_query(rng, data) for _ in range(n_queries)]
    if args.profile:
        token = data["world"]["tokens"][0]
        selector, whole = cpu_split(teacher, token, queries)
        profile_searches(token, queries, args.profile)
        print(
            f"lending_search --profile: {data['assets']:,} assets, "
            f"{data['reservations']:,} reservations, {n_queries} searches"
        )
        print(
            f"CPU per search (this process): whole request in-process "
            f"{whole * 1000:.1f} ms = selector {selector * 1000:.1f} ms + the rest "
            f"{(whole - selector) * 1000:.1f} ms"
        )
        print(f"load average (1, 5, 15 min): before {load_before}, after {loadavg()}")
        return 0
    bare = bare_sql_times(teacher, queries)
    for q in queries[:5]:  # warm caches
        selectors.availability_search(actor=teacher, **q)
    inproc: list[float] = []
    hits = splits = 0
    for q in queries:
        t = time.perf_counter()
        results, _more = selectors.availability_search(actor=teacher, **q)
        inproc.append(time.perf_counter() - t)
        hits += len(results)
        splits += sum(1 for r in results if r.split)
    proc, port = kit.start_gunicorn(2)
    http: list[float] = []
    statuses: dict[int, int] = {}
    split_answers = 0
    try:
        for q in queries[
            :10
        ]:  # warm both workers (first-request imports), as in-process
            kit.request(
                port,
                "GET",
                "/api/v1/lending/availability?" + urlencode(q),
                token=data["world"]["tokens"][0],
            )
        for q in queries:
            path = "/api/v1/lending/availability?" + urlencode(
                {k: str(v) for k, v in q.items()}
            )
            t = time.perf_counter()
            status, body = kit.request(
                port, "GET", path, token=data["world"]["tokens"][0]
            )
            http.append(time.perf_counter() - t)
            if isinstance(body, dict):
                split_answers += any(i.get("split") for i in body.get("items", []))
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        kit.stop(proc)
    print()
    print(
        f"lending_search: {data['assets']:,} assets, {data['reservations']:,} reservations and allocations "
        f"(COPY load {data['load_s']:.1f} s, exclusion constraint built and validated in "
        f"{data['constraint_s']:.1f} s), {n_queries} random searches, {hits} model results"
    )
    print(
        f"HTTP statuses: {statuses}; peak RSS of this process {kit.peak_rss_mb():.0f} MB"
    )
    print(
        f"split proposals (class request across banks) in the results: {splits}; "
        f"HTTP answers carrying one: {split_answers}"
    )
    print(
        f"reference, same run: bare availability SQL (free units per model and bank "
        f"for the page's models, one query): {kit.summary_ms(bare)}"
    )
    print(
        f"in-process selector (with alternatives and splits): {kit.summary_ms(inproc)}"
    )
    print(f"over HTTP (gunicorn, 1 client, with splits): {kit.summary_ms(http)}")
    p95, p99 = kit.pct(http, 95) * 1000, kit.pct(http, 99) * 1000
    verdict = "met" if p95 <= 50 and p99 <= 100 else "NOT met"
    print(f"goal HTTP p95 <= 50 ms and p99 <= 100 ms: {verdict}")
    print(f"load average (1, 5, 15 min): before {load_before}, after {loadavg()}")
    return 0 if statuses.get(200, 0) == n_queries else 1


if __name__ == "__main__":
    sys.exit(main())
