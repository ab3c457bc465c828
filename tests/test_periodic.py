"""`nanum periodic` enqueues every rhythm's tasks, and each one runs cleanly."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus

from nanum.schedule import SCHEDULE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rhythm", ["frequent", "daily", "weekly"])
def test_every_periodic_task_succeeds_on_a_live_world(world, rhythm):
    # The test settings run tasks inline; a task that raised would be FAILED.
    for task in SCHEDULE[rhythm]:
        result = task.enqueue()
        assert result.status == TaskResultStatus.SUCCESSFUL, task.module_path


def test_the_command_lists_what_it_enqueued(world, capsys):
    call_command("periodic", "daily")
    out = capsys.readouterr().out
    assert out.count("enqueued ") == len(SCHEDULE["daily"])
