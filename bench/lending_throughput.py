"""Booking throughput: 64 HTTP clients reserve across many models without contention.

gunicorn (4 sync workers) on PostgreSQL, 64 concurrent clients on 127.0.0.1; client i
books units of its own model week after week, so no two clients wait for the same
rows. Prints latency p50/p95/p99 of successful bookings and bookings per second
(targets: p50 <= 10 ms, p99 <= 50 ms, >= 250 bookings/s on 2 cores).

    .venv/bin/python bench/lending_throughput.py           # 64 clients × 40 bookings
    .venv/bin/python bench/lending_throughput.py --tiny    # 64 clients × 4 bookings
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nanum.lending import benchkit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--per-client", type=int, default=None)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--units", type=int, default=10, help="assets per model")
    args = parser.parse_args()
    benchkit.ensure_postgres(__file__, sys.argv[1:])
    per_client = args.per_client or (4 if args.tiny else 40)
    clients = args.clients

    benchkit.setup_django()
    from nanum.lending.models import Asset, EquipmentModel

    world = benchkit.build_world(clients)
    bank, tenant = world["bank"], world["tenant"]
    models = EquipmentModel.objects.bulk_create(
        [
            EquipmentModel(
                tenant=tenant,
                code=f"model-{i}",
                name_ko=f"교구 {i}",
                category="science",
                max_loan_days=14,
            )
            for i in range(clients)
        ]
    )
    Asset.objects.bulk_create(
        [
            Asset(
                tenant=tenant,
                equipment=m,
                tag_code=f"M{m.pk}-{u}",
                home_bank=bank,
                location=bank,
            )
            for m in models
            for u in range(args.units)
        ]
    )
    monday = benchkit.next_monday(2)
    proc, port = benchkit.start_gunicorn(args.workers)
    latencies: list[float] = []
    codes: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(i: int) -> None:
        mine: list[float] = []
        mycodes: Counter[str] = Counter()
        barrier.wait()
        for k in range(per_client):
            # a unit per booking; weeks cycle so each unit is booked once per week
            week = k // args.units
            start = monday + timedelta(days=7 * week)
            body = {
                "equipment_id": models[i].pk,
                "bank_id": bank.pk,
                "school_id": world["schools"][i].pk,
                "quantity": 1,
                "start_date": str(start),
                "end_date": str(start + timedelta(days=2)),
                "purpose": "수업",
            }
            t = time.perf_counter()
            status, payload = benchkit.request(
                port,
                "POST",
                "/api/v1/lending/reservations",
                token=world["tokens"][i],
                body=body,
            )
            dt = time.perf_counter() - t
            if status == 201:
                mine.append(dt)
                mycodes["created"] += 1
            else:
                mycodes[
                    (payload or {}).get("code", str(status))
                    if isinstance(payload, dict)
                    else str(status)
                ] += 1
        with lock:
            latencies.extend(mine)
            codes.update(mycodes)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    try:
        for t in threads:
            t.start()
        barrier.wait()
        t0 = time.perf_counter()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
    finally:
        benchkit.stop(proc)
    overlaps = benchkit.overlaps_in_db()
    ok = codes.get("created", 0)
    print()
    print(
        f"lending_throughput: {clients} concurrent clients × {per_client} bookings, "
        f"gunicorn {args.workers} workers, PostgreSQL, {os.cpu_count()} CPUs visible"
    )
    print(f"responses by code: {dict(codes)}")
    print(f"overlapping allocations in the database: {overlaps}")
    print(f"successful booking latency: {benchkit.summary_ms(latencies)}")
    print(
        f"throughput: {ok / elapsed:.0f} successful bookings/s ({ok} in {elapsed:.2f} s)"
    )
    return 0 if overlaps == 0 and ok == clients * per_client else 1


if __name__ == "__main__":
    sys.exit(main())
