"""The outbox: a task is queued with the write that causes it, and nothing after the
commit can change the answer; the notification e-mail is sent once however often it runs.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.models import DBTaskResult

from nanum.core import services, tasks
from nanum.core.models import Notification

DB_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail", "ml"],
    }
}


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_the_task_row_commits_and_rolls_back_with_the_write(world, settings):
    settings.TASKS = DB_TASKS
    with transaction.atomic():
        note = services.notification_send(user=world.teacher, kind="t", subject="예약")
        # Queued inside the transaction, not after it.
        queued = DBTaskResult.objects.get()
        assert queued.task_path == tasks.notification_email.module_path
        assert queued.args_kwargs["args"] == [note.pk]
        assert queued.queue_name == "mail"
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1

    with pytest.raises(Boom), transaction.atomic():
        services.notification_send(user=world.teacher, kind="t", subject="취소됨")
        raise Boom
    assert Notification.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_enqueue_failing_after_commit_is_logged_not_raised(
    world, monkeypatch, caplog
):
    assert isinstance(task_backends["default"], ImmediateBackend)

    def broken(*args: object, **kwargs: object) -> None:
        raise OperationalError("the database went away")

    monkeypatch.setattr(ImmediateBackend, "enqueue", broken)
    with transaction.atomic():
        services.notification_send(user=world.teacher, kind="t", subject="예약")
    # The write stands and the caller was not told about the failed side effect.
    assert Notification.objects.filter(subject="예약").exists()
    assert "failed after commit" in caplog.text


@pytest.mark.django_db
def test_the_notification_email_is_sent_once_when_the_task_runs_twice(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = services.notification_send(user=world.teacher, kind="t", subject="반납")
    assert len(mailoutbox) == 1
    first = Notification.objects.get(pk=note.pk).emailed_at
    assert first is not None
    # A re-queued copy of the task (dead worker, duplicate enqueue) sends nothing.
    assert tasks.notification_email.call(note.pk) is False
    assert services.notification_email_send(notification_id=note.pk) is False
    assert len(mailoutbox) == 1
    assert Notification.objects.get(pk=note.pk).emailed_at == first


@pytest.mark.django_db(transaction=True)
def test_a_refused_send_keeps_the_mail_unsent_and_queues_a_retry(
    world, settings, mailoutbox, monkeypatch
):
    settings.TASKS = DB_TASKS
    note = services.notification_send(user=world.teacher, kind="t", subject="승인")

    def refused(**kwargs: object) -> int:
        raise smtplib.SMTPServerDisconnected("mail server away")

    monkeypatch.setattr("nanum.core.services.notifications.send_mail", refused)
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert failed.args_kwargs["args"] == [note.pk]
    # The claim rolled back with the failed send: the e-mail is still owed.
    assert Notification.objects.get(pk=note.pk).emailed_at is None
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["args"] == [note.pk, 1]
    assert retry.run_after > timezone.now() + timedelta(seconds=30)

    # The server is back and the retry is due: the worker sends it, once.
    monkeypatch.undo()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    assert len(mailoutbox) == 1 and "승인" in mailoutbox[0].subject
    assert Notification.objects.get(pk=note.pk).emailed_at is not None
    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
def test_backlog_counts_ready_tasks_and_the_oldest_ones_age(world, settings):
    settings.TASKS = DB_TASKS
    now = timezone.now()
    tasks.access_log_purge.enqueue()
    old = tasks.access_log_purge.enqueue()
    DBTaskResult.objects.filter(pk=old.id).update(
        enqueued_at=now - timedelta(seconds=300)
    )
    # Deferred into the future: not READY to run yet, so not backlog.
    tasks.access_log_purge.using(run_after=now + timedelta(hours=1)).enqueue()
    # Running or finished tasks are not backlog either.
    done = tasks.login_failures_purge.enqueue()
    DBTaskResult.objects.filter(pk=done.id).update(status=TaskResultStatus.SUCCESSFUL)

    backlog = services.tasks_backlog(now=now)
    assert backlog["default"]["ready"] == 2
    assert 299 <= backlog["default"]["oldest_age_s"] <= 301
    assert backlog["mail"] == {"ready": 0, "oldest_age_s": 0}
    assert backlog["ml"] == {"ready": 0, "oldest_age_s": 0}

    health = Client().get("/healthz")
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["tasks"]["default"]["ready"] == 2
    assert body["tasks"]["default"]["oldest_age_s"] >= 299
    assert set(body["tasks"]) == {"default", "mail", "ml"}


def test_each_queue_has_a_lease_and_ml_a_long_one(settings):
    settings.NANUM_TASK_LEASE_SECONDS = 600
    assert services.task_lease_seconds("default") == 600
    assert services.task_lease_seconds("mail") == 600
    assert services.task_lease_seconds("ml") == 6 * 3600
    settings.NANUM_TASK_LEASE_SECONDS = 30
    assert services.task_lease_seconds("mail") == 30
