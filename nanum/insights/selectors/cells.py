"""The one small-cell rule of insights: which counts of people may be shown.

Every breakdown below the office level (the dashboard's cells and totals for district
office staff and town officers, their CSV/Excel files, the API, the charts and their
tables, and the research aggregates) goes through :func:`cells_to_hide`:

- a cell of 1..k-1 people is hidden (primary suppression);
- the hidden cells together must not be recoverable from a shown total: while only one
  cell is hidden, or the hidden cells hold 1..k-1 people between them, the next
  smallest shown cell is hidden too (complementary suppression);
- a total of 1..k-1 people is hidden with every cell under it, and so is a total whose
  hidden cells could not be covered.

A person may be counted in two cells (requests in two categories): cells then do not
add up to the total. ``multi`` lists, for each such person, the cells they are in, and
the hidden cells are covered only when the people in no shown cell number 0 or k+,
and the total less the shown cells (what a reader can subtract) is not 1..k-1 either.

Cells that another view would give away by subtraction (``also``) start hidden.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Hidden:
    cells: frozenset[int]  # indices of the cells to hide
    total: bool  # whether the total must be hidden too


def is_small(people: int | None, k: int) -> bool:
    return people is not None and 0 < people < k


def cells_to_hide(
    people: Sequence[int],
    *,
    k: int,
    total: int | None = None,
    also: Collection[int] = (),
    total_also: bool = False,
    multi: Sequence[Collection[int]] = (),
) -> Hidden:
    """Which of ``people`` (a count per cell) to hide, and whether the total too."""
    if total_also or is_small(total, k):
        return Hidden(cells=frozenset(range(len(people))), total=True)
    hide = {i for i, p in enumerate(people) if is_small(p, k)} | set(also)

    def exposed() -> bool:
        held = sum(people[i] for i in hide)
        # The people in hidden cells only: each person counted in several cells is
        # taken off once per hidden cell and added back once if all theirs are hidden.
        alone = held
        for cells in multi:
            inside = sum(1 for i in cells if i in hide)
            alone -= inside - (1 if inside == len(cells) else 0)
        residual = (
            None
            if total is None
            else total - sum(p for i, p in enumerate(people) if i not in hide)
        )
        return len(hide) == 1 or 0 < held < k or 0 < alone < k or is_small(residual, k)

    while hide and exposed():
        shown = [i for i in range(len(people)) if i not in hide and people[i] > 0]
        if not shown:
            return Hidden(cells=frozenset(range(len(people))), total=True)
        hide.add(min(shown, key=lambda i: (people[i], i)))
    return Hidden(cells=frozenset(hide), total=False)
