"""No double booking, ever: the database refuses overlaps, even when code is wrong.

The race test forks several processes that reserve the same units at the same moment
through the service (PostgreSQL: row locks + exclusion constraint).
"""

from __future__ import annotations

import multiprocessing
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

from nanum.core.errors import DomainError
from nanum.core.models import User
from nanum.lending import services
from nanum.lending.models import Allocation, Reservation
from nanum.lending.services import booking

from .helpers import book

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (exclusion constraint, real concurrency)",
)


def overlapping_pairs() -> int:
    rows = list(
        Allocation.objects.filter(active=True).values_list(
            "asset_id", "blocked_from", "blocked_until"
        )
    )
    n = 0
    for i, (a, f1, u1) in enumerate(rows):
        for b, f2, u2 in rows[i + 1 :]:
            if a == b and f1 <= u2 and f2 <= u1:
                n += 1
    return n


@postgres_only
@pytest.mark.django_db
def test_the_database_refuses_an_overlapping_allocation(world, lending):
    r = book(world, lending)
    a = Allocation.objects.get(reservation=r)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(
            reservation=r,
            asset=a.asset,
            blocked_from=a.blocked_until,
            blocked_until=a.blocked_until + timedelta(days=3),
        )
    # an inactive (released) allocation does not block
    Allocation.objects.filter(pk=a.pk).update(active=False)
    Allocation.objects.create(
        reservation=r,
        asset=a.asset,
        blocked_from=a.blocked_from,
        blocked_until=a.blocked_until,
    )


@postgres_only
@pytest.mark.django_db
def test_wrong_application_code_still_cannot_double_book(world, lending, monkeypatch):
    book(world, lending, qty=3)
    # a bug in the application's availability check: "every unit is free"
    monkeypatch.setattr(booking, "FREE", "1 = 1")
    monkeypatch.setattr(booking, "busy_asset_ids", lambda *a, **k: set())
    with pytest.raises(services.NoUnitsFree):
        book(world, lending, qty=1, start=1, end=2)
    assert Reservation.objects.count() == 1
    assert overlapping_pairs() == 0


def _worker(args: tuple[int, int, str, str, int, int, int]) -> str:
    user_id, school_id, start, end, model_id, bank_id, qty = args

    connections.close_all()
    try:
        services.reservation_create(
            actor=User.objects.get(pk=user_id),
            equipment_id=model_id,
            bank_id=bank_id,
            school_id=school_id,
            quantity=qty,
            start_date=date.fromisoformat(start),
            end_date=date.fromisoformat(end),
            purpose="race",
        )
        return "ok"
    except DomainError as exc:
        return exc.code
    finally:
        connections.close_all()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_many_processes_racing_for_three_units(world, lending):
    jobs = []
    for i in range(12):  # 12 processes, 3 units, overlapping periods
        start, end = lending.day(i % 3), lending.day(3 + i % 2)
        jobs.append(
            (
                world.teacher.pk,
                world.small_school.pk,
                str(start),
                str(end),
                lending.microscope.pk,
                world.district_bank.pk,
                1,
            )
        )
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(6) as pool:
        results = pool.map(_worker, jobs)
    assert results.count("ok") == 3, results
    assert set(results) <= {"ok", "no_units_free"}
    assert Allocation.objects.filter(active=True).count() == 3
    assert overlapping_pairs() == 0
