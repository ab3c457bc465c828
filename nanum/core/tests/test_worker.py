"""Background tasks go through the database queue and `nanum worker` runs them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult

from nanum.core import services

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail", "ml"],
    }
}


def test_notification_email_waits_in_the_queue_until_the_worker_runs(
    world, settings, mailoutbox
):
    settings.TASKS = DB_TASKS  # django-tasks rebuilds its backends on setting_changed
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    services.notification_send(user=world.teacher, kind="test", subject="반납 안내")
    assert len(mailoutbox) == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("worker", batch=True, no_startup_delay=True, queue_name="*")
    assert len(mailoutbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
