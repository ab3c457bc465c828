"""The API: create with Idempotency-Key, problem details with stable codes, search."""

from __future__ import annotations

import pytest
from django.test import Client

from nanum.lending.models import Asset, DamageReport, MaintenanceTicket, Reservation

from .helpers import make_assets

pytestmark = pytest.mark.django_db


def payload(world, lending, **kw):
    data = {
        "equipment_id": lending.microscope.pk,
        "bank_id": world.district_bank.pk,
        "school_id": world.small_school.pk,
        "quantity": 1,
        "start_date": str(lending.day(0)),
        "end_date": str(lending.day(2)),
        "purpose": "현미경 관찰",
        "fulfilment": "pickup",
    }
    data.update(kw)
    return data


def test_create_with_idempotency_key_creates_once(world, lending, client, api_token):
    raw = api_token(world.teacher)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_IDEMPOTENCY_KEY": "abc-1"}
    r1 = client.post(
        "/api/v1/lending/reservations",
        payload(world, lending),
        content_type="application/json",
        **headers,
    )
    r2 = client.post(
        "/api/v1/lending/reservations",
        payload(world, lending),
        content_type="application/json",
        **headers,
    )
    assert r1.status_code == 201 and r2.status_code == 201
    assert r1.json()["id"] == r2.json()["id"]
    assert r1.json()["asset_tags"] == ["MICROSCOPE-001"]
    assert Reservation.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "code", "status"),
    [
        ({"quantity": 4}, "no_units_free", 409),
        ({"end_date": "__sat"}, "outside_lending_days", 422),
        ({"end_date": "__far"}, "too_long", 422),
        ({"equipment": "drone"}, "training_required", 422),
        ({"quantity": 0}, "invalid_input", 422),
    ],
)
def test_refusals_are_problem_documents_with_stable_codes(
    world, lending, client_for, change, code, status
):
    data = payload(world, lending)
    if change.get("end_date") == "__sat":
        data["end_date"] = str(lending.day(5))
    elif change.get("end_date") == "__far":
        data["end_date"] = str(lending.day(25))
    elif change.get("equipment") == "drone":
        data["equipment_id"] = lending.drone.pk
    else:
        data.update(change)
    resp = client_for(world.teacher).post(
        "/api/v1/lending/reservations", data, content_type="application/json"
    )
    assert resp.status_code == status, resp.content
    assert resp["Content-Type"] == "application/problem+json"
    assert resp.json()["code"] == code
    assert not Reservation.objects.exists()


def test_korean_message_for_a_refusal(world, lending, client_for):
    c = client_for(world.teacher)
    resp = c.post(
        "/api/v1/lending/reservations",
        payload(world, lending, quantity=9),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert resp.json()["code"] == "no_units_free"
    assert "기간" in resp.json()["title"] or "없" in resp.json()["title"]


def test_availability_nearest_bank_first_and_alternatives(world, lending, client_for):

    make_assets(world, lending.microscope, 2, bank=world.central_bank, prefix="C-SCOPE")
    c = client_for(world.teacher)
    q = f"start={lending.day(0)}&end={lending.day(2)}&school_id={world.small_school.pk}&q=microscope"
    body = c.get(f"/api/v1/lending/availability?{q}").json()["items"]
    assert body[0]["model"]["code"] == "microscope"
    banks = body[0]["banks"]
    assert (
        banks[0]["bank_id"] == world.district_bank.pk
        and banks[0]["same_district"] is True
    )
    assert banks[0]["free"] == 3 and banks[1]["free"] == 2
    c.post(
        "/api/v1/lending/reservations",
        payload(world, lending, quantity=3),
        content_type="application/json",
    )
    body = c.get(f"/api/v1/lending/availability?{q}&quantity=3").json()["items"]
    assert body[0]["banks"][0]["free"] == 0
    assert body[0]["alternatives"], "later dates should be offered"


def test_bad_query_is_422_not_500(world, client_for):
    c = client_for(world.teacher)
    assert (
        c.get("/api/v1/lending/availability?start=2026-13-01&end=x").status_code == 422
    )
    assert (
        c.get(
            "/api/v1/lending/availability?start=2026-12-10&end=2026-12-01"
        ).status_code
        == 422
    )


def test_full_flow_over_the_api(world, lending, client_for):
    t = client_for(world.teacher)
    rid = t.post(
        "/api/v1/lending/reservations",
        payload(world, lending, quantity=2),
        content_type="application/json",
    ).json()["id"]

    s = Client()
    s.force_login(world.district_bank_officer)
    bad = s.post(
        f"/api/v1/lending/reservations/{rid}/checkout",
        {"tag_codes": ["MICROSCOPE-001"]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    ok = s.post(
        f"/api/v1/lending/reservations/{rid}/checkout",
        {"tag_codes": ["microscope-001", "MICROSCOPE-002"]},
        content_type="application/json",
    )
    assert ok.json()["status"] == "checked_out"
    items = [
        {"tag_code": "MICROSCOPE-001", "parts_complete": True, "condition": "good"},
        {
            "tag_code": "MICROSCOPE-002",
            "parts_complete": False,
            "condition": "damaged",
            "missing_parts": "대물렌즈",
            "notes": "렌즈 파손",
        },
    ]
    back = s.post(
        f"/api/v1/lending/reservations/{rid}/checkin",
        {"items": items},
        content_type="application/json",
    )
    assert back.json()["status"] == "returned"

    assert Asset.objects.get(tag_code="MICROSCOPE-002").status == "in_repair"
    assert DamageReport.objects.count() == 1 and MaintenanceTicket.objects.count() == 1
    assert Asset.objects.get(tag_code="MICROSCOPE-001").status == "available"
