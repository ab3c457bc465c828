"""Officer review, notifications, quotas per level, the waiting list, renewal, expiry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nanum.core.errors import DomainError
from nanum.core.models import Notification
from nanum.learning.models import Application, Status
from nanum.learning.services import applications as svc
from nanum.learning.services import membership
from nanum.learning.services.quota import places_allocate

from .conftest import new_student, pdf_upload

pytestmark = pytest.mark.django_db


def approve(officer, app, **kw):
    kw.setdefault("verified_on", timezone.localdate())
    kw.setdefault("verified_until", timezone.localdate() + timedelta(days=365))
    return svc.application_approve(actor=officer, application_id=app.pk, **kw)


def test_officer_approves_with_an_official_records_check(
    world, towns, apply_for, client_for
):
    app = apply_for(world.student, world.seoul)
    client = client_for(world.seoul_officer)
    queue = client.get(reverse("learning:review_queue"), {"status": "submitted"})
    assert str(app.pk) in queue.content.decode()
    today = timezone.localdate()
    response = client.post(
        reverse("learning:review", args=[app.pk]),
        {
            "action": "approve",
            "verified_on": today.isoformat(),
            "verified_until": (today + timedelta(days=180)).isoformat(),
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.APPROVED  # Seoul has no quota: a place at once
    assert app.verified_by == world.seoul_officer and app.verified_on == today
    assert app.valid_until == today + timedelta(days=365)
    assert Notification.objects.filter(
        user=world.student, kind="learning.place"
    ).exists()


def test_approval_of_an_official_records_category_needs_the_check_date(
    world, towns, apply_for
):
    app = apply_for(world.student, world.seoul)
    with pytest.raises(DomainError) as exc:
        svc.application_approve(actor=world.seoul_officer, application_id=app.pk)
    assert "verified_on" in exc.value.field_errors
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED


def test_reject_with_reason_the_student_sees(world, towns, apply_for, client_for):
    app = apply_for(world.student, world.seoul)
    response = client_for(world.seoul_officer).post(
        reverse("learning:review", args=[app.pk]), {"action": "reject", "reason": ""}
    )
    assert response.status_code == 200
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    svc.application_reject(
        actor=world.seoul_officer,
        application_id=app.pk,
        reason="거주지가 확인되지 않습니다",
    )
    page = client_for(world.student).get(
        reverse("learning:my_application", args=[app.pk])
    )
    assert "거주지가 확인되지 않습니다" in page.content.decode()
    assert Notification.objects.filter(
        user=world.student, body__contains="거주지"
    ).exists()


def test_more_documents_then_the_student_uploads_them(
    world, towns, apply_for, client_for
):
    app = apply_for(world.student, world.seoul)
    svc.application_request_documents(
        actor=world.seoul_officer,
        application_id=app.pk,
        reason="재학증명서를 올려 주세요",
    )
    app.refresh_from_db()
    assert app.status == Status.MORE_INFO
    response = client_for(world.student).post(
        reverse("learning:my_application", args=[app.pk]),
        {"action": "documents", "documents": pdf_upload("school.pdf")},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.documents.count() == 1


def fill(towns_world, apply_for, tenant, level, n, **kw):
    world = towns_world
    apps = []
    for _ in range(n):
        s = new_student(world.middle_school)
        apps.append(apply_for(s, tenant, school_level=level, **kw))
    return apps


def test_pyeongchang_level_quota_puts_the_41st_elementary_pupil_on_the_waiting_list(
    world, towns, apply_for, apply_child
):
    policy = towns["pyeongchang"]
    policy.quota_elementary = 2
    policy.save()
    # Elementary pupils are under 14: their guardian applies for them.
    apps = [apply_child(world.pyeongchang) for _ in range(3)]
    for a in apps:
        approve(world.pyeongchang_officer, a)
    states = [Application.objects.get(pk=a.pk).status for a in apps]
    assert states == [Status.APPROVED, Status.APPROVED, Status.WAITING]
    middle = fill(world, apply_for, world.pyeongchang, "middle", 1)[0]
    approve(world.pyeongchang_officer, middle)
    assert Application.objects.get(pk=middle.pk).status == Status.APPROVED


def test_waiting_list_follows_priority_then_date_and_a_freed_place_moves_on(
    world, towns, apply_for
):
    policy = towns["gimpo"]
    policy.quota_total = 1
    policy.save()
    first = fill(world, apply_for, world.gimpo, "high", 1)[0]
    approve(world.gimpo_officer, first)
    income = fill(
        world,
        apply_for,
        world.gimpo,
        "high",
        1,
        category="income",
        income_pct=40,
        documents=[("eligibility", pdf_upload())],
    )[0]
    later_basic = fill(world, apply_for, world.gimpo, "high", 1)[0]
    approve(world.gimpo_officer, income)
    approve(world.gimpo_officer, later_basic)
    assert Application.objects.get(pk=income.pk).status == Status.WAITING
    svc.application_withdraw(actor=first.student, application_id=first.pk)
    # basic livelihood comes before income in Gimpo's priority, though it applied later
    assert Application.objects.get(pk=later_basic.pk).status == Status.APPROVED
    assert Application.objects.get(pk=income.pk).status == Status.WAITING


def test_expiry_releases_the_place_to_the_next_in_line(world, towns, apply_for):
    policy = towns["gimpo"]
    policy.quota_total = 1
    policy.save()
    a, b = fill(world, apply_for, world.gimpo, "high", 2)
    approve(world.gimpo_officer, a)
    approve(world.gimpo_officer, b)
    Application.objects.filter(pk=a.pk).update(valid_until=date(2020, 1, 1))
    assert membership.memberships_expire() == 1
    assert Application.objects.get(pk=a.pk).status == Status.EXPIRED
    assert Application.objects.get(pk=b.pk).status == Status.APPROVED


def test_renewal_reminder_then_request_then_officer_renews(world, towns, apply_for):
    app = apply_for(world.student, world.seoul)
    approve(world.seoul_officer, app)
    Application.objects.filter(pk=app.pk).update(
        valid_until=timezone.localdate() + timedelta(days=10)
    )
    assert membership.renewal_reminders_send() == 1
    assert membership.renewal_reminders_send() == 0  # not twice in a week
    membership.application_request_renewal(actor=world.student, application_id=app.pk)
    renewed = membership.application_renew(
        actor=world.seoul_officer, application_id=app.pk
    )
    assert renewed.valid_until == timezone.localdate() + timedelta(days=10 + 365)


def test_allocation_is_idempotent(world, towns, apply_for):
    towns["gimpo"].quota_total = 2
    towns["gimpo"].save()
    apps = fill(world, apply_for, world.gimpo, "high", 3)
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        status=Status.WAITING
    )
    assert places_allocate(tenant_ids=[world.gimpo.pk]) == {world.gimpo.pk: 2}
    assert places_allocate(tenant_ids=[world.gimpo.pk]) == {world.gimpo.pk: 0}
    assert Application.objects.filter(status=Status.APPROVED).count() == 2
