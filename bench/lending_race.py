"""Booking race: 64 HTTP clients reserve the same few units at once.

gunicorn (4 sync workers) on PostgreSQL (a throwaway cluster from scripts/pgtmp.py),
64 concurrent clients on 127.0.0.1, each POSTs /api/v1/lending/reservations for the
same model over overlapping periods. Several rounds, each with a fresh model.
Prints successes vs units, refusals by code, overlaps in the database (must be 0),
and 5xx responses (must be 0).

    .venv/bin/python bench/lending_race.py            # 10 rounds, 5 units each
    .venv/bin/python bench/lending_race.py --tiny     # 2 rounds
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _lendingkit as kit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--units", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    kit.ensure_postgres(__file__, sys.argv[1:])
    rounds = args.rounds or (2 if args.tiny else 10)
    clients = args.clients

    kit.setup_django()
    from nanum.lending.models import Asset, EquipmentModel

    world = kit.build_world(clients)
    bank, tenant = world["bank"], world["tenant"]
    models = []
    for r in range(rounds):
        m = EquipmentModel.objects.create(
            tenant=tenant,
            code=f"race-{r}",
            name_ko=f"경합 교구 {r}",
            category="science",
            max_loan_days=14,
        )
        Asset.objects.bulk_create(
            [
                Asset(
                    tenant=tenant,
                    equipment=m,
                    tag_code=f"R{r}-{i}",
                    home_bank=bank,
                    location=bank,
                )
                for i in range(args.units)
            ]
        )
        models.append(m)
    monday = kit.next_monday(3)
    proc, port = kit.start_gunicorn(args.workers)
    codes: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    successes_per_round = []
    try:
        t0 = time.perf_counter()
        for m in models:
            barrier = threading.Barrier(clients)
            results: list[tuple[int, str]] = [(0, "")] * clients

            def client(i: int, m=m, barrier=barrier, results=results) -> None:
                start = monday + timedelta(days=i % 3)  # Mon/Tue/Wed
                end = start + timedelta(
                    days=1 + i % 2
                )  # all periods overlap on Wednesday
                body = {
                    "equipment_id": m.pk,
                    "bank_id": bank.pk,
                    "school_id": world["schools"][i].pk,
                    "quantity": 1,
                    "start_date": str(start),
                    "end_date": str(end),
                    "purpose": "race",
                }
                barrier.wait()
                status, payload = kit.request(
                    port,
                    "POST",
                    "/api/v1/lending/reservations",
                    token=world["tokens"][i],
                    body=body,
                    headers={"Idempotency-Key": f"race-{m.pk}-{i}"},
                )
                code = (
                    "created"
                    if status == 201
                    else (payload or {}).get("code", str(status))
                )
                results[i] = (status, code)

            threads = [
                threading.Thread(target=client, args=(i,)) for i in range(clients)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            ok = sum(1 for s, _ in results if s == 201)
            successes_per_round.append(ok)
            for s, c in results:
                statuses[s] += 1
                codes[c] += 1
        elapsed = time.perf_counter() - t0
    finally:
        kit.stop(proc)
    overlaps = kit.overlaps_in_db()
    fivexx = sum(n for s, n in statuses.items() if s >= 500)
    exact = all(ok == args.units for ok in successes_per_round)
    print()
    print(
        f"lending_race: {rounds} rounds × {clients} concurrent clients, {args.units} units per round, "
        f"gunicorn {args.workers} workers, PostgreSQL; {elapsed:.1f} s"
    )
    print(
        f"successes per round: {successes_per_round} (units per round: {args.units}) -> "
        f"{'exactly as many as units' if exact else 'MISMATCH'}"
    )
    print(f"responses by code: {dict(codes)}")
    print(f"HTTP statuses: {dict(statuses)}")
    print(f"overlapping allocations in the database: {overlaps}")
    print(f"5xx responses: {fivexx}")
    return 0 if exact and overlaps == 0 and fivexx == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
