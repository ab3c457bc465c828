"""Fast block scores from per-class tables: a few operations per student–mentor cell.

A pair's score splits into parts that each depend on a small "class" of the student:

- the course part (shared subjects at the student's level, first subject): one row of
  ``course[a]`` per student course class ``a`` (subject set × level × first subject);
- the meeting part (mode, district reach, mentor gender): one row of ``meet[g]`` per
  student class ``g`` (online? × district × allowed genders);
- the hours part, which needs the individual weekly masks: ``HOURS[popcount(s & m)]``;
- the university bonus, added only for the few students who asked for one.

An infeasible part is ``NEG``, so any infeasible pair sums below zero and a feasible
one is exactly ``score.block_scores`` (checked by the tests). Students are processed in
groups of one course class against only the mentors who teach one of its courses;
a group's ``course + meet`` rows are added once, so a cell costs a row copy, an AND, a
popcount, a table look-up and an addition.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .problem import (
    MAX_HOURS,
    W_BASE,
    W_HOUR,
    W_OFFLINE_NEAR,
    W_PRIMARY,
    W_SUBJECT,
    W_UNIVERSITY,
)
from .score import Prepared

NEG = -10_000  # three of them still fit in int16
HOURS = np.array(
    [NEG] + [W_HOUR * min(h, MAX_HOURS) for h in range(1, 193)], dtype=np.int16
)


def _classes(*keys: NDArray) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Index of each row's class and one representative row per class."""
    stacked = np.stack([np.asarray(k).astype(np.int64) for k in keys], axis=1)
    _, first, inverse = np.unique(
        stacked, axis=0, return_index=True, return_inverse=True
    )
    return inverse.reshape(-1).astype(np.intp), first.astype(np.intp)


@dataclass
class Group:
    """Students of one course class against mentors who teach one of its courses."""

    rows: NDArray[np.intp]  # students
    cols: NDArray[np.intp]  # mentors
    table: NDArray[np.int16]  # (meeting classes in the group, len(cols)): course + meet
    row_class: NDArray[np.intp]  # per row: its row of ``table``


class Kernel:
    """Per-class score tables for one town (built once, then shared by every pass)."""

    def __init__(self, p: Prepared) -> None:
        self.p = p
        self.n, self.m = len(p.s_course), len(p.m_course)
        self.course_of, course_rep = _classes(p.s_course, p.s_pbit)
        self.meet_of, meet_rep = _classes(p.s_online, p.s_dbit, p.s_allow)
        shared = p.s_course[course_rep, None] & p.m_course[None, :]
        course = W_BASE + W_SUBJECT * np.bitwise_count(shared).astype(np.int16)
        course += W_PRIMARY * ((shared & p.s_pbit[course_rep, None]) != 0)
        self.course = np.where(shared != 0, course, NEG).astype(np.int16)
        offline = (p.s_dbit[meet_rep, None] & p.m_reach[None, :]) != 0
        ok = offline | (p.s_online[meet_rep, None] & p.m_online[None, :])
        ok &= (p.s_allow[meet_rep, None] & p.m_gbit[None, :]) != 0
        self.meet = np.where(ok, W_OFFLINE_NEAR * offline, NEG).astype(np.int16)
        self.has_uni = p.s_uni >= 0

    def groups(self, rows: NDArray[np.intp] | None = None) -> list[Group]:
        """``rows`` (default: every student) split by course class, each against the
        mentors who teach one of its courses (all other pairs are infeasible)."""
        rows = np.arange(self.n) if rows is None else rows
        rows = rows[np.argsort(self.course_of[rows], kind="stable")]
        bounds = np.flatnonzero(np.diff(self.course_of[rows])) + 1
        out: list[Group] = []
        for part in np.split(rows, bounds):
            if len(part) == 0:
                continue
            cols = np.flatnonzero(self.course[self.course_of[part[0]]] > 0)
            if len(cols):
                out.append(self.group(part, cols))
        return out

    def group(self, rows: NDArray[np.intp], cols: NDArray[np.intp]) -> Group:
        """``rows`` must share one course class; ``cols`` in any order."""
        a = int(self.course_of[rows[0]])
        classes, row_class = np.unique(self.meet_of[rows], return_inverse=True)
        table = self.meet[classes][:, cols] + self.course[a, cols][None, :]
        return Group(rows, cols, table.astype(np.int16), row_class.reshape(-1))

    def scores(self, g: Group, lo: int, hi: int, width: int) -> NDArray[np.int16]:
        """Scores of rows ``lo:hi`` of the group against its first ``width`` mentors;
        ≤ 0 means infeasible."""
        p, rows, cols = self.p, g.rows[lo:hi], g.cols[:width]
        s_av, m_av = p.s_av[rows], p.m_av[cols]
        count = np.bitwise_count(s_av[:, 0, None] & m_av[None, :, 0])
        for w in range(1, s_av.shape[1]):
            count += np.bitwise_count(s_av[:, w, None] & m_av[None, :, w])
        out = HOURS.take(count)
        out += g.table[:, :width][g.row_class[lo:hi]]
        uni = np.flatnonzero(self.has_uni[rows])
        if len(uni):
            i, j = np.nonzero(p.s_uni[rows[uni], None] == p.m_uni[None, cols])
            out[uni[i], j] += W_UNIVERSITY
        return out
