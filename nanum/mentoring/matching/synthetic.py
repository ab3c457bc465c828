"""Realistic synthetic instances for the benchmark and the solver's tests.

Students study after school on weekdays (16–22 h) and at weekends; mentors are
university students with a few two-hour blocks, some shifted by an hour so that
partial (one-hour) overlaps occur. Maths and English dominate demand; most mentoring
is online; offline mentors reach their home district and a few neighbours.
"""

from __future__ import annotations

import numpy as np

from .problem import HOURS_PER_WEEK, WORDS, Mentors, Students

SUBJECT_WEIGHTS = np.array(
    [0.10, 0.30, 0.35, 0.12, 0.05, 0.08]
)  # ko en ma sci soc code
DISTRICTS = 25
UNIVERSITIES = 20
_BLOCKS = [d * 24 + h for d in range(5) for h in (16, 18, 20)] + [
    d * 24 + h for d in (5, 6) for h in (10, 13, 15, 17)
]


def _avail(
    rng: np.random.Generator, n: int, lo: int, hi: int, shift: bool
) -> np.ndarray:
    bits = np.zeros((n, HOURS_PER_WEEK), dtype=bool)
    counts = rng.integers(lo, hi + 1, n)
    for i in range(n):
        for b in rng.choice(len(_BLOCKS), counts[i], replace=False):
            start = _BLOCKS[b] + (int(rng.integers(-1, 2)) if shift else 0)
            bits[i, start : start + 2] = True
    packed = np.packbits(
        np.pad(bits, ((0, 0), (0, WORDS * 64 - HOURS_PER_WEEK))),
        axis=1,
        bitorder="little",
    )
    return packed.view(np.uint64).reshape(n, WORDS).copy()


def _subjects(rng: np.random.Generator, n: int, lo: int, hi: int) -> tuple:
    mask = np.zeros(n, dtype=np.uint32)
    primary = np.zeros(n, dtype=np.int8)
    counts = rng.integers(lo, hi + 1, n)
    for i in range(n):
        chosen = rng.choice(6, counts[i], replace=False, p=SUBJECT_WEIGHTS)
        primary[i] = chosen[0]
        for c in chosen:
            mask[i] |= np.uint32(1 << int(c))
    return mask, primary


def students(n: int, seed: int = 1, towns: int = 1) -> Students:
    rng = np.random.default_rng(seed)
    subjects, primary = _subjects(rng, n, 1, 2)
    mode = rng.choice([1, 2, 3], n, p=[0.55, 0.15, 0.30]).astype(np.int8)
    gender = rng.choice([0, 1, 2], n, p=[0.90, 0.08, 0.02]).astype(np.int8)
    uni = np.where(rng.random(n) < 0.05, rng.integers(0, UNIVERSITIES, n), -1)
    return Students(
        town=rng.integers(0, towns, n).astype(np.int32),
        subjects=subjects,
        primary=primary,
        level=rng.choice([0, 1, 2], n, p=[0.2, 0.35, 0.45]).astype(np.int8),
        avail=_avail(rng, n, 2, 4, shift=False),
        mode=mode,
        district=rng.integers(0, DISTRICTS, n).astype(np.int16),
        gender_pref=gender,
        university_pref=uni.astype(np.int32),
    )


def mentors(m: int, seed: int = 2, towns: int = 1, capacity: int = 4) -> Mentors:
    rng = np.random.default_rng(seed)
    subjects, _ = _subjects(rng, m, 2, 3)
    home = rng.integers(0, DISTRICTS, m)
    reach = np.zeros(m, dtype=np.uint64)
    for off in (-2, -1, 0, 1, 2):
        near = (home + off) % DISTRICTS
        keep = (off == 0) | (rng.random(m) < 0.6)
        reach |= np.where(keep, np.uint64(1) << near.astype(np.uint64), np.uint64(0))
    return Mentors(
        town=rng.integers(0, towns, m).astype(np.int32),
        subjects=subjects,
        levels=rng.choice(
            [0b111, 0b110, 0b011, 0b100], m, p=[0.5, 0.3, 0.1, 0.1]
        ).astype(np.uint8),
        avail=_avail(rng, m, 2, 5, shift=True),
        mode=rng.choice([1, 2, 3], m, p=[0.45, 0.10, 0.45]).astype(np.int8),
        districts=reach,
        home_district=home.astype(np.int16),
        capacity=np.full(m, capacity, dtype=np.int32),
        gender=rng.choice([1, 2], m, p=[0.55, 0.45]).astype(np.int8),
        university=rng.integers(0, UNIVERSITIES, m).astype(np.int32),
    )
