"""The free-unit counts behind the search, as plain SQL.

The ORM spelling (a COUNT filtered by NOT EXISTS, one annotation per shifted window)
costs more to compile than to run; these read the same rows with one statement each.
Portable SQL (PostgreSQL and SQLite): the period tests use the partial index
``lending_alloc_active`` (asset, blocked_until, blocked_from) WHERE active.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection

from ..models import Allocation, Asset

_ASSET = Asset._meta.db_table
_ALLOC = Allocation._meta.db_table


def _marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _day(d: date) -> Any:
    return connection.ops.adapt_datefield_value(d)


def free_units(
    model_ids: Sequence[int],
    windows: Sequence[tuple[date, date]],
    *,
    bank_ids: Iterable[int] | None = None,
) -> list[tuple[int, int, list[int]]]:
    """Bookable units free for each blocked window, per (model, home bank).

    Returns (model id, bank id, [free units in window 0, window 1, ...]); banks whose
    units are all busy are listed with 0, so that they can be shown as such.
    """
    if not model_ids or not windows:
        return []
    # Only table names (constants) and %s placeholders are put into the text.
    busy = (
        f"SUM(CASE WHEN EXISTS (SELECT 1 FROM {_ALLOC} l WHERE l.asset_id = a.id "  # noqa: S608
        "AND l.active AND l.blocked_until >= %s AND l.blocked_from <= %s) "
        "THEN 0 ELSE 1 END)"
    )
    select = ", ".join(busy for _ in windows)
    params: list[Any] = []
    for start, end in windows:
        params += [_day(start), _day(end)]
    statuses = list(Asset.BOOKABLE)
    where = (
        f"a.equipment_id IN ({_marks(model_ids)}) AND a.status IN ({_marks(statuses)})"
    )
    params += [*model_ids, *statuses]
    if bank_ids is not None:
        banks = list(bank_ids)
        if not banks:
            return []
        where += f" AND a.home_bank_id IN ({_marks(banks)})"
        params += banks
    sql = (
        f"SELECT a.equipment_id, a.home_bank_id, {select} FROM {_ASSET} a "  # noqa: S608
        f"WHERE {where} GROUP BY a.equipment_id, a.home_bank_id "
        "ORDER BY a.equipment_id, a.home_bank_id"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [(row[0], row[1], [int(n) for n in row[2:]]) for row in cur.fetchall()]
