"""Staff work over the API: rounds, training records, damage, banks; refusals change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from nanum.lending.models import AllocationRound, Asset, DamageReport, TrainingRecord

pytestmark = pytest.mark.django_db


def test_staff_open_and_run_a_round_over_the_api(world, lending, client_for):
    c = client_for(world.district_bank_officer)
    body = {
        "bank_id": world.district_bank.pk,
        "name": "개학 주간",
        "window_start": str(lending.day(0)),
        "window_end": str(lending.day(20)),
        "collect_until": (timezone.now() + timedelta(days=1)).isoformat(),
    }
    resp = c.post(
        "/api/v1/lending/rounds",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="r1",
    )
    assert resp.status_code == 201
    rid = resp.json()["id"]
    t = client_for(world.teacher)
    res = t.post(
        "/api/v1/lending/reservations",
        {
            "equipment_id": lending.microscope.pk,
            "bank_id": world.district_bank.pk,
            "school_id": world.small_school.pk,
            "quantity": 2,
            "start_date": str(lending.day(0)),
            "end_date": str(lending.day(1)),
            "purpose": "x",
        },
        content_type="application/json",
    )
    assert res.json()["status"] == "in_round"
    c = client_for(world.district_bank_officer)
    run = c.post(
        f"/api/v1/lending/rounds/{rid}/run",
        {"seed": 7},
        content_type="application/json",
    )
    assert run.json()["status"] == "allocated" and run.json()["seed"] == 7
    mine = (
        client_for(world.teacher)
        .get(f"/api/v1/lending/reservations/{res.json()['id']}")
        .json()
    )
    assert mine["status"] == "confirmed" and "7" in mine["reason"]


def test_other_bank_cannot_open_a_round_for_us(world, lending, client_for):
    c = client_for(world.other_bank_officer)
    body = {
        "bank_id": world.district_bank.pk,
        "name": "x",
        "window_start": str(lending.day(0)),
        "window_end": str(lending.day(1)),
        "collect_until": timezone.now().isoformat(),
    }
    assert (
        c.post(
            "/api/v1/lending/rounds", body, content_type="application/json"
        ).status_code
        == 403
    )
    assert not AllocationRound.objects.exists()


def test_training_and_damage_over_the_api(world, lending, client_for):
    c = client_for(world.district_bank_officer)
    today = timezone.localdate()
    resp = c.post(
        "/api/v1/lending/training",
        {
            "user_id": world.teacher.pk,
            "equipment_id": lending.drone.pk,
            "completed_on": str(today),
            "valid_until": str(today + timedelta(days=365)),
        },
        content_type="application/json",
    )
    assert resp.status_code == 201 and TrainingRecord.objects.count() == 1
    teacher = client_for(world.teacher)
    assert (
        teacher.post(
            "/api/v1/lending/training",
            {
                "user_id": world.teacher.pk,
                "equipment_id": lending.drone.pk,
                "completed_on": str(today),
                "valid_until": str(today),
            },
            content_type="application/json",
        ).status_code
        == 403
    )
    c = client_for(world.district_bank_officer)
    resp = c.post(
        "/api/v1/lending/damage",
        {"asset_id": lending.scopes[0].pk, "kind": "loss", "description": "분실"},
        content_type="application/json",
    )
    assert resp.status_code == 201
    assert DamageReport.objects.count() == 1
    assert Asset.objects.get(pk=lending.scopes[0].pk).status == "retired"
    banks = client_for(world.teacher).get("/api/v1/lending/banks").json()["items"]
    assert {b["code"] for b in banks} >= {"bank-central", "bank-gangseo-yangcheon"}
