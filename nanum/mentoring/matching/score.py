"""Vectorised pair scores: a block of students against many mentors at once.

A pair is feasible when all hard rules hold (the caller has already split by town):
a shared subject the mentor teaches at the student's level, at least one common hour
of the week, a common mode (online, or offline with the student's district within the
mentor's reach) and the student's stated mentor-gender preference. Its score is
``W_BASE`` plus the quality terms; infeasible pairs score 0.

``prepare`` turns the problem into flat bit masks once, so that a block costs about
twenty cheap element-wise operations: subjects × levels become one "course" mask,
modes and districts one reach mask, and the week's hours are re-indexed to the hours
at which any student of the town is free (one 64-bit word in practice).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .problem import (
    HOURS_PER_WEEK,
    MAX_HOURS,
    MODE_OFFLINE,
    MODE_ONLINE,
    W_BASE,
    W_HOUR,
    W_OFFLINE_NEAR,
    W_PRIMARY,
    W_SUBJECT,
    W_UNIVERSITY,
    WORDS,
    Mentors,
    Students,
)

SUBJECT_BITS = 10  # subjects per level in the course mask (3 levels × 10 < 32 bits)
LEVELS = 3

# Reasons why no mentor could be found, checked in this order (first failing rule wins).
REASON_SUBJECT = "no_subject"
REASON_TIME = "no_time"
REASON_MODE = "no_mode"
REASON_PREFERENCE = "no_preference"
REASON_FULL = "mentors_full"


def _bits(avail: NDArray[np.uint64]) -> NDArray[np.bool_]:
    raw = np.unpackbits(
        avail.view(np.uint8).reshape(len(avail), 8 * WORDS), axis=1, bitorder="little"
    )
    return raw[:, :HOURS_PER_WEEK].astype(bool)


def _pack(bits: NDArray[np.bool_]) -> NDArray[np.uint64]:
    words = max(1, -(-bits.shape[1] // 64))
    padded = np.zeros((bits.shape[0], words * 64), dtype=bool)
    padded[:, : bits.shape[1]] = bits
    return np.packbits(padded, axis=1, bitorder="little").view(np.uint64).copy()


@dataclass
class Prepared:
    s_course: NDArray[np.uint32]
    s_pbit: NDArray[np.uint32]
    s_av: NDArray[np.uint64]  # (n, w) re-indexed hours
    s_online: NDArray[np.bool_]
    s_dbit: NDArray[np.uint64]  # district bit if the student would meet offline
    s_allow: NDArray[np.uint8]  # allowed mentor genders
    s_uni: NDArray[np.int32]
    m_course: NDArray[np.uint32]
    m_av: NDArray[np.uint64]
    m_online: NDArray[np.bool_]
    m_reach: NDArray[np.uint64]  # reachable districts if the mentor meets offline
    m_gbit: NDArray[np.uint8]
    m_uni: NDArray[np.int32]
    caps: NDArray[np.int64] | None = None

    def take_mentors(self, cols: NDArray[np.intp]) -> Prepared:
        return Prepared(
            self.s_course,
            self.s_pbit,
            self.s_av,
            self.s_online,
            self.s_dbit,
            self.s_allow,
            self.s_uni,
            self.m_course[cols],
            self.m_av[cols],
            self.m_online[cols],
            self.m_reach[cols],
            self.m_gbit[cols],
            self.m_uni[cols],
        )


def prepare(st: Students, mt: Mentors) -> Prepared:
    if np.any(st.subjects >= (1 << SUBJECT_BITS)) or np.any(
        mt.subjects >= (1 << SUBJECT_BITS)
    ):
        raise ValueError(f"at most {SUBJECT_BITS} subjects are supported")
    shift = (SUBJECT_BITS * st.level.astype(np.uint32)).astype(np.uint32)
    s_course = (st.subjects.astype(np.uint32) << shift).astype(np.uint32)
    s_pbit = ((np.uint32(1) << st.primary.astype(np.uint32)) << shift).astype(np.uint32)
    m_course = np.zeros(len(mt), dtype=np.uint32)
    for lvl in range(LEVELS):
        teaches = ((mt.levels >> lvl) & 1).astype(bool)
        m_course |= np.where(
            teaches, mt.subjects.astype(np.uint32) << (SUBJECT_BITS * lvl), 0
        ).astype(np.uint32)
    s_bits, m_bits = _bits(st.avail), _bits(mt.avail)
    used = np.flatnonzero(s_bits.any(axis=0))  # hours when some student is free
    s_av, m_av = _pack(s_bits[:, used]), _pack(m_bits[:, used])
    district = st.district.astype(np.int64)
    wants_off = ((st.mode & MODE_OFFLINE) != 0) & (district >= 0)
    s_dbit = np.where(
        wants_off,
        np.uint64(1) << np.maximum(district, 0).astype(np.uint64),
        np.uint64(0),
    ).astype(np.uint64)
    m_reach = np.where(
        (mt.mode & MODE_OFFLINE) != 0, mt.districts, np.uint64(0)
    ).astype(np.uint64)
    s_allow = np.where(st.gender_pref > 0, 1 << st.gender_pref.astype(np.int64), 0xFF)
    return Prepared(
        s_course=s_course,
        s_pbit=s_pbit,
        s_av=s_av,
        s_online=(st.mode & MODE_ONLINE) != 0,
        s_dbit=s_dbit,
        s_allow=s_allow.astype(np.uint8),
        s_uni=np.where(st.university_pref >= 0, st.university_pref, -2).astype(
            np.int32
        ),
        m_course=m_course,
        m_av=m_av,
        m_online=(mt.mode & MODE_ONLINE) != 0,
        m_reach=m_reach,
        m_gbit=(1 << mt.gender.astype(np.int64)).astype(np.uint8),
        m_uni=mt.university.astype(np.int32),
    )


def _hours(p: Prepared, rows: NDArray[np.intp]) -> NDArray[np.int16]:
    s_av = p.s_av[rows]
    total = np.bitwise_count(s_av[:, 0, None] & p.m_av[None, :, 0]).astype(np.int16)
    for w in range(1, p.s_av.shape[1]):
        total += np.bitwise_count(s_av[:, w, None] & p.m_av[None, :, w])
    return total


def block_scores(p: Prepared, rows: NDArray[np.intp]) -> NDArray[np.int16]:
    """Scores of students ``rows`` against all (prepared) mentors; 0 if infeasible."""
    shared = p.s_course[rows, None] & p.m_course[None, :]
    feasible = shared != 0
    hours = _hours(p, rows)
    feasible &= hours != 0
    offline = (p.s_dbit[rows, None] & p.m_reach[None, :]) != 0
    feasible &= offline | (p.s_online[rows, None] & p.m_online[None, :])
    feasible &= (p.s_allow[rows, None] & p.m_gbit[None, :]) != 0
    score = np.bitwise_count(shared).astype(np.int16)
    score *= W_SUBJECT
    score += W_BASE
    score += W_PRIMARY * ((shared & p.s_pbit[rows, None]) != 0)
    np.minimum(hours, MAX_HOURS, out=hours)
    hours *= W_HOUR
    score += hours
    score += W_OFFLINE_NEAR * offline
    score += W_UNIVERSITY * (p.s_uni[rows, None] == p.m_uni[None, :])
    score *= feasible
    return score


def block_reasons(p: Prepared, rows: NDArray[np.intp]) -> list[str]:
    """For students with no mentor: the first hard rule that no mentor satisfies."""
    ok = (p.s_course[rows, None] & p.m_course[None, :]) != 0
    has_subject = ok.any(axis=1)
    ok &= _hours(p, rows) != 0
    has_time = ok.any(axis=1)
    ok &= ((p.s_dbit[rows, None] & p.m_reach[None, :]) != 0) | (
        p.s_online[rows, None] & p.m_online[None, :]
    )
    has_mode = ok.any(axis=1)
    ok &= (p.s_allow[rows, None] & p.m_gbit[None, :]) != 0
    has_pref = ok.any(axis=1)
    out: list[str] = []
    for a, b, c, d in zip(has_subject, has_time, has_mode, has_pref, strict=True):
        if not a:
            out.append(REASON_SUBJECT)
        elif not b:
            out.append(REASON_TIME)
        elif not c:
            out.append(REASON_MODE)
        elif not d:
            out.append(REASON_PREFERENCE)
        else:
            out.append(REASON_FULL)
    return out


def pair_details(
    st: Students, s_idx: NDArray[np.intp], mt: Mentors, m_idx: NDArray[np.intp]
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Per chosen pair: shared subjects, first common hour, run length (≤3), mode."""
    level_ok = ((mt.levels[m_idx] >> st.level[s_idx].astype(np.uint8)) & 1) == 1
    shared = np.where(level_ok, st.subjects[s_idx] & mt.subjects[m_idx], 0)
    both = (st.avail[s_idx] & mt.avail[m_idx]).reshape(len(s_idx), WORDS)
    bits = _bits(both)
    run2 = bits[:, :-1] & bits[:, 1:]
    run3 = run2[:, :-1] & bits[:, 2:]
    has3, has2 = run3.any(axis=1), run2.any(axis=1)
    start = np.where(
        has3,
        run3.argmax(axis=1),
        np.where(has2, run2.argmax(axis=1), bits.argmax(axis=1)),
    )
    length = np.where(has3, 3, np.where(has2, 2, 1))
    modes = st.mode[s_idx] & mt.mode[m_idx]
    district = st.district[s_idx].astype(np.int64)
    shift = np.maximum(district, 0).astype(np.uint64)
    reach = ((mt.districts[m_idx] >> shift) & np.uint64(1)) == 1
    offline = ((modes & MODE_OFFLINE) != 0) & reach & (district >= 0)
    wants_offline = (st.mode[s_idx] & MODE_OFFLINE) != 0
    online_ok = (modes & MODE_ONLINE) != 0
    mode = np.where(offline & (wants_offline | ~online_ok), MODE_OFFLINE, MODE_ONLINE)
    return shared, start, length, mode
