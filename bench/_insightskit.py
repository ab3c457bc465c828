"""Support of bench/insights_equity.py: a simulated oversubscribed semester.

Every school gets a need index (Beta(2, 3)); the students of a school share its need
quintile. Each scarce resource is asked for by more people than it can serve, in a
random order of arrival, and allocated twice: first come, first served (by arrival)
and under Nanum's rules, modelled on each app's rule:

- K-STEM Bank units in a scarcity window: an allocation round grants whole requests
  in order of the school's need index (lottery among equals); a request that no
  longer fits is skipped, in both orders.
- Centre programme places: 30% of each programme's places are reserved for priority
  applicants (here: students of the top two need quintiles, 25% at random of the
  others, as declared vulnerability), then a lottery among everyone left.
- Seoul Learn places and seats: priority rank by eligibility category (basic
  livelihood, near-poor, the rest), which is more common at schools of greater need,
  then the time of application.
- Mentors: matched in order of need quintile, then time of the survey.

An allocation is used with a probability (0.93 units, 0.85 places, 0.9 seats, 0.88
mentor pairs) that does not depend on the rule; utilisation is units used ÷ units
available.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

USE = {
    "equipment": 0.93,
    "programme": 0.85,
    "learn_place": 0.95,
    "learn_seat": 0.9,
    "mentor": 0.88,
}


@dataclass
class Request:
    resource: str
    person: int
    school: int
    quintile: int
    qty: int
    arrival: float
    pool: int = 0
    rank: float = 0.0  # smaller first under Nanum's rules
    priority: bool = False
    granted_fcfs: int = 0
    granted_nanum: int = 0
    used_fcfs: int = 0
    used_nanum: int = 0


@dataclass
class Semester:
    schools: list[tuple[float, int, str, int]]  # need, quintile, level, office
    students: list[int]  # school of each student
    requests: list[Request]
    capacity: dict[tuple[str, int], int]


def simulate(*, students: int, schools: int, seed: int = 20261201) -> Semester:
    rng = random.Random(seed)
    needs = [rng.betavariate(2, 3) for _ in range(schools)]
    ordered = sorted(needs)
    cuts = [ordered[(schools * q) // 5] for q in (1, 2, 3, 4)]
    levels = ["elementary", "middle", "high"]
    school_rows = [
        (n, 1 + sum(n > c for c in cuts), rng.choice(levels), rng.randrange(11))
        for n in needs
    ]
    weights = [rng.lognormvariate(0, 0.6) for _ in range(schools)]
    student_school = rng.choices(range(schools), weights=weights, k=students)
    reqs: list[Request] = []
    cap: dict[tuple[str, int], int] = {}

    def add(resource: str, person: int, qty: int = 1, pool: int = 0) -> Request:
        school = student_school[person] if person >= 0 else -person - 1
        r = Request(
            resource=resource,
            person=person,
            school=school,
            quintile=school_rows[school][1],
            qty=qty,
            arrival=rng.random(),
            pool=pool,
        )
        reqs.append(r)
        return r

    # Equipment: ~0.12 requests per student, by teachers of the schools.
    windows = max(1, students // 2500)
    units: dict[int, int] = {}
    for _ in range(int(students * 0.12)):
        school = rng.choices(range(schools), weights=weights)[0]
        w = rng.randrange(windows)
        r = add("equipment", -school - 1, qty=rng.randint(1, 4), pool=w)
        r.rank = -school_rows[school][0] + rng.random() * 1e-6
        units[w] = units.get(w, 0) + r.qty
    for w, total in units.items():
        cap[("equipment", w)] = int(total * 0.55)
    # Programmes: 0.6 applications per student over 1 programme per 125 students.
    pools = max(1, students // 125)
    apps: dict[int, int] = {}
    for _ in range(int(students * 0.6)):
        p = rng.randrange(pools)
        r = add("programme", rng.randrange(students), pool=p)
        r.priority = r.quintile >= 4 or rng.random() < 0.25
        apps[p] = apps.get(p, 0) + 1
    for p, n in apps.items():
        cap[("programme", p)] = max(1, n // 2)
    # Seoul Learn: 24% apply for a place; two places for three applicants; seats
    # for three members in four.
    applicants = rng.sample(range(students), int(students * 0.24))
    for s in applicants:
        r = add("learn_place", s)
        q = r.quintile
        category = 0 if rng.random() < 0.1 * q else (1 if rng.random() < 0.5 else 2)
        r.rank = category + r.arrival
    cap[("learn_place", 0)] = len(applicants) * 2 // 3
    # Mentors: 8% ask; mentors for 5 in 8.
    mentees = rng.sample(range(students), int(students * 0.08))
    for s in mentees:
        r = add("mentor", s)
        r.rank = -r.quintile + r.arrival
    cap[("mentor", 0)] = len(mentees) * 5 // 8
    return Semester(school_rows, student_school, reqs, cap)


def _grant(reqs: list[Request], cap: int, nanum: bool) -> None:
    left = cap
    for r in reqs:
        if r.qty <= left:
            left -= r.qty
            if nanum:
                r.granted_nanum = r.qty
            else:
                r.granted_fcfs = r.qty


def allocate(sem: Semester, seed: int = 7) -> None:
    """Both rules, on the same requests and the same chance of use."""
    rng = random.Random(seed)
    by_pool: dict[tuple[str, int], list[Request]] = {}
    for r in sem.requests:
        by_pool.setdefault((r.resource, r.pool), []).append(r)
    for (resource, pool), reqs in by_pool.items():
        cap = sem.capacity[(resource, pool)]
        _grant(sorted(reqs, key=lambda r: r.arrival), cap, nanum=False)
        if resource == "programme":
            lottery = sorted(reqs, key=lambda r: rng.random())
            reserved = int(cap * 0.3)
            prio = [r for r in lottery if r.priority]
            _grant(prio, reserved, nanum=True)
            used = sum(r.granted_nanum for r in prio)
            rest = [r for r in lottery if not r.granted_nanum]
            _grant(rest, cap - used, nanum=True)
        else:
            _grant(sorted(reqs, key=lambda r: r.rank), cap, nanum=True)
    for r in sem.requests:
        p = USE[r.resource]
        chance = rng.random()
        r.used_fcfs = r.granted_fcfs if chance < p else 0
        r.used_nanum = r.granted_nanum if chance < p else 0


def seats(sem: Semester, rule: str, seed: int = 11) -> tuple[float, float]:
    """Seoul Learn seats for the members ``rule`` gave a place: as many seats as three
    in four of first come's members; (priority share, utilisation)."""
    rng = random.Random(seed)
    fcfs_members = sum(
        1 for r in sem.requests if r.resource == "learn_place" and r.granted_fcfs
    )
    cap = fcfs_members * 3 // 4
    members = [
        r
        for r in sem.requests
        if r.resource == "learn_place" and getattr(r, f"granted_{rule}")
    ]
    key = (lambda r: r.arrival) if rule == "fcfs" else (lambda r: r.rank)
    granted = sorted(members, key=key)[:cap]
    used = sum(1 for _ in granted if rng.random() < USE["learn_seat"])
    top_d = sum(1 for r in members if r.quintile == 5)
    top_g = sum(1 for r in granted if r.quintile == 5)
    share = (
        (top_g / len(granted)) / (top_d / len(members)) if granted and top_d else 0.0
    )
    return share, used / cap if cap else 0.0


def figures(sem: Semester, rule: str) -> dict[str, tuple[float, float]]:
    """(priority share, utilisation) per resource under ``rule``."""
    out: dict[str, tuple[float, float]] = {}
    for resource in USE:
        if resource == "learn_seat":
            out[resource] = seats(sem, rule)
            continue
        reqs = [r for r in sem.requests if r.resource == resource]
        cap = sum(v for (res, _p), v in sem.capacity.items() if res == resource)
        g = [getattr(r, f"granted_{rule}") for r in reqs]
        u = [getattr(r, f"used_{rule}") for r in reqs]
        demand = sum(r.qty for r in reqs)
        top_d = sum(r.qty for r in reqs if r.quintile == 5)
        top_g = sum(x for r, x in zip(reqs, g, strict=True) if r.quintile == 5)
        share = (top_g / sum(g)) / (top_d / demand) if sum(g) and top_d else 0.0
        out[resource] = (share, sum(u) / cap if cap else 0.0)
    return out
