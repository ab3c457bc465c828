#!/usr/bin/env python3
"""Seat allocation and waiting-list promotion for 100,000 applications in 6 towns.

    .venv/bin/python bench/learning_allocation.py            # 100,000 applications
    .venv/bin/python bench/learning_allocation.py --tiny     # 3,000, for CI
    DATABASE_URL=... or: .venv/bin/python scripts/pgtmp.py -- .venv/bin/python bench/learning_allocation.py

Builds its own database (a temporary SQLite file unless DATABASE_URL is set), creates
six towns with quotas per school level and seats at three providers each, and N
approved applicants waiting for a place, then times:

1. places_allocate(): every town's quota given by priority then date (set-based),
2. seats_assign_bulk(): a seat at the chosen provider for every new member,
3. 10% of members expire: memberships_expire() frees their places and seats and the
   waiting list is promoted again (places + seats).

The figures are printed last. Target: all of it for 100,000 applications in <= 60 s.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UNUSABLE = "!"  # an unusable password hash: these accounts cannot sign in


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


def build(n: int, rng: random.Random) -> dict[str, int]:
    from datetime import timedelta

    from django.utils import timezone

    from nanum.core.models import Organisation, Tenant, User
    from nanum.learning.models import Application, SeatAllocation, Status, TenantPolicy

    year = timezone.localdate().year
    towns = []
    for i in range(6):
        t = Tenant.objects.create(
            slug=f"bench{i}",
            kind="city",
            name_ko=f"벤치{i}",
            programme_name_ko=f"벤치런{i}",
            is_home=i == 0,
        )
        towns.append(t)
    per_town = n // 6
    providers = [
        Organisation.objects.create(
            code=f"bench-prov-{k}",
            kind="provider",
            name_ko=f"제공기관{k}",
            tenant=towns[0],
        )
        for k in range(3)
    ]
    for t in towns:
        quota = int(per_town * 0.6)
        TenantPolicy.objects.create(
            tenant=t,
            quota_total=quota,
            quota_elementary=quota // 5,
            quota_middle=quota * 2 // 5,
            quota_high=quota * 2 // 5,
        )
        for p in providers:
            SeatAllocation.objects.create(
                tenant=t, provider=p, year=year, seats=int(quota * 0.4)
            )
    users = User.objects.bulk_create(
        [User(username=f"b{i:06d}", password=UNUSABLE) for i in range(n)],
        batch_size=5000,
    )
    now = timezone.now()
    levels = ["elementary", "middle", "middle", "high", "high"]
    apps = []
    for i, u in enumerate(users):
        apps.append(
            Application(
                tenant=towns[i % 6],
                student=u,
                applicant=u,
                status=Status.WAITING,
                full_name="x",
                birth_year=2010,
                school_level=rng.choice(levels),
                category="basic_livelihood",
                priority_rank=rng.randint(0, 7),
                consent_collection=True,
                submitted_at=now - timedelta(minutes=rng.randint(0, 10**5)),
                approved_at=now,
                preferred_provider=rng.choice(providers),
            )
        )
    Application.objects.bulk_create(apps, batch_size=5000)
    return {"towns": 6, "applications": n}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("-n", type=int, default=100_000)
    args = parser.parse_args()
    n = 3_000 if args.tiny else args.n
    setup_django()
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from nanum.learning.models import Application, Seat, SeatAllocation, Status
    from nanum.learning.services.membership import memberships_expire
    from nanum.learning.services.quota import places_allocate
    from nanum.learning.services.seats import seats_assign_bulk

    rng = random.Random(7)
    t0 = time.perf_counter()
    build(n, rng)
    t_build = time.perf_counter() - t0
    tenant_ids = sorted(set(SeatAllocation.objects.values_list("tenant_id", flat=True)))

    t1 = time.perf_counter()
    given = places_allocate()
    t_places = time.perf_counter() - t1

    t2 = time.perf_counter()
    seats = sum(seats_assign_bulk(tenant_id=t) for t in tenant_ids)
    t_seats = time.perf_counter() - t2

    members = list(
        Application.objects.filter(status=Status.APPROVED).values_list("pk", flat=True)
    )
    expire = rng.sample(members, len(members) // 10)
    for i in range(0, len(expire), 900):
        Application.objects.filter(pk__in=expire[i : i + 900]).update(
            valid_until=timezone.localdate() - timedelta(days=1)
        )
    t3 = time.perf_counter()
    expired = memberships_expire()
    seats2 = sum(seats_assign_bulk(tenant_id=t) for t in tenant_ids)
    t_promote = time.perf_counter() - t3

    # invariants: no town over quota, no provider oversold
    over = [a for a in SeatAllocation.objects.all() if a.used > a.seats]
    active = Seat.objects.filter(state="active").count()
    assert not over, "oversold"
    assert active == sum(a.used for a in SeatAllocation.objects.all())
    total = t_places + t_seats + t_promote
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database            {connection.vendor}")
    print(f"applications        {n:,} in 6 towns (build {t_build:.1f} s, not timed)")
    print(
        f"places given        {sum(given.values()):,} in {t_places:.2f} s "
        f"({sum(given.values()) / max(t_places, 1e-9):,.0f}/s)"
    )
    print(f"seats assigned      {seats:,} in {t_seats:.2f} s")
    print(
        f"expired + promoted  {expired:,} expired, {seats2:,} seats re-given in {t_promote:.2f} s"
    )
    print(
        f"total timed         {total:.2f} s (target <= 60 s) "
        f"{'OK' if total <= 60 else 'OVER'}"
    )
    print(f"peak memory         {peak_mb:.0f} MiB")


if __name__ == "__main__":
    main()
