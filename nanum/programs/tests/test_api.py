"""The programmes API: listing, apply with Idempotency-Key, refusals as problem details."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from nanum.programs.models import Application, Programme
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


def _h(api_token, user, **extra):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}", **extra}


def test_anyone_can_list_and_filter_programmes(client, world):
    p = make_programme(world.centre_staff, world.centre)
    make_programme(world.centre_staff, world.centre, publish=False, name_ko="초안")
    rows = client.get("/api/v1/programs/").json()["items"]
    assert [r["id"] for r in rows] == [p.pk]
    assert rows[0]["lottery_seed"] is None and len(rows[0]["seed_commitment"]) == 64
    assert client.get("/api/v1/programs/?grade=3").json()["items"] == []
    filtered = client.get("/api/v1/programs/?grade=8&kind=math_up").json()
    assert len(filtered["items"]) == filtered["count"] == 1
    assert client.get("/api/v1/programs/?grade=99").status_code == 422
    detail = client.get(f"/api/v1/programs/{p.pk}").json()
    assert len(detail["sessions"]) == 1


def test_apply_is_idempotent_with_a_key(client, api_token, world):
    p = make_programme(world.centre_staff, world.centre)
    h = _h(api_token, world.student, HTTP_IDEMPOTENCY_KEY="k-1")
    r1 = client.post(
        f"/api/v1/programs/{p.pk}/apply", "{}", content_type="application/json", **h
    )
    r2 = client.post(
        f"/api/v1/programs/{p.pk}/apply", "{}", content_type="application/json", **h
    )
    assert r1.status_code == r2.status_code == 201
    assert r1.json() == r2.json()
    assert Application.objects.count() == 1
    assert r1.json()["status"] == "selected" and r1.json()["why"]


def test_applying_twice_without_a_key_is_a_409_problem_in_the_users_language(
    client, api_token, world
):
    p = make_programme(world.centre_staff, world.centre)
    url = f"/api/v1/programs/{p.pk}/apply"
    client.post(
        url, "{}", content_type="application/json", **_h(api_token, world.student)
    )
    r = client.post(
        url,
        "{}",
        content_type="application/json",
        **_h(api_token, world.student, HTTP_ACCEPT_LANGUAGE="en"),
    )
    assert r.status_code == 409 and r["Content-Type"].startswith(
        "application/problem+json"
    )
    assert r.json()["code"] == "duplicate" and "already" in r.json()["title"]
    r = client.post(
        url,
        "{}",
        content_type="application/json",
        **_h(api_token, world.student, HTTP_ACCEPT_LANGUAGE="ko"),
    )
    assert "이미" in r.json()["title"]
    assert Application.objects.count() == 1


def test_applying_after_the_period_is_refused_by_the_api(client, api_token, world):
    now = timezone.now()
    p = make_programme(
        world.centre_staff,
        world.centre,
        apply_opens_at=now - timedelta(days=3),
        apply_closes_at=now - timedelta(hours=1),
    )
    r = client.post(
        f"/api/v1/programs/{p.pk}/apply",
        "{}",
        content_type="application/json",
        **_h(api_token, world.student),
    )
    assert r.status_code == 409 and r.json()["code"] == "period_ended"
    assert not Application.objects.exists()


def test_an_organiser_creates_a_programme_adds_a_session_and_publishes(
    client, api_token, world
):
    h = _h(api_token, world.centre_staff, HTTP_IDEMPOTENCY_KEY="create-1")
    now = timezone.now()
    body = {
        "organiser_id": world.centre.pk,
        "name_ko": "겨울 수학·과학 융합 캠프",
        "name_en": "Winter camp",
        "kind": "camp",
        "audience": "students",
        "grade_min": 3,
        "grade_max": 9,
        "capacity": 40,
        "apply_opens_at": now.isoformat(),
        "apply_closes_at": (now + timedelta(days=7)).isoformat(),
        "selection": "lottery",
        "priority_share": "0.3",
    }
    r = client.post(
        "/api/v1/programs/organiser/programmes",
        json.dumps(body),
        content_type="application/json",
        **h,
    )
    assert r.status_code == 201, r.content
    again = client.post(
        "/api/v1/programs/organiser/programmes",
        json.dumps(body),
        content_type="application/json",
        **h,
    )
    assert again.json()["id"] == r.json()["id"] and Programme.objects.count() == 1
    pid = r.json()["id"]
    h = _h(api_token, world.centre_staff)
    r = client.post(
        f"/api/v1/programs/organiser/programmes/{pid}/status",
        json.dumps({"status": "published"}),
        content_type="application/json",
        **h,
    )
    assert r.status_code == 409 and r.json()["code"] == "no_sessions"
    s = {
        "starts_at": (now + timedelta(days=20)).isoformat(),
        "ends_at": (now + timedelta(days=20, hours=3)).isoformat(),
        "place": "동부센터",
        "capacity": 40,
    }
    r = client.post(
        f"/api/v1/programs/organiser/programmes/{pid}/sessions",
        json.dumps(s),
        content_type="application/json",
        **h,
    )
    assert r.status_code == 201
    r = client.post(
        f"/api/v1/programs/organiser/programmes/{pid}/status",
        json.dumps({"status": "published"}),
        content_type="application/json",
        **h,
    )
    assert r.json()["status"] == "published"
    r = client.post(f"/api/v1/programs/organiser/programmes/{pid}/draw", **h)
    assert r.status_code == 409 and r.json()["code"] == "period_open"


def test_invalid_programme_input_is_a_422_with_field_errors(client, api_token, world):
    now = timezone.now()
    body = {
        "organiser_id": world.centre.pk,
        "name_ko": "연수",
        "kind": "teacher_training",
        "audience": "teachers",
        "capacity": 10,
        "apply_opens_at": now.isoformat(),
        "apply_closes_at": (now - timedelta(days=1)).isoformat(),
    }
    r = client.post(
        "/api/v1/programs/organiser/programmes",
        json.dumps(body),
        content_type="application/json",
        **_h(api_token, world.centre_staff),
    )
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"apply_closes_at", "hours"} <= fields
    assert not Programme.objects.exists()


def test_certificate_check_is_public_and_reveals_little(client, world):
    r = client.get("/api/v1/programs/certificates/NOPE-NOPE-NOPE")
    assert r.status_code == 200 and r.json()["valid"] is False


def test_garbage_in_the_query_does_not_break_the_listing(client, world):
    r = client.get("/api/v1/programs/?q=%3Cscript%3E%27abc&page=-1&kind=zz")
    assert r.status_code in (200, 422)
    # a NUL character is refused whole (PostgreSQL cannot hold one), not a 500
    r = client.get("/api/v1/programs/?q=%00abc")
    assert r.status_code == 400
    assert r["Content-Type"].startswith("application/problem+json")
