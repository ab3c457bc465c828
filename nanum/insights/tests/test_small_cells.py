"""Below the office, a group of 1–4 people is never shown: not in a cell, not in a
total, not by subtracting shown figures from a total or from the unfiltered view, in
the page, its chart and table, the CSV and Excel files and the API."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from typing import Any

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from nanum.core.models import User
from nanum.insights import selectors
from nanum.insights.models import EquityFact
from nanum.insights.selectors import MIN_CELL, cells_to_hide

from .conftest import add_facts

pytestmark = pytest.mark.django_db

PAGE = reverse("insights:dashboard")
API = "/api/v1/insights/equity"
FIGURES = ("people", "requested", "allocated", "used")


def small(n: int | None) -> bool:
    return n is not None and 0 < n < MIN_CELL


def test_the_rule_itself() -> None:
    assert cells_to_hide([12, 9, 3], k=5, total=24).cells == {1, 2}
    # Two small cells holding fewer than k people between them: a third goes too.
    assert cells_to_hide([1, 2, 20, 30], k=5, total=53).cells == {0, 1, 2}
    assert cells_to_hide([3, 3, 10], k=5, total=16).cells == {0, 1}
    # One cell alone, or a small total: everything is hidden.
    hidden = cells_to_hide([3], k=5, total=3)
    assert hidden.cells == {0} and hidden.total
    assert cells_to_hide([2, 2], k=5, total=4).total
    # A cell another view gives away starts hidden, with its complement.
    assert cells_to_hide([20, 30, 40], k=5, total=90, also=[2]).cells == {0, 2}
    assert cells_to_hide([20, 30], k=5, total=50).cells == set()


@pytest.fixture
def tiny_town(world: Any) -> Any:
    """Pyeongchang: three people asked for Seoul Learn places."""
    add_facts(
        tenant=world.pyeongchang,
        office=None,
        school=None,
        people=3,
        resource="learn_place",
        quintile=0,
        prefix="t",
    )
    return world


def test_a_town_of_three_shows_no_figure_anywhere(
    tiny_town: Any, client_for: Any, client: Any, api_token: Any
) -> None:
    officer = tiny_town.pyeongchang_officer
    body = client.get(API, HTTP_AUTHORIZATION=f"Bearer {api_token(officer)}").json()
    (view,) = body["resources"]
    assert view["suppressed"] and view["utilisation"] is None
    assert all(view[f] is None for f in FIGURES)
    assert all(c["suppressed"] for c in view["cells"])
    assert all(c[f] is None for c in view["cells"] for f in FIGURES)

    web = client_for(officer)
    text = web.get(PAGE).content.decode()
    assert "res-learn_place" in text and "<svg" not in text
    assert "3명" not in text and "3 people" not in text

    rows = list(
        csv.reader(
            io.StringIO(web.get(PAGE, {"format": "csv"}).content.decode("utf-8-sig"))
        )
    )[1:]
    assert rows and all(r[2] == "<5" and r[3:8] == [""] * 5 for r in rows)

    book = openpyxl.load_workbook(
        io.BytesIO(web.get(PAGE, {"format": "xlsx"}).content), read_only=True
    )
    values = list(book.active.iter_rows(min_row=2, values_only=True))
    assert values and all(v[2] == "<5" for v in values)
    assert all(x is None for v in values for x in v[3:8])  # (empty cells trail off)


def test_a_hidden_group_is_left_out_of_the_chart_and_its_table(
    equity_world: Any, client_for: Any
) -> None:
    board = selectors.equity_dashboard(
        actor=equity_world.seoul_officer,
        filters=selectors.EquityFilters(by="district_office"),
    )
    view = board.resources[0]
    hidden = {c.label for c in view.cells if c.suppressed}
    # The other district office's 3 people, and so the district office's 21 too.
    assert equity_world.other_district_office.name in hidden
    assert view.chart is None or not hidden & set(view.chart.labels)
    # Its total (24) stays: it gives away no group of fewer than five.
    assert view.people == 24


def test_a_filter_cannot_be_subtracted_from_the_unfiltered_view(
    equity_world: Any, client: Any, api_token: Any
) -> None:
    """Three more people of the top quintile asked last term: 'all terms' less
    'this term' would be those three."""
    add_facts(
        tenant=equity_world.seoul,
        office=equity_world.district_office,
        school=equity_world.small_school,
        people=3,
        quintile=5,
        prefix="old",
    )
    EquityFact.objects.filter(person__startswith="old").update(term="2026-1")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(equity_world.seoul_officer)}"}
    everything = client.get(API, **auth).json()["resources"][0]
    this_term = client.get(API, {"term": "2026-2"}, **auth).json()["resources"][0]
    assert everything["people"] == 27
    assert this_term["suppressed"] and this_term["people"] is None
    q5 = {c["group"]: c for c in this_term["cells"]}["5"]
    assert q5["suppressed"]


def _truth(facts: list[EquityFact], by: str) -> Counter[str]:
    """People per group (one fact per person in these worlds)."""
    name = "district_office_id" if by == "district_office" else by
    return Counter(str(getattr(f, name)) for f in facts)


def _random_facts(world: Any, rng: random.Random) -> None:
    EquityFact.objects.all().delete()
    schools = [world.small_school, world.big_school, world.middle_school, None]
    offices = [world.district_office, world.other_district_office]
    facts: list[EquityFact] = []
    for term in ("2026-1", "2026-2"):
        for office in offices:
            for school in schools:
                for category in ("science", "maths"):
                    for i in range(rng.choice([0, 0, 1, 2, 3, 4, 6, 9])):
                        n = len(facts)
                        facts.append(
                            EquityFact(
                                resource="equipment",
                                term=term,
                                tenant=world.seoul,
                                district_office=office,
                                district=school.district if school else None,
                                school=school,
                                school_level=school.school_level if school else "",
                                category=category,
                                quintile=rng.randint(0, 5),
                                person=f"r{n}",
                                requested=2,
                                allocated=2 * (i % 2),
                                used=2 * (i % 4 == 0),
                            )
                        )
    EquityFact.objects.bulk_create(facts)


def _in_view(actor: User, filters: selectors.EquityFilters) -> list[EquityFact]:
    qs = selectors.equity_scope(actor).filter(EquityFact.objects.all())
    if filters.term:
        qs = qs.filter(term=filters.term)
    if filters.district_office:
        qs = qs.filter(district_office_id=filters.district_office)
    if filters.school_level:
        qs = qs.filter(school_level=filters.school_level)
    return list(qs)


@pytest.mark.parametrize("seed", range(6))
def test_no_group_of_one_to_four_is_ever_revealed(
    world: Any, district_staff: User, seed: int
) -> None:
    """Generated worlds; every grouping and filter of a town officer and of district
    office staff: each shown figure is 0 or at least five people, and what a shown
    total less the shown cells leaves is two hidden cells or more, holding five
    people or more; a filtered figure less the unfiltered one is never 1–4 people."""
    cache.clear()
    _random_facts(world, random.Random(seed))
    filter_sets = [
        {},
        {"term": "2026-2"},
        {"school_level": "elementary"},
        {"district_office": world.district_office.pk},
    ]
    for actor in (world.seoul_officer, district_staff):
        for by in selectors.DIMENSIONS:
            unfiltered: dict[str, Any] = {}
            for extra in filter_sets:
                filters = selectors.EquityFilters(by=by, **extra)
                board = selectors.equity_dashboard(actor=actor, filters=filters)
                if not board.resources:
                    continue
                (view,) = board.resources
                truth = _truth(_in_view(actor, filters), by)
                assert not small(view.people)
                for c in view.cells:
                    assert not small(c.people)
                    assert c.suppressed or c.people == truth[c.key]
                if not view.suppressed:
                    hidden = [c.key for c in view.cells if c.suppressed]
                    held = sum(truth[k] for k in hidden)
                    assert len(hidden) != 1 and not small(held), (by, extra, truth)
                if not extra:
                    unfiltered = {c.key: c.people for c in view.cells}
                    unfiltered[""] = view.people
                    continue
                for key, people in [("", view.people)] + [
                    (c.key, c.people) for c in view.cells
                ]:
                    whole = unfiltered.get(key)
                    if people is not None and whole is not None:
                        assert not small(whole - people), (by, extra, key)
