"""`nanum worker` serves every queue, re-queues tasks of dead workers, and a committed
write is answered as committed whatever happens to its side effects after the commit.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command, load_command_class
from django.db import OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

import nanum
from nanum import cli
from nanum.core import services
from nanum.core import tasks as core_tasks
from nanum.core.models import Notification
from nanum.lending import services as lending_services
from nanum.lending import tasks as lending_tasks
from nanum.lending.models import Reservation
from nanum.lending.tests.helpers import lending  # noqa: F401  (the fixture)
from nanum.schedule import SCHEDULE

pytestmark = pytest.mark.django_db(transaction=True)

README = Path(__file__).resolve().parent.parent / "README.md"
DB_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail", "ml"],
    }
}


def project_tasks() -> list[Task]:
    found = []
    for info in pkgutil.iter_modules(nanum.__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"nanum.{info.name}.tasks")
        except ModuleNotFoundError:
            continue
        found += [v for v in vars(module).values() if isinstance(v, Task)]
    return found


def worker_queues(argv: list[str]) -> set[str]:
    """The queues a documented ``nanum worker ...`` command line serves."""
    assert cli.ALIASES[argv[0]] == "worker"
    command = load_command_class("nanum", "worker")
    opts = command.create_parser("nanum", "worker").parse_args(argv[1:])
    names = set(opts.queue_name.split(","))
    queues = set(django_settings.TASKS["default"]["QUEUES"])
    return queues if "*" in names else names & queues


def test_every_task_uses_a_configured_queue_served_by_the_documented_worker(settings):
    settings.TASKS = DB_TASKS  # as in production: the worker needs the database backend
    found = project_tasks()
    assert len(found) >= 20  # every app's tasks were found
    configured = set(django_settings.TASKS["default"]["QUEUES"])
    used = {t.queue_name for t in found}
    assert used <= configured, used - configured
    assert {"default", "mail", "ml"} <= used
    # The worker commands the README tells operators to run.
    documented = re.findall(r"^nanum (worker[^#\n]*)", README.read_text(), re.M)
    assert documented, "README names no worker command"
    served: set[str] = set()
    for line in documented:
        served |= worker_queues(line.split())
    assert used <= served, used - served


def test_the_worker_runs_tasks_of_every_queue(world, settings, mailoutbox):
    settings.TASKS = DB_TASKS
    note = services.notification_send(user=world.teacher, kind="t", subject="메일")
    core_tasks.access_log_purge.enqueue()
    core_tasks.login_failures_purge.using(queue_name="ml").enqueue()
    assert set(DBTaskResult.objects.values_list("queue_name", flat=True)) == {
        "default",
        "mail",
        "ml",
    }
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }
    assert len(mailoutbox) == 1
    assert Notification.objects.get(pk=note.pk).emailed_at is not None


def test_an_in_process_worker_leaves_no_signal_handlers_behind(world, settings):
    # db_worker binds SIGINT/SIGTERM/SIGQUIT to its worker and never unbinds them; left
    # in place, a process forked later (a multiprocessing pool in a race test) ignored its
    # first SIGTERM and Pool.terminate() waited for it forever.
    settings.TASKS = DB_TASKS
    names = [n for n in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, n)]
    before = {n: signal.getsignal(getattr(signal, n)) for n in names}
    core_tasks.access_log_purge.enqueue()
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    after = {n: signal.getsignal(getattr(signal, n)) for n in names}
    assert after == before


def _running(task_id: UUID | str, seconds_ago: float) -> None:
    DBTaskResult.objects.filter(pk=task_id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=seconds_ago),
        worker_ids=["killed-worker"],
    )


def test_a_task_left_running_by_a_killed_worker_is_requeued_and_run(
    world, settings, mailoutbox
):
    settings.TASKS = DB_TASKS
    settings.NANUM_TASK_LEASE_SECONDS = 600
    note = services.notification_send(user=world.teacher, kind="t", subject="대여 승인")
    dead = DBTaskResult.objects.get()
    _running(dead.pk, 601)
    young = core_tasks.access_log_purge.enqueue()
    _running(young.id, 30)
    training = core_tasks.login_failures_purge.using(queue_name="ml").enqueue()
    _running(training.id, 3600)  # an hour of training is within the ml lease

    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)

    dead.refresh_from_db()
    assert dead.status == TaskResultStatus.SUCCESSFUL
    assert len(mailoutbox) == 1 and "대여 승인" in mailoutbox[0].subject
    assert Notification.objects.get(pk=note.pk).emailed_at is not None
    assert DBTaskResult.objects.get(pk=young.id).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=training.id).status == TaskResultStatus.RUNNING


def test_two_sweeps_requeue_a_stale_task_once(world, settings):
    settings.TASKS = DB_TASKS
    stale = core_tasks.access_log_purge.enqueue()
    _running(stale.id, 3600)
    finished = core_tasks.access_log_purge.enqueue()
    _running(finished.id, 3600)
    DBTaskResult.objects.filter(pk=finished.id).update(
        status=TaskResultStatus.SUCCESSFUL
    )
    assert services.tasks_requeue_stale() == 1
    assert services.tasks_requeue_stale() == 0
    row = DBTaskResult.objects.get(pk=stale.id)
    assert row.status == TaskResultStatus.READY and row.started_at is None
    assert DBTaskResult.objects.get(pk=finished.id).status == (
        TaskResultStatus.SUCCESSFUL
    )


def test_the_frequent_rhythm_sweeps_stale_tasks(world, settings):
    assert core_tasks.tasks_requeue_stale in SCHEDULE["frequent"]
    settings.TASKS = DB_TASKS
    stale = core_tasks.access_log_purge.enqueue()
    _running(stale.id, 3600)
    call_command("periodic", "frequent")
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    assert DBTaskResult.objects.get(pk=stale.id).status == TaskResultStatus.SUCCESSFUL


# --- A committed write is answered as committed ------------------------------------------


def booking(world, lending) -> dict[str, object]:  # noqa: F811
    return {
        "equipment_id": lending.microscope.pk,
        "bank_id": world.district_bank.pk,
        "school_id": world.small_school.pk,
        "quantity": 1,
        "start_date": str(lending.day(0)),
        "end_date": str(lending.day(2)),
        "purpose": "현미경 관찰",
        "fulfilment": "pickup",
    }


def test_a_booking_whose_side_effect_fails_after_commit_still_answers_201(
    world,
    lending,  # noqa: F811
    client,
    api_token,
    monkeypatch,
):
    def broken(*args: object, **kwargs: object) -> None:
        raise OperationalError("the database went away after the commit")

    monkeypatch.setattr(ImmediateBackend, "enqueue", broken)
    resp = client.post(
        "/api/v1/lending/reservations",
        booking(world, lending),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.teacher)}",
    )
    assert resp.status_code == 201, resp.content
    r = Reservation.objects.get(pk=resp.json()["id"])
    assert Notification.objects.filter(user=r.requested_by).exists()


def test_a_web_booking_whose_side_effect_fails_after_commit_still_redirects(
    world,
    lending,  # noqa: F811
    client_for,
    monkeypatch,
):
    def broken(*args: object, **kwargs: object) -> None:
        raise OperationalError("the database went away after the commit")

    monkeypatch.setattr(ImmediateBackend, "enqueue", broken)
    resp = client_for(world.teacher).post(
        "/lending/reserve/",
        {
            "equipment": lending.microscope.pk,
            "bank": world.district_bank.pk,
            "school": world.small_school.pk,
            "quantity": 1,
            "start_date": lending.day(0),
            "end_date": lending.day(2),
            "fulfilment": "pickup",
            "purpose": "세포 관찰",
        },
    )
    r = Reservation.objects.get()
    assert resp.status_code == 302
    assert resp["Location"].endswith(f"/lending/reservations/{r.pk}/")


def test_with_the_database_backend_the_booking_and_its_email_commit_together(
    world,
    lending,  # noqa: F811
    client,
    api_token,
    settings,
    mailoutbox,
):
    settings.TASKS = DB_TASKS
    resp = client.post(
        "/api/v1/lending/reservations",
        booking(world, lending),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.teacher)}",
    )
    assert resp.status_code == 201
    assert Reservation.objects.filter(pk=resp.json()["id"]).exists()
    queued = DBTaskResult.objects.filter(
        task_path=core_tasks.notification_email.module_path,
        status=TaskResultStatus.READY,
    )
    notes = Notification.objects.filter(user=world.teacher)
    assert queued.count() == notes.count() >= 1
    assert len(mailoutbox) == 0  # nothing is sent by the request itself
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    assert len(mailoutbox) == notes.count()


# --- Every task is safe to run twice ------------------------------------------------------


def test_an_allocation_round_task_run_twice_allocates_once(
    world,
    lending,  # noqa: F811
):
    rnd = lending_services.round_create(
        actor=world.district_bank_officer,
        bank_id=world.district_bank.pk,
        name="개학 주간",
        window_start=lending.day(0),
        window_end=lending.day(30),
        collect_until=timezone.now() + timedelta(days=1),
    )
    assert lending_tasks.run_round.call(rnd.pk, 7) == rnd.pk
    rnd.refresh_from_db()
    first = (rnd.status, rnd.seed)
    assert rnd.status != rnd.Status.COLLECTING
    # A re-queued copy finds the round allocated: no error, nothing redrawn.
    assert lending_tasks.run_round.call(rnd.pk, 99) == rnd.pk
    rnd.refresh_from_db()
    assert (rnd.status, rnd.seed) == first


def test_a_notification_task_run_twice_by_two_workers_sends_once(
    world, settings, mailoutbox
):
    settings.TASKS = DB_TASKS
    note = services.notification_send(user=world.teacher, kind="t", subject="두 번")
    core_tasks.notification_email.enqueue(note.pk)  # a duplicate in the queue
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2
    assert len(mailoutbox) == 1
