"""Background tasks of insights: call one service, return a small value."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def equity_refresh() -> int:
    """Run daily: rebuild the equity facts from the other apps."""
    return services.equity_refresh()


@task()
def research_exports_expire() -> int:
    """Run daily: expired research files lose their content."""
    return services.research_exports_expire()


@task()
def need_index_roll_year() -> int:
    """Run daily: on the turn of the year, each school's current index moves on."""
    return services.need_index_roll_year()
