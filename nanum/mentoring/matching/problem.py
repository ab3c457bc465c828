"""The matching problem as plain arrays: no Django, no database.

Weekly availability is a 168-bit mask (one bit per hour of the week, Monday 00:00 is
bit 0) stored in three little-endian uint64 words. Subjects, levels and districts are
small bit masks, so every hard rule is a handful of vectorised bit operations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

HOURS_PER_WEEK = 168
WORDS = 3

MODE_ONLINE = 1
MODE_OFFLINE = 2
MODE_EITHER = MODE_ONLINE | MODE_OFFLINE

GENDER_ANY = 0
GENDER_FEMALE = 1
GENDER_MALE = 2

# Score weights (integers: the min-cost-flow solver works on integer costs).
W_BASE = 100  # every feasible pair: matching one more student beats any quality gain
W_SUBJECT = 30  # per requested subject the mentor teaches at the student's level
W_PRIMARY = 20  # the student's first subject is among them
W_HOUR = 6  # per overlapping hour, up to MAX_HOURS
MAX_HOURS = 4
W_OFFLINE_NEAR = 10  # student wants to meet in person and the mentor can come
W_UNIVERSITY = 15  # the mentor studies at the university the student asked for
W_MODE_PREFERRED = 5  # the student's only mode (not "either") is honoured


def hours_to_mask(hours: list[int] | set[int]) -> NDArray[np.uint64]:
    """Hours of the week (0..167) to a 3-word mask."""
    words = np.zeros(WORDS, dtype=np.uint64)
    for h in hours:
        if not 0 <= int(h) < HOURS_PER_WEEK:
            raise ValueError(f"hour of week out of range: {h}")
        words[int(h) // 64] |= np.uint64(1) << np.uint64(int(h) % 64)
    return words


def mask_to_hours(words: NDArray[np.uint64]) -> list[int]:
    out: list[int] = []
    for w in range(WORDS):
        value = int(words[w])
        for bit in range(64):
            if value >> bit & 1:
                out.append(w * 64 + bit)
    return out


def _empty(n: int, dtype: type, fill: int = 0) -> NDArray:
    return np.full(n, fill, dtype=dtype)


@dataclass
class Students:
    """One row per student who wants a mentor."""

    town: NDArray[np.int32]
    subjects: NDArray[np.uint32]  # bit per subject index
    primary: NDArray[np.int8]  # index of the first subject
    level: NDArray[np.int8]  # 0 elementary, 1 middle, 2 high
    avail: NDArray[np.uint64]  # shape (n, 3)
    mode: NDArray[np.int8]
    district: NDArray[np.int16]  # -1: none (online only)
    gender_pref: NDArray[np.int8] = field(default_factory=lambda: _empty(0, np.int8))
    university_pref: NDArray[np.int32] = field(
        default_factory=lambda: _empty(0, np.int32)
    )

    def __post_init__(self) -> None:
        n = len(self.town)
        if len(self.gender_pref) != n:
            self.gender_pref = _empty(n, np.int8)
        if len(self.university_pref) != n:
            self.university_pref = _empty(n, np.int32, -1)

    def __len__(self) -> int:
        return len(self.town)


@dataclass
class Mentors:
    """One row per active mentor with free capacity."""

    town: NDArray[np.int32]
    subjects: NDArray[np.uint32]
    levels: NDArray[np.uint8]  # bit per level taught
    avail: NDArray[np.uint64]  # shape (m, 3)
    mode: NDArray[np.int8]
    districts: NDArray[np.uint64]  # bit per reachable district index (< 64)
    home_district: NDArray[np.int16]
    capacity: NDArray[np.int32]
    gender: NDArray[np.int8] = field(default_factory=lambda: _empty(0, np.int8))
    university: NDArray[np.int32] = field(default_factory=lambda: _empty(0, np.int32))

    def __post_init__(self) -> None:
        m = len(self.town)
        if len(self.gender) != m:
            self.gender = _empty(m, np.int8)
        if len(self.university) != m:
            self.university = _empty(m, np.int32, -1)

    def __len__(self) -> int:
        return len(self.town)


@dataclass
class Pair:
    student: int
    mentor: int
    score: int
    subjects: int  # bit mask of shared subjects
    start_hour: int  # first hour of the longest common run
    hours: int  # length of that run (capped at 3)
    mode: int  # MODE_ONLINE or MODE_OFFLINE


@dataclass
class MatchResult:
    pairs: list[Pair]
    unmatched: dict[int, str]  # student index -> reason code
    objective: int
    edges: int
    certified: bool  # objective == upper bound: optimal over ALL feasible pairs
    rounds: int
    timings: dict[str, float]
    upper_bound: float = 0.0  # LP-dual bound over every feasible pair
