"""An officer of one town never reads, lists, exports or changes another town's data."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import AuditLog, Organisation, Role
from nanum.core.testing import make_user
from nanum.learning.admin import ApplicationAdmin
from nanum.learning.models import (
    Application,
    Document,
    RewardCandidate,
    Seat,
    Status,
    UsageRecord,
)
from nanum.learning.services.applications import application_approve
from nanum.learning.services.seats import seat_choose

from .conftest import new_student, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def seoul_app(world, towns, apply_for):
    return apply_for(
        world.student,
        world.seoul,
        category="single_parent",
        full_name="서울학생",
        documents=[("eligibility", pdf_upload())],
    )


def snapshot(app):
    app.refresh_from_db()
    return (app.status, app.reason, app.decided_by_id, app.documents.count())


def test_web_queue_and_exports_show_only_the_officers_town(
    world, seoul_app, client_for
):
    client = client_for(world.pyeongchang_officer)
    queue = client.get(reverse("learning:review_queue"))
    assert queue.status_code == 200
    assert reverse("learning:review", args=[seoul_app.pk]) not in queue.content.decode()
    csv = client.get(reverse("learning:export", args=["csv"])).content.decode()
    assert "서울학생" not in csv and "seoul" not in csv
    xlsx = client.get(reverse("learning:export", args=["xlsx"]))
    assert xlsx.status_code == 200 and "서울학생".encode() not in xlsx.content
    stats = client.get(reverse("learning:officer_stats")).content.decode()
    assert "서울특별시" not in stats
    # the Seoul officer does see it
    own = client_for(world.seoul_officer).get(reverse("learning:export", args=["csv"]))
    assert "서울학생" in own.content.decode()


def test_web_detail_decision_and_document_are_not_found(world, seoul_app, client_for):
    client = client_for(world.pyeongchang_officer)
    before = snapshot(seoul_app)
    audits = AuditLog.objects.count()
    assert (
        client.get(reverse("learning:review", args=[seoul_app.pk])).status_code == 404
    )
    for action in ("approve", "reject", "more_info", "renew"):
        r = client.post(
            reverse("learning:review", args=[seoul_app.pk]),
            {"action": action, "reason": "x", "verified_on": "2026-01-01"},
        )
        assert r.status_code == 404
    doc = Document.objects.get(application=seoul_app)
    assert client.get(reverse("learning:document", args=[doc.pk])).status_code == 404
    assert snapshot(seoul_app) == before
    assert AuditLog.objects.count() == audits


def test_api_list_and_decisions_are_scoped(world, seoul_app, client, api_token):
    token = api_token(world.pyeongchang_officer)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    rows = client.get("/api/v1/learning/officer/applications", **auth).json()
    assert rows["items"] == [] and rows["count"] == 0
    before = snapshot(seoul_app)
    for action in ("approve", "reject", "more_info", "renew"):
        r = client.post(
            f"/api/v1/learning/officer/applications/{seoul_app.pk}/decision",
            {"action": action, "reason": "x"},
            content_type="application/json",
            **auth,
        )
        assert r.status_code == 404, r.content
        assert r.json()["code"] == "not_found"
    assert snapshot(seoul_app) == before


def test_students_and_providers_cannot_use_officer_endpoints(
    world, seoul_app, client, api_token, client_for
):
    for user in (world.student, world.provider, world.teacher):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"}
        assert (
            client.get("/api/v1/learning/officer/applications", **auth).status_code
            == 403
        )
        r = client.post(
            f"/api/v1/learning/officer/applications/{seoul_app.pk}/decision",
            {"action": "approve"},
            content_type="application/json",
            **auth,
        )
        assert r.status_code == 404
    web = client_for(world.student)
    assert web.get(reverse("learning:review_queue")).status_code == 403
    assert web.get(reverse("learning:review", args=[seoul_app.pk])).status_code == 403
    assert web.get(reverse("learning:export", args=["csv"])).status_code == 403
    assert snapshot(seoul_app)[0] == Status.SUBMITTED


def test_another_student_cannot_see_or_withdraw_an_application(
    world, seoul_app, client_for
):
    other = new_student(world.middle_school)
    client = client_for(other)
    url = reverse("learning:my_application", args=[seoul_app.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "withdraw"}).status_code == 404
    assert Application.objects.get(pk=seoul_app.pk).status == Status.SUBMITTED


def test_admin_is_closed_to_officers_even_with_staff_flag(world, seoul_app, client_for):
    officer = world.pyeongchang_officer
    officer.is_staff = True
    officer.save()
    client = client_for(officer)
    r = client.get("/admin/learning/application/")
    assert r.status_code in (302, 403)
    r = client.get(f"/admin/learning/application/{seoul_app.pk}/change/")
    assert r.status_code in (302, 403)
    assert "서울학생" not in r.content.decode()


def test_admin_queryset_is_scoped_by_town_as_a_second_line(world, seoul_app, rf):
    request = rf.get("/")
    request.user = world.pyeongchang_officer
    assert not ApplicationAdmin(Application, site).get_queryset(request).exists()
    request.user = world.admin
    assert ApplicationAdmin(Application, site).get_queryset(request).count() == 1


def test_town_parameters_cannot_reach_another_town(world, seoul_app, client_for):
    RewardCandidate.objects.create(
        tenant=world.seoul, student=world.student, year=2026, mileage=10
    )
    client = client_for(world.pyeongchang_officer)
    town = world.seoul.pk
    stats = client.get(
        reverse("learning:officer_stats"), {"town": town}
    ).content.decode()
    assert "서울특별시" not in stats
    csv = client.get(reverse("learning:export", args=["csv"]), {"town": town})
    assert "서울학생" not in csv.content.decode()
    queue = client.get(
        reverse("learning:review_queue"), {"town": town}
    ).content.decode()
    assert reverse("learning:review", args=[seoul_app.pk]) not in queue
    rewards = client.get(reverse("learning:rewards")).content.decode()
    assert str(world.student) not in rewards
    client.post(reverse("learning:rewards"), {"build": "1", "town": town})
    cand = RewardCandidate.objects.get()
    client.post(
        reverse("learning:rewards"), {"candidate": cand.pk, "decision": "confirm"}
    )
    cand.refresh_from_db()
    assert cand.state == "proposed"
    assert RewardCandidate.objects.count() == 1


def test_a_provider_sees_and_reports_only_its_own_seats(
    world, towns, provider_seats, apply_for, client, api_token
):
    other_org = Organisation.objects.create(
        code="provider-etoos", kind="provider", name_ko="이투스", tenant=world.seoul
    )
    other = make_user("etoos", Role.PROVIDER, other_org)
    application_approve(
        actor=world.seoul_officer,
        application_id=seoul_app_id(world, apply_for),
        verified_on=timezone.localdate(),
    )
    seat = seat_choose(actor=world.student, provider_id=world.provider_org.pk)
    assert seat is not None  # the provider had a free seat
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(other)}"}
    assert client.get("/api/v1/learning/provider/seats", **auth).json()["items"] == []
    r = client.post(
        "/api/v1/learning/provider/usage",
        {
            "rows": [
                {
                    "ref": seat.ref,
                    "date": timezone.localdate().isoformat(),
                    "minutes": 30,
                }
            ]
        },
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 422 and r.json()["code"] == "bad_usage_rows"
    assert not UsageRecord.objects.exists()
    assert Seat.objects.get(pk=seat.pk).last_used_on is None


def seoul_app_id(world, apply_for):
    return apply_for(world.student, world.seoul).pk
