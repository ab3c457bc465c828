"""Booking throughput: 64 HTTP clients reserve across many models without contention.

gunicorn (4 gthread workers × 4 threads; --threads 0 for sync workers) on PostgreSQL
(prepared statements, NANUM_PG_PREPARE=5; --prepare 0 for off), 64 clients on
127.0.0.1; client i books units of its own model week after week, so no two clients
wait for the same rows.
Targets (issue 3): p50 <= 10 ms, p99 <= 50 ms, >= 250 successful bookings/s on 2 cores.
Two phases, because in a closed loop Little's law makes latency = clients / throughput
(64 clients at 250/s would mean 256 ms), so the latency targets only mean something
at an offered rate:

1. closed loop: every client books back to back -> the maximum sustained throughput;
2. open loop: 250 bookings/s offered in all (each client sends every 64/250 s on a
   fixed schedule), latency measured from the scheduled send time (no coordinated
   omission), plus the achieved rate, success rate and 5xx count.

It also reports the CPU that gunicorn's workers and PostgreSQL spent per booking
(read from /proc), which says more than wall time on a shared machine.

    .venv/bin/python bench/lending_throughput.py           # 64 × 40 closed, 20 s open
    .venv/bin/python bench/lending_throughput.py --tiny    # 64 × 4 closed, 3 s open
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _lendingkit as kit
import _lendingload as loadgen

PATH = "/api/v1/lending/reservations"


@dataclass
class Phase:
    """What one load phase (closed or open loop) measured."""

    results: list[loadgen.Result]
    elapsed: float
    cpu: dict[str, float]  # CPU seconds by process group ("gunicorn", "postgres")
    client_cpu: float
    load: str


def load() -> str:
    """Load average, and CPU pressure (share of time something waited for a CPU)."""
    text = "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    try:
        some = Path("/proc/pressure/cpu").read_text().split()[1]  # avg10=..
        text += f", CPU pressure {some.split('=')[1]}%"
    except (OSError, IndexError):
        pass
    return text


def cpu_line(used: dict[str, float], ok: int, client_cpu: float) -> str:
    if not ok:
        return "CPU per booking: n/a"
    server = used["gunicorn"] + used["postgres"]
    per = 1000 * server / ok
    return (
        f"CPU per successful booking: {per:.2f} ms server (gunicorn workers "
        f"{1000 * used['gunicorn'] / ok:.2f} + PostgreSQL "
        f"{1000 * used['postgres'] / ok:.2f}), load generator "
        f"{1000 * client_cpu / ok:.2f} ms -> CPU-bound ceiling on 2 cores given to "
        f"the server alone ~{2000 / per:.0f}/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--per-client", type=int, default=None, help="closed loop")
    parser.add_argument("--rate", type=float, default=250.0, help="open loop, per s")
    parser.add_argument("--seconds", type=float, default=None, help="open loop")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--threads", type=int, default=4, help="per gthread worker; 0: sync workers"
    )
    parser.add_argument(
        "--prepare",
        type=int,
        default=5,
        help="NANUM_PG_PREPARE for gunicorn: prepare after N uses; 0: off",
    )
    parser.add_argument("--units", type=int, default=10, help="assets per model")
    args = parser.parse_args()
    kit.ensure_postgres(__file__, sys.argv[1:])
    per_client = args.per_client or (4 if args.tiny else 40)
    seconds = args.seconds or (3.0 if args.tiny else 20.0)
    clients = args.clients
    open_per_client = max(1, math.ceil(seconds * args.rate / clients))

    kit.setup_django()
    from nanum.lending.models import Asset, EquipmentModel

    world = kit.build_world(clients)
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
    monday = kit.next_monday(2)

    def make(offset: int) -> loadgen.MakeRequest:
        def request(i: int, k: int) -> tuple[str, dict[str, Any]]:
            # a unit per booking; weeks move on once every unit of the model is taken
            start = monday + timedelta(days=7 * ((offset + k) // args.units))
            return world["tokens"][i], {
                "equipment_id": models[i].pk,
                "bank_id": bank.pk,
                "school_id": world["schools"][i].pk,
                "quantity": 1,
                "start_date": str(start),
                "end_date": str(start + timedelta(days=2)),
                "purpose": "수업",
            }

        return request

    postmaster = loadgen.postmaster_pid()
    prepare = {"NANUM_PG_PREPARE": str(args.prepare)} if args.prepare else {}
    proc, port = kit.start_gunicorn(args.workers, threads=args.threads, env=prepare)
    meter = loadgen.CpuMeter(proc.pid, postmaster)
    phases: dict[str, Phase] = {}
    try:
        for name in ("closed", "open"):
            load_before, cpu0, client0 = load(), meter.snapshot(), os.times()
            if name == "closed":
                results, elapsed = loadgen.closed_loop(
                    port, PATH, clients, per_client, make(0)
                )
            else:
                results, elapsed = loadgen.open_loop(
                    port, PATH, clients, open_per_client, args.rate, make(per_client)
                )
            client1 = os.times()
            phases[name] = Phase(
                results=results,
                elapsed=elapsed,
                cpu=meter.used(cpu0, meter.snapshot()),
                client_cpu=(client1.user + client1.system)
                - (client0.user + client0.system),
                load=f"{load_before} before, {load()} after",
            )
    finally:
        kit.stop(proc)
    overlaps = kit.overlaps_in_db()

    print()
    workers = (
        f"{args.workers} gthread workers × {args.threads} threads"
        if args.threads
        else f"{args.workers} sync workers"
    )
    prepared = f"after {args.prepare} uses" if args.prepare else "off"
    print(
        f"lending_throughput: {clients} clients, gunicorn {workers}, PostgreSQL "
        f"(prepared statements {prepared}), {os.cpu_count()} CPUs visible "
        "(shared with anything else running)"
    )
    failed = 0
    for name, ph in phases.items():
        results = ph.results
        ok = [r for r in results if r.code == "created"]
        codes = Counter(r.code for r in results)
        five = sum(1 for r in results if r.status >= 500 or r.status == 0)
        failed += len(results) - len(ok)
        print()
        if name == "closed":
            print(
                f"closed loop, {clients} clients × {per_client} back to back "
                f"({ph.load}):"
            )
            print(
                f"  max sustained throughput: {len(ok) / ph.elapsed:.0f} successful "
                f"bookings/s ({len(ok)} in {ph.elapsed:.2f} s)"
            )
            print(
                f"  latency (queueing, ~ {clients} / throughput): "
                f"{kit.summary_ms([r.latency for r in ok])}"
            )
        else:
            late = sum(1 for r in results if r.latency - r.service > 0.010)
            print(
                f"open loop, {args.rate:.0f} bookings/s offered over {clients} clients "
                f"({len(results)} in {len(results) / args.rate:.1f} s; {ph.load}):"
            )
            print(
                f"  achieved {len(ok) / ph.elapsed:.0f} successful bookings/s; "
                f"{len(ok)}/{len(results)} successful "
                f"({100 * len(ok) / max(1, len(results)):.1f}%), 5xx or no answer: {five}"
            )
            print(
                "  latency from the scheduled send (targets p50 <= 10 ms, p99 <= 50 ms): "
                f"{kit.summary_ms([r.latency for r in ok])}"
            )
            print(
                "  service time (from the actual send): "
                f"{kit.summary_ms([r.service for r in ok])}; "
                f"sends more than 10 ms behind schedule: {late}"
            )
        print(f"  responses by code: {dict(codes)}")
        print("  " + cpu_line(ph.cpu, len(ok), ph.client_cpu))
    print()
    print(f"overlapping allocations in the database: {overlaps}")
    return 0 if overlaps == 0 and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
