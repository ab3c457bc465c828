"""The periodic schedule: which tasks each rhythm enqueues (``nanum periodic``).

Schedule with cron (or a systemd timer), one line per rhythm:

    */15 * * * *  nanum periodic frequent
    10 3 * * *    nanum periodic daily
    30 4 * * 1    nanum periodic weekly

and keep ``nanum worker`` running (it serves every queue: default, mail, ml).
"""

from __future__ import annotations

from typing import Any

from nanum.core import tasks as core
from nanum.insights import tasks as insights
from nanum.learner_model import tasks as learner_model
from nanum.learning import tasks as learning
from nanum.lending import tasks as lending
from nanum.mentoring import tasks as mentoring
from nanum.programs import tasks as programs

RHYTHMS = ("frequent", "daily", "weekly")

SCHEDULE: dict[str, list[Any]] = {
    # Offers with a deadline of hours, draws due after an application period.
    "frequent": [
        # Tasks whose worker died: RUNNING past their lease go back to READY.
        core.tasks_requeue_stale,
        lending.expire_offers,
        programs.offers_expire_due,
        programs.draws_due,
        learning.places_allocate,
        # A reminder about a day before the consultation, not at the daily run's hour.
        mentoring.counselling_reminders_send,
    ],
    "daily": [
        core.access_log_purge,
        core.login_failures_purge,
        lending.overdue_reminders,
        lending.zeus_sync,
        learning.daily,
        mentoring.sessions_check_missed,
        mentoring.documents_purge,
        programs.declarations_purge,
        insights.equity_refresh,
        insights.research_exports_expire,
        insights.need_index_roll_year,
    ],
    "weekly": [learner_model.retrain],
}
