"""Differencing attacks on the small-cell rule, below the office level: a person
counted in two cells (cells that do not add up to the total) and nested filters (a
total less a filtered total). Each test makes the attack and fails if it reveals a
group of 1–4 people."""

from __future__ import annotations

import random
from collections.abc import Iterable
from itertools import combinations
from typing import Any

import pytest
from django.core.cache import cache

from nanum.core.models import User
from nanum.insights import selectors
from nanum.insights.models import EquityFact
from nanum.insights.selectors import MIN_CELL, cells_to_hide

pytestmark = pytest.mark.django_db


def small(n: int | None) -> bool:
    return n is not None and 0 < n < MIN_CELL


def fact(world: Any, person: str, **kw: Any) -> EquityFact:
    school = kw.pop("school", world.small_school)
    values: dict[str, Any] = {
        "resource": "equipment",
        "term": "2026-2",
        "tenant": world.seoul,
        "district_office": world.district_office,
        "district": school.district,
        "school": school,
        "school_level": school.school_level,
        "category": "science",
        "quintile": 3,
        "person": person,
        "requested": 1,
        "allocated": 1,
    }
    return EquityFact(**(values | kw))


def facts(rows: Iterable[EquityFact]) -> None:
    cache.clear()
    EquityFact.objects.bulk_create(list(rows))


def view(actor: User, **filters: Any) -> Any:
    board = selectors.equity_dashboard(
        actor=actor, filters=selectors.EquityFilters(**filters)
    )
    if not board.resources:
        return None
    (resource,) = board.resources
    return resource


def test_the_rule_counts_a_person_in_two_hidden_cells_once() -> None:
    # 20 people in one cell; the same 3 people in two others: the two hidden cells
    # hold 6 "counts" but 3 people, and the total less the shown cell is 3.
    assert cells_to_hide([20, 3, 3], k=5, total=23, multi=[{1, 2}] * 3).cells == {
        0,
        1,
        2,
    }
    # Two shown cells share 10 people, so the total less the shown cells is
    # negative; still only 3 people are in no shown cell.
    hidden = cells_to_hide(
        [20, 10, 3, 3], k=5, total=23, multi=[{0, 1}] * 10 + [{2, 3}] * 3
    )
    assert {2, 3} < hidden.cells


def test_double_counting_does_not_reveal_a_hidden_group(world: Any) -> None:
    """20 people asked for science; 3 others each asked for maths and for art."""
    facts(
        [fact(world, f"s{i}") for i in range(20)]
        + [fact(world, f"m{i}", category=c) for i in range(3) for c in ("maths", "art")]
    )
    v = view(world.seoul_officer, by="category")
    cells = {c.key: c for c in v.cells}
    assert cells["maths"].suppressed and cells["art"].suppressed
    # The attack: the total less every shown cell.
    shown = sum(c.people or 0 for c in v.cells if not c.suppressed)
    assert v.suppressed or not small((v.people or 0) - shown)


def test_a_person_in_a_shown_and_a_hidden_cell_is_not_counted_as_cover(
    world: Any,
) -> None:
    """20 in science, 10 of them also in history; 3 only in maths and art: the
    hidden cells (maths, art) hold 6 counts but 3 people nobody else covers."""
    facts(
        [fact(world, f"s{i}") for i in range(20)]
        + [fact(world, f"s{i}", category="history") for i in range(10)]
        + [fact(world, f"m{i}", category=c) for i in range(3) for c in ("maths", "art")]
    )
    v = view(world.seoul_officer, by="category")
    hidden = {c.key for c in v.cells if c.suppressed}
    assert {"maths", "art"} <= hidden
    alone = (
        EquityFact.objects.exclude(
            person__in=EquityFact.objects.exclude(category__in=hidden).values("person")
        )
        .values("person")
        .distinct()
        .count()
    )
    assert v.suppressed or not small(alone)


