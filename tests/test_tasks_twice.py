"""Every task is safe to run twice.

A worker may die after a task's work committed but before the task was marked done,
or the lease sweep may re-queue a task that was merely slow: the task then runs a
second time. Each test here runs a task twice, as the worker would, and checks that
its side effect (notices, e-mails, state changes) happened exactly once.

Tasks proven elsewhere: ``core.notification_email`` and ``lending.run_round``
(tests/test_worker.py), ``core.tasks_requeue_stale`` (tests/test_worker.py),
``lending.import_catalogue`` (nanum/lending/tests/test_imports_limits.py),
``mentoring.match_run_compute`` (nanum/mentoring/tests/test_run_task.py),
``mentoring.sessions_check_missed`` and ``mentoring.counselling_reminders_send``
(nanum/mentoring/tests/test_sessions_and_counselling.py), ``learning.places_allocate``
(nanum/learning/tests/test_review_and_quota.py).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from nanum.core import services as core_services
from nanum.core import tasks as core_tasks
from nanum.core.models import AccessLog, IdempotencyRecord, Notification, Role
from nanum.core.testing import UserFactory, make_user
from nanum.learner_model import tasks as learner_tasks
from nanum.learner_model.models import ModelArtefact
from nanum.learning import tasks as learning_tasks
from nanum.learning.models import Application as LearningApplication
from nanum.learning.models import Course, Interaction, Item, Lesson
from nanum.learning.models import Status as LearningStatus
from nanum.learning.services.applications import application_approve
from nanum.learning.tests.conftest import (  # noqa: F401  (fixtures)
    apply_for,
    new_student,
    provider_seats,
    towns,
)
from nanum.lending import services as lending_services
from nanum.lending import tasks as lending_tasks
from nanum.lending.models import Reservation
from nanum.lending.tests.helpers import book, lending  # noqa: F401  (the fixture)
from nanum.programs import services as programs_services
from nanum.programs import tasks as programs_tasks
from nanum.programs.models import Application, Programme
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail", "ml"],
    }
}
S = Application.Status


def _outbox_to(user) -> int:
    return sum(user.email in m.to for m in mail.outbox)


# --- programmes ---------------------------------------------------------------------------


def _closed_lottery(world, n: int = 6, capacity: int = 2) -> Programme:
    p = make_programme(
        world.centre_staff,
        world.centre,
        selection="lottery",
        capacity=capacity,
        priority_share="0.50",
        grade_min=1,
        grade_max=12,
    )
    for i in range(n):
        u = make_user(f"twice{i}", Role.STUDENT, world.middle_school, birth_year=2012)
        programs_services.application_apply(actor=u, programme=p)
    Programme.objects.filter(pk=p.pk).update(
        apply_closes_at=timezone.now() - timedelta(minutes=1)
    )
    return p


def test_the_draw_and_its_notices_run_twice_draw_once_and_tell_each_applicant_once(
    world,
):
    p = _closed_lottery(world)
    applicants = [a.applied_by for a in p.applications.all()]
    notes = Notification.objects.filter(
        kind="programs.application", user__in=applicants
    )
    before, mails_before = notes.count(), len(mail.outbox)

    # The draw task commits the draw and queues draw_notify (run after the commit).
    assert programs_tasks.draws_due.call() == 1
    p.refresh_from_db()
    digest = p.draw_digest
    assert notes.count() == before + 6
    assert len(mail.outbox) == mails_before + 6
    assert not p.applications.filter(draw_notified_at__isnull=True).exists()

    # Both tasks delivered again: nothing redrawn, nobody told twice.
    assert programs_tasks.draws_due.call() == 0
    assert programs_tasks.draw_notify.call(p.pk) == 0
    p.refresh_from_db()
    assert p.draw_digest == digest
    assert notes.count() == before + 6
    assert len(mail.outbox) == mails_before + 6
    for user in applicants:
        assert (
            Notification.objects.filter(
                kind="programs.application", user=user, created_at__gte=p.drawn_at
            ).count()
            == 1
        )


def test_draw_notify_tells_only_applicants_not_yet_told(world):
    p = _closed_lottery(world, n=4)
    programs_services.draws_due()
    told = p.applications.order_by("pk").first()
    assert told is not None
    # A run that died after telling some: the others are still unmarked.
    p.applications.exclude(pk=told.pk).update(draw_notified_at=None)
    notes = Notification.objects.filter(kind="programs.application")
    before, told_before = notes.count(), notes.filter(user=told.applied_by).count()
    assert programs_tasks.draw_notify.call(p.pk) == 3
    assert notes.count() == before + 3
    assert notes.filter(user=told.applied_by).count() == told_before
    assert programs_tasks.draw_notify.call(p.pk) == 0
    assert notes.count() == before + 3


def test_an_offer_expiry_run_twice_expires_it_and_offers_the_place_once(world):
    p = _closed_lottery(world, n=4, capacity=2)
    programs_services.draws_due()
    winner = p.applications.filter(status=S.SELECTED).first()
    assert winner is not None and winner.participant is not None
    programs_services.application_withdraw(
        actor=winner.participant, application_id=winner.pk
    )
    offered = p.applications.get(status=S.OFFERED)
    Application.objects.filter(pk=offered.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    expired_notes = Notification.objects.filter(kind="programs.offer_expired")
    offers = Notification.objects.filter(kind="programs.offer")
    offers_before = offers.count()

    assert programs_tasks.offers_expire_due.call() == 1
    assert programs_tasks.offers_expire_due.call() == 0
    assert programs_tasks.offer_expire.call(offered.pk) is False
    offered.refresh_from_db()
    assert offered.status == S.EXPIRED
    assert expired_notes.count() == 1
    assert offers.count() == offers_before + 1  # the next on the list, once
    assert p.applications.filter(status=S.OFFERED).count() == 1


def test_the_declarations_purge_run_twice_erases_once(world):
    p = make_programme(world.centre_staff, world.centre, past_sessions=True)
    app = programs_services.application_apply(
        actor=world.student, programme=p, declare_priority=True
    )
    assert app.vulnerability_declaration
    p.sessions.update(
        starts_at=timezone.now() - timedelta(days=120),
        ends_at=timezone.now() - timedelta(days=120),
    )
    assert programs_tasks.declarations_purge.call() == 1
    assert programs_tasks.declarations_purge.call() == 0
    app.refresh_from_db()
    assert app.vulnerability_declaration == "" and app.priority


# --- lending ------------------------------------------------------------------------------


def test_overdue_reminders_run_twice_a_day_remind_once_a_day(
    world,
    lending,  # noqa: F811
):
    r = book(world, lending)
    lending_services.checkout(
        actor=world.district_bank_officer,
        reservation_id=r.pk,
        tag_codes=["MICROSCOPE-001"],
    )
    today = timezone.localdate()
    Reservation.objects.filter(pk=r.pk).update(
        start_date=today - timedelta(days=5), end_date=today - timedelta(days=2)
    )
    reminders = Notification.objects.filter(user=world.teacher, kind="lending.overdue")
    mails_before = _outbox_to(world.teacher)

    assert lending_tasks.overdue_reminders.call() == 1
    assert lending_tasks.overdue_reminders.call() == 0
    r.refresh_from_db()
    assert r.reminders_sent == 1 and r.last_reminded_on == today
    assert reminders.count() == 1
    assert _outbox_to(world.teacher) == mails_before + 1

    # The next day it reminds again, once.
    tomorrow = today + timedelta(days=1)
    assert lending_services.overdue_remind(now=tomorrow) == 1
    assert lending_services.overdue_remind(now=tomorrow) == 0
    assert reminders.count() == 2
    assert _outbox_to(world.teacher) == mails_before + 2


def test_the_offer_expiry_sweep_run_twice_expires_once(
    world,
    lending,  # noqa: F811
):
    first = book(world, lending, qty=3)
    waiting = book(world, lending, qty=1, start=1, end=2, waitlist=True)
    lending_services.reservation_cancel(actor=world.teacher, reservation_id=first.pk)
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    Reservation.objects.filter(pk=waiting.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    expired = Notification.objects.filter(user=world.teacher, kind="lending.expired")
    assert lending_tasks.expire_offers.call() == 1
    assert lending_tasks.expire_offers.call() == 0
    waiting.refresh_from_db()
    assert waiting.status == "expired"
    assert expired.count() == 1


# --- core ---------------------------------------------------------------------------------


def _reset_request(world) -> None:
    core_services.password_reset_request(
        email=world.teacher.email, domain="nanum.test", use_https=True, language="ko"
    )


def test_a_password_reset_task_run_again_sends_nothing(world, settings):
    settings.TASKS = DB_TASKS
    _reset_request(world)
    task = DBTaskResult.objects.get()
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.teacher.email]
    assert IdempotencyRecord.objects.filter(user=world.teacher).count() == 1

    # The worker died before marking it done: the sweep puts it back, it runs again.
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
        finished_at=None,
    )
    assert core_services.tasks_requeue_stale() == 1
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1

    # A new request is a new task: it sends a new link.
    _reset_request(world)
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    assert len(mail.outbox) == 2
    assert IdempotencyRecord.objects.filter(user=world.teacher).count() == 2


def test_a_password_reset_whose_send_failed_sends_on_its_retry(
    world, settings, monkeypatch
):
    settings.TASKS = DB_TASKS
    _reset_request(world)
    task = DBTaskResult.objects.get()

    def refuse(*args: object, **kwargs: object) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr(LocmemBackend, "send_messages", refuse)
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.FAILED
    assert not IdempotencyRecord.objects.exists()  # the claim was rolled back
    retry = DBTaskResult.objects.exclude(pk=task.pk).get()
    assert retry.status == TaskResultStatus.READY and retry.run_after is not None
    monkeypatch.undo()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.teacher.email]
    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.SUCCESSFUL


def test_the_access_log_purge_run_twice_deletes_once(world):
    core_services.access_record(
        actor=world.seoul_officer,
        action="view",
        subject=world.student,
        object_type="test",
    )
    AccessLog.objects.update(at=timezone.now() - timedelta(days=3 * 365))
    assert core_tasks.access_log_purge.call() == 1
    assert core_tasks.access_log_purge.call() == 0


# --- Seoul Learn --------------------------------------------------------------------------


def _member(world, apply_for, tenant, officer, **kw):  # noqa: F811
    student = new_student(world.middle_school)
    app = apply_for(student, tenant, **kw)
    application_approve(
        actor=officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
        verified_until=timezone.localdate() + timedelta(days=365),
    )
    return LearningApplication.objects.get(pk=app.pk)


def test_the_daily_round_run_twice_ends_and_gives_places_once(
    world,
    towns,  # noqa: F811
    apply_for,  # noqa: F811
):
    towns["gimpo"].quota_total = 1
    towns["gimpo"].save()
    ending = _member(
        world, apply_for, world.gimpo, world.gimpo_officer, school_level="high"
    )
    waiting = _member(
        world, apply_for, world.gimpo, world.gimpo_officer, school_level="high"
    )
    assert waiting.status == LearningStatus.WAITING
    LearningApplication.objects.filter(pk=ending.pk).update(
        valid_until=date(2020, 1, 1)
    )
    ended = Notification.objects.filter(
        user=ending.student, kind="learning.application"
    )
    placed = Notification.objects.filter(user=waiting.student, kind="learning.place")
    ended_before, placed_before = ended.count(), placed.count()

    first = learning_tasks.daily.call()
    second = learning_tasks.daily.call()
    assert first["expired"] == 1 and second["expired"] == 0
    assert ended.count() == ended_before + 1
    assert placed.count() == placed_before + 1
    waiting.refresh_from_db()
    assert waiting.status == LearningStatus.APPROVED


def test_the_monthly_minimum_check_run_twice_warns_and_does_not_restrict(
    world,
    provider_seats,  # noqa: F811
    apply_for,  # noqa: F811
):
    app = _member(world, apply_for, world.pyeongchang, world.pyeongchang_officer)
    LearningApplication.objects.filter(pk=app.pk).update(
        place_since=timezone.now() - timedelta(days=70)
    )
    low_use = Notification.objects.filter(user=app.student, kind="learning.low_use")
    assert learning_tasks.monthly_minimum_check.call() == {
        "warned": 1,
        "restricted": 0,
    }
    assert learning_tasks.monthly_minimum_check.call() == {
        "warned": 0,
        "restricted": 0,
    }
    app.refresh_from_db()
    assert app.usage_warned_at is not None and app.restricted_at is None
    assert low_use.count() == 1


def test_the_renewal_reminders_and_inactivity_sweep_run_twice_act_once(
    world,
    provider_seats,  # noqa: F811
    apply_for,  # noqa: F811
):
    app = _member(world, apply_for, world.seoul, world.seoul_officer)
    LearningApplication.objects.filter(pk=app.pk).update(
        valid_until=timezone.localdate() + timedelta(days=10)
    )
    assert learning_tasks.renewal_reminders.call() == 1
    assert learning_tasks.renewal_reminders.call() == 0
    assert learning_tasks.inactivity_sweep.call() == {"warned": 0, "reclaimed": 0}
    assert learning_tasks.retention_purge.call() == {"documents": 0, "anonymised": 0}


# --- learner model ------------------------------------------------------------------------


def _answers(n_students: int = 30, answers: int = 12) -> None:
    rng = random.Random(3)
    course = Course.objects.create(title="시험", subject="수학", school_level="middle")
    lesson = Lesson.objects.create(
        course=course, order=1, title="[9수01-01]", skills=["[9수01-01]"]
    )
    items = [
        Item.objects.create(
            lesson=lesson,
            order=n + 1,
            prompt=f"q{n}",
            choices=["a", "b"],
            answer=0,
            skills=["[9수01-01]"],
        )
        for n in range(6)
    ]
    students = [UserFactory.create(username=f"kt{k}") for k in range(n_students)]
    Interaction.objects.bulk_create(
        Interaction(
            student=student,
            item=item,
            skills=["[9수01-01]"],
            correct=rng.random() < 0.6,
        )
        for student in students
        for item in (rng.choice(items) for _ in range(answers))
    )


def test_retraining_run_twice_on_the_same_answers_trains_once(
    world, settings, tmp_path
):
    settings.NANUM_ARTIFACT_DIR = tmp_path
    _answers()
    assert learner_tasks.retrain.call().startswith("activated")
    active = ModelArtefact.objects.get(is_active=True)
    assert learner_tasks.retrain.call() == "skipped: unchanged"
    assert ModelArtefact.objects.get() == active  # nothing trained nor registered
