"""Applying: who may apply, when, how often; FCFS places and the waiting list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import override

from nanum.core.errors import DomainError
from nanum.core.models import AuditLog, Notification, Role
from nanum.core.testing import make_user
from nanum.programs import services
from nanum.programs.models import Application, Programme
from nanum.programs.tasks import offers_expire_due
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db
S = Application.Status


def _refused(code: str, fn, **kw) -> DomainError:
    before = (Application.objects.count(), AuditLog.objects.count())
    with pytest.raises(DomainError) as exc:
        fn(**kw)
    assert exc.value.code == code
    assert (Application.objects.count(), AuditLog.objects.count()) == before
    return exc.value


def test_a_middle_school_student_applies_and_gets_a_place_first_come(world):
    p = make_programme(world.centre_staff, world.centre)
    app = services.application_apply(actor=world.student, programme=p)
    assert app.status == S.SELECTED and app.via == "fcfs"
    assert Notification.objects.filter(
        user=world.student, kind="programs.application"
    ).exists()


def test_when_full_the_next_applicant_is_waitlisted_in_order(world):
    p = make_programme(world.centre_staff, world.centre, capacity=1)
    services.application_apply(actor=world.student, programme=p)
    other = make_user("student2", Role.STUDENT, world.middle_school, birth_year=2012)
    third = make_user("student3", Role.STUDENT, world.middle_school, birth_year=2012)
    a2 = services.application_apply(actor=other, programme=p)
    a3 = services.application_apply(actor=third, programme=p)
    assert (a2.status, a2.waitlist_position) == (S.WAITLISTED, 1)
    assert (a3.status, a3.waitlist_position) == (S.WAITLISTED, 2)


def test_applying_twice_is_refused_and_changes_nothing(world):
    p = make_programme(world.centre_staff, world.centre)
    services.application_apply(actor=world.student, programme=p)
    _refused("duplicate", services.application_apply, actor=world.student, programme=p)


def test_the_database_refuses_a_second_application_even_without_the_service(world):
    p = make_programme(world.centre_staff, world.centre)
    services.application_apply(actor=world.student, programme=p)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            programme=p, participant=world.student, applied_by=world.student
        )


def test_applying_after_the_period_is_refused(world):
    now = timezone.now()
    p = make_programme(
        world.centre_staff,
        world.centre,
        apply_opens_at=now - timedelta(days=5),
        apply_closes_at=now - timedelta(days=1),
    )
    err = _refused(
        "period_ended", services.application_apply, actor=world.student, programme=p
    )
    assert "신청 기간" in str(err.message)


def test_applying_before_the_period_is_refused(world):
    now = timezone.now()
    p = make_programme(
        world.centre_staff,
        world.centre,
        apply_opens_at=now + timedelta(days=1),
        apply_closes_at=now + timedelta(days=3),
    )
    _refused(
        "period_not_started",
        services.application_apply,
        actor=world.student,
        programme=p,
    )


def test_a_student_outside_the_grades_is_refused_with_the_reason_in_korean(world):
    p = make_programme(world.centre_staff, world.centre, grade_min=1, grade_max=6)
    with override("ko"):
        err = _refused(
            "outside_audience",
            services.application_apply,
            actor=world.student,
            programme=p,
        )
        assert "학년" in str(err.message)


def test_a_student_cannot_join_teacher_training(world):
    p = make_programme(
        world.centre_staff,
        world.centre,
        kind="teacher_training",
        audience="teachers",
        grade_min=None,
        grade_max=None,
        hours=15,
    )
    _refused(
        "outside_audience", services.application_apply, actor=world.student, programme=p
    )
    app = services.application_apply(actor=world.teacher, programme=p)
    assert app.status == S.SELECTED


def test_someone_from_another_town_is_refused(world):
    p = make_programme(world.centre_staff, world.centre)
    outsider = make_user(
        "pc.student", Role.STUDENT, world.pyeongchang_hall, birth_year=2012
    )
    _refused(
        "outside_audience", services.application_apply, actor=outsider, programme=p
    )


def test_a_guardian_applies_for_a_child_and_family_programmes_need_one(world):
    p = make_programme(
        world.centre_staff,
        world.centre,
        kind="family",
        audience="families",
        grade_min=1,
        grade_max=6,
    )
    _refused(
        "outside_audience",
        services.application_apply,
        actor=world.guardian,
        programme=p,
    )
    child = services.child_add(actor=world.guardian, name="정어린", grade=3)
    app = services.application_apply(actor=world.guardian, programme=p, child=child)
    assert app.route == "guardian" and app.person_name == "정어린"
    _refused(
        "duplicate",
        services.application_apply,
        actor=world.guardian,
        programme=p,
        child=child,
    )


def test_a_child_name_is_encrypted_at_rest(world):
    child = services.child_add(actor=world.guardian, name="정어린", grade=3)
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM programs_child WHERE id = %s", [child.pk])
        raw = cur.fetchone()[0]
    assert "정어린" not in raw


def test_someone_elses_child_cannot_be_used(world):
    p = make_programme(world.centre_staff, world.centre, grade_min=1, grade_max=6)
    child = services.child_add(actor=world.guardian, name="정어린", grade=3)
    other = make_user("guardian2", Role.GUARDIAN, world.middle_school)
    with pytest.raises(DomainError) as exc:
        services.application_apply(actor=other, programme=p, child=child)
    assert exc.value.code == "not_found"


def test_a_teacher_nominates_students_of_their_own_school_only(world):
    p = make_programme(world.centre_staff, world.centre, grade_min=1, grade_max=6)
    pupil = make_user("pupil", Role.STUDENT, world.small_school, birth_year=2016)
    stranger = make_user("stranger", Role.STUDENT, world.big_school, birth_year=2016)
    _refused(
        "invalid_input",
        services.application_nominate,
        actor=world.teacher,
        programme=p,
        student_ids=[pupil.pk, stranger.pk],
    )
    apps = services.application_nominate(
        actor=world.teacher, programme=p, student_ids=[pupil.pk]
    )
    assert apps[0].participant == pupil and apps[0].route == "nomination"
    assert Notification.objects.filter(user=pupil).exists()


def test_a_declared_vulnerable_student_and_a_needy_district_get_priority(world):
    p = make_programme(
        world.centre_staff, world.centre, selection="lottery", grade_min=1, grade_max=12
    )
    app = services.application_apply(
        actor=world.student, programme=p, declare_priority=True
    )
    assert app.priority and app.vulnerability_declaration.startswith("declared by")
    pupil = make_user("pupil", Role.STUDENT, world.small_school, birth_year=2016)
    p2 = make_programme(
        world.centre_staff,
        world.centre,
        selection="lottery",
        grade_min=1,
        grade_max=12,
        priority_need_index="0.500",
    )
    app2 = services.application_apply(actor=pupil, programme=p2)
    assert app2.priority and app2.district_need is not None  # 강서구 0.520 ≥ 0.500


def test_withdrawing_a_place_offers_it_to_the_waiting_list_with_a_deadline(world):
    p = make_programme(world.centre_staff, world.centre, capacity=1)
    first = services.application_apply(actor=world.student, programme=p)
    other = make_user("student2", Role.STUDENT, world.middle_school, birth_year=2012)
    second = services.application_apply(actor=other, programme=p)
    services.application_withdraw(actor=world.student, application_id=first.pk)
    second.refresh_from_db()
    assert second.status == S.OFFERED and second.offer_expires_at is not None
    services.application_confirm(actor=other, application_id=second.pk)
    second.refresh_from_db()
    assert second.status == S.SELECTED and second.via == "waitlist"


def test_an_unconfirmed_offer_expires_and_goes_to_the_next(world):
    p = make_programme(world.centre_staff, world.centre, capacity=1)
    first = services.application_apply(actor=world.student, programme=p)
    users = [
        make_user(f"s{i}", Role.STUDENT, world.middle_school, birth_year=2012)
        for i in range(2)
    ]
    a2 = services.application_apply(actor=users[0], programme=p)
    a3 = services.application_apply(actor=users[1], programme=p)
    services.application_withdraw(actor=world.student, application_id=first.pk)
    later = timezone.now() + timedelta(hours=p.offer_hours + 1)
    with pytest.raises(DomainError):
        services.application_confirm(actor=users[0], application_id=a2.pk, now=later)
    assert services.offers_expire_due(now=later) == 1
    a2.refresh_from_db()
    a3.refresh_from_db()
    assert a2.status == S.EXPIRED and a3.status == S.OFFERED


def test_the_expiry_task_runs_through_django_tasks(world):
    assert offers_expire_due.enqueue().return_value == 0


def test_someone_else_cannot_withdraw_my_application(world):
    p = make_programme(world.centre_staff, world.centre)
    app = services.application_apply(actor=world.student, programme=p)
    with pytest.raises(DomainError):
        services.application_withdraw(actor=world.other_teacher, application_id=app.pk)
    app.refresh_from_db()
    assert app.status == S.SELECTED


def test_a_draft_programme_takes_no_applications(world):
    p = make_programme(world.centre_staff, world.centre, publish=False)
    _refused("not_open", services.application_apply, actor=world.student, programme=p)
    assert Programme.objects.get(pk=p.pk).status == "draft"


def test_cancelling_a_programme_tells_applicants_and_offers_nothing_more(world):
    p = make_programme(world.centre_staff, world.centre, capacity=1)
    first = services.application_apply(actor=world.student, programme=p)
    other = make_user("student2", Role.STUDENT, world.middle_school, birth_year=2012)
    second = services.application_apply(actor=other, programme=p)
    services.programme_set_status(
        actor=world.centre_staff, programme=p, status="cancelled"
    )
    assert Notification.objects.filter(user=other, kind="programs.cancelled").exists()
    services.application_withdraw(actor=world.student, application_id=first.pk)
    second.refresh_from_db()
    assert second.status == S.WAITLISTED


def test_vulnerability_declarations_are_erased_after_the_programme(world):
    p = make_programme(
        world.centre_staff,
        world.centre,
        selection="lottery",
        past_sessions=True,
        grade_min=1,
        grade_max=12,
    )
    app = services.application_apply(
        actor=world.student, programme=p, declare_priority=True
    )
    assert services.declarations_purge() == 0  # sessions ended 20 days ago: kept
    later = timezone.now() + timedelta(days=100)
    assert services.declarations_purge(now=later) == 1
    app.refresh_from_db()
    assert app.vulnerability_declaration == "" and app.priority
