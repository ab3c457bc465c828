"""Many members grab the last seats at once: never more seats than were bought."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from nanum.core.models import Organisation, Role, Tenant
from nanum.core.testing import make_user
from nanum.learning.models import (
    Application,
    Seat,
    SeatAllocation,
    Status,
    TenantPolicy,
)
from nanum.learning.services.seats import seat_choose


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_seat_choices_never_oversell():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL")
    town = Tenant.objects.create(
        slug="race", kind="city", name_ko="경주시", programme_name_ko="경주런"
    )
    TenantPolicy.objects.create(tenant=town)
    hall = Organisation.objects.create(
        code="race-hall", kind="city_hall", name_ko="청", tenant=town
    )
    provider = Organisation.objects.create(
        code="race-prov", kind="provider", name_ko="제공", tenant=town
    )
    alloc = SeatAllocation.objects.create(
        tenant=town, provider=provider, year=timezone.localdate().year, seats=3
    )
    students = []
    for i in range(10):
        s = make_user(f"racer{i}", Role.STUDENT, hall, birth_year=2010)
        Application.objects.create(
            tenant=town,
            student=s,
            applicant=s,
            status=Status.APPROVED,
            full_name="x",
            birth_year=2010,
            school_level="middle",
            category="basic_livelihood",
            consent_collection=True,
            place_since=timezone.now(),
        )
        students.append(s)
    barrier = threading.Barrier(len(students))
    results: list[object] = []

    def grab(student):
        try:
            barrier.wait()
            results.append(seat_choose(actor=student, provider_id=provider.pk))
        except Exception as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=grab, args=(s,)) for s in students]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    alloc.refresh_from_db()
    assert alloc.used == 3
    assert Seat.objects.filter(state="active").count() == 3
    assert sum(1 for r in results if isinstance(r, Seat)) == 3
    assert sum(1 for r in results if r is None) == 7  # waiting for a seat
