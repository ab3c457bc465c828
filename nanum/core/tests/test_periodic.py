"""`nanum periodic` enqueues every rhythm's tasks, and each one runs cleanly."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rhythm", ["frequent", "daily", "weekly"])
def test_every_periodic_task_runs_on_a_live_world(world, rhythm, capsys):
    # The test settings run tasks inline, so a failing task fails this test.
    call_command("periodic", rhythm)
    out = capsys.readouterr().out
    assert out.count("enqueued ") >= 1