def test_a_nested_filter_does_not_reveal_a_group(world: Any) -> None:
    """This term: 12 elementary pupils, 3 middle-school pupils; last term 10 more.
    'This term' less 'this term, elementary' would be the 3 middle-school pupils."""
    facts(
        [fact(world, f"e{i}") for i in range(12)]
        + [fact(world, f"h{i}", school=world.middle_school) for i in range(3)]
        + [fact(world, f"o{i}", term="2026-1") for i in range(10)]
    )
    officer = world.seoul_officer
    for by in selectors.DIMENSIONS:
        wide = view(officer, by=by, term="2026-2")
        narrow = view(officer, by=by, term="2026-2", school_level="elementary")
        if wide.people is not None and narrow.people is not None:
            assert not small(wide.people - narrow.people), by
        wide_cells = {c.key: c.people for c in wide.cells}
        for c in narrow.cells:
            whole = wide_cells.get(c.key)
            if c.people is not None and whole is not None:
                assert not small(whole - c.people), (by, c.key)


def test_a_person_in_both_terms_does_not_hide_a_difference(world: Any) -> None:
    """This term 20 people; last term 10, of whom 8 asked again this term: all terms
    less this term is the 2 who asked only last term."""
    facts(
        [fact(world, f"p{i}") for i in range(20)]
        + [fact(world, f"p{i}", term="2026-1") for i in range(8)]
        + [fact(world, f"q{i}", term="2026-1") for i in range(2)]
    )
    everything = view(world.seoul_officer)
    this_term = view(world.seoul_officer, term="2026-2")
    assert everything.people == 22
    assert this_term.suppressed or not small(everything.people - this_term.people)


FILTERS = {
    "term": "2026-2",
    "school_level": "elementary",
    "district_office": None,  # set per world
}


def _random_world(world: Any, rng: random.Random) -> None:
    """People who ask more than once: in other categories, terms and schools."""
    schools = [world.small_school, world.big_school, world.middle_school]
    offices = [world.district_office, world.other_district_office]
    rows = []
    for n in range(rng.randint(15, 45)):
        for _ in range(rng.choice([1, 1, 2, 3])):
            school = rng.choice(schools)
            rows.append(
                fact(
                    world,
                    f"r{n}",
                    school=school,
                    term=rng.choice(["2026-1", "2026-2"]),
                    district_office=rng.choice(offices),
                    category=rng.choice(["science", "maths", "art"]),
                    quintile=rng.randint(0, 5),
                )
            )
    EquityFact.objects.all().delete()
    facts(rows)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("who", ["seoul_officer", "district_staff"])
def test_no_difference_of_nested_views_or_double_count_reveals_1_to_4(
    world: Any, district_staff: User, seed: int, who: str
) -> None:
    """Generated worlds, every grouping, every set of filters against every wider
    one, for a town officer and for district office staff."""
    actor = district_staff if who == "district_staff" else world.seoul_officer
    _random_world(world, random.Random(seed))
    filters = FILTERS | {"district_office": world.district_office.pk}
    names = list(filters)
    for by in selectors.DIMENSIONS:
        views = {}
        for size in range(len(names) + 1):
            for subset in combinations(names, size):
                views[subset] = view(actor, by=by, **{k: filters[k] for k in subset})
        for subset, v in views.items():
            if v is None:
                continue
            if not v.suppressed:
                shown = sum(c.people or 0 for c in v.cells if not c.suppressed)
                assert not small((v.people or 0) - shown), (seed, by, subset)
            for wider in views:
                if not set(wider) < set(subset):
                    continue
                w = views[wider]
                if w is None:
                    continue
                if v.people is not None and w.people is not None:
                    assert not small(w.people - v.people), (seed, by, subset, wider)
                cells = {c.key: c.people for c in w.cells}
                for c in v.cells:
                    whole = cells.get(c.key)
                    if c.people is not None and whole is not None:
                        assert not small(whole - c.people), (seed, by, subset, c.key)
