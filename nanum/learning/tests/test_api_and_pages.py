"""API create with Idempotency-Key and error codes; every page answers without a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nanum.learning.models import Application, TenantNotice

pytestmark = pytest.mark.django_db

BODY = {
    "town": "seoul",
    "full_name": "API학생",
    "birth_year": 2010,
    "school_level": "middle",
    "category": "basic_livelihood",
    "consent_collection": True,
    "lives_in_town": True,
}


def test_apply_by_api_is_idempotent_and_duplicates_get_a_code(
    world, towns, client, api_token
):
    auth = {
        "HTTP_AUTHORIZATION": f"Bearer {api_token(world.student)}",
        "HTTP_IDEMPOTENCY_KEY": "apply-1",
    }
    r1 = client.post(
        "/api/v1/learning/applications", BODY, content_type="application/json", **auth
    )
    r2 = client.post(
        "/api/v1/learning/applications", BODY, content_type="application/json", **auth
    )
    assert r1.status_code == r2.status_code == 201 and r1.json() == r2.json()
    auth["HTTP_IDEMPOTENCY_KEY"] = "apply-2"
    r3 = client.post(
        "/api/v1/learning/applications", BODY, content_type="application/json", **auth
    )
    assert r3.status_code == 409 and r3.json()["code"] == "duplicate_application"
    assert Application.objects.count() == 1
    mine = client.get("/api/v1/learning/applications/mine", **auth).json()
    assert mine["count"] == 1 and mine["items"][0]["status"] == "submitted"


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"school_level": "elementary", "town": "gimpo"}, "not_eligible"),
        ({"town": "nowhere"}, "not_found"),
        ({"consent_collection": False}, "invalid_input"),
        ({"category": "single_parent"}, "invalid_input"),
    ],
)
def test_api_errors_are_problem_documents(
    world, towns, client, api_token, override, code
):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.student)}"}
    r = client.post(
        "/api/v1/learning/applications",
        {**BODY, **override},
        content_type="application/json",
        **auth,
    )
    assert r.json()["code"] == code
    assert r["Content-Type"].startswith("application/problem+json")


def test_officer_decision_by_api(world, towns, apply_for, client, api_token):
    app = apply_for(world.student, world.seoul)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.seoul_officer)}"}
    r = client.post(
        f"/api/v1/learning/officer/applications/{app.pk}/decision",
        {
            "action": "approve",
            "verified_on": "2026-01-05",
            "verified_until": "2026-12-31",
        },
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "approved"
    r = client.post(
        f"/api/v1/learning/officer/applications/{app.pk}/decision",
        {"action": "approve"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 409 and r.json()["code"] == "wrong_state"


def test_town_page_has_its_name_colour_logo_rules_notices_and_providers(
    world, towns, provider_seats, client
):
    TenantNotice.objects.create(tenant=world.pyeongchang, title="2학기 모집 안내")
    page = client.get(reverse("learning:town", args=["pyeongchang"])).content.decode()
    assert "평창런" in page and "2학기 모집 안내" in page and "메가스터디" in page
    assert "theme.css" in page
    css = client.get(reverse("learning:town_theme", args=["pyeongchang"]))
    assert world.pyeongchang.primary_colour in css.content.decode()
    logo = client.get(reverse("learning:town_logo", args=["pyeongchang"]))
    assert logo["Content-Type"] == "image/svg+xml"
    assert client.get(reverse("learning:town", args=["nowhere"])).status_code == 404


PAGES = [
    ("learning:towns", []),
    ("learning:apply", []),
    ("learning:apply_town", ["seoul"]),
    ("learning:student_home", []),
    ("learning:lessons", []),
    ("learning:review_queue", []),
    ("learning:officer_stats", []),
    ("learning:rewards", []),
    ("learning:provider_home", []),
    ("learning:provider_lectures", []),
    ("learning:export", ["csv"]),
    ("learning:my_data", []),
]


@pytest.mark.parametrize(
    "who",
    ["student", "guardian", "seoul_officer", "provider", "admin", "teacher", None],
)
def test_no_page_gives_a_server_error(world, towns, provider_seats, client, who):
    if who:
        client.force_login(getattr(world, who))
    for name, args in PAGES:
        r = client.get(reverse(name, args=args))
        assert r.status_code < 500, (name, who)
    for name, data in [
        ("learning:choose_provider", {"provider": "x"}),
        ("learning:goal", {"target_minutes": "abc"}),
        ("learning:plan", {"remove": "99"}),
        ("learning:plan", {"weekday": "9"}),
    ]:
        assert client.post(reverse(name), data).status_code < 500, name
    assert client.get(reverse("learning:review", args=[999])).status_code < 500
    assert client.get("/learning/officer/rewards/?town=abc").status_code < 500
    assert client.get("/learning/officer/?town=abc&page=zz").status_code < 500
