"""Fixtures of the insights tests: equity facts and an approved research project."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache

from nanum.core import clock
from nanum.core.models import Role, User
from nanum.core.testing import make_user
from nanum.insights import services
from nanum.insights.models import Dataset, EquityFact, ResearchConsent


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The dashboard's sums are cached under the newest fact id, which a rolled-back
    test database hands out again."""
    cache.clear()


@pytest.fixture
def district_staff(world: Any) -> User:
    """A tenant officer at the Gangseo-Yangcheon district office."""
    return make_user("do.staff", Role.TENANT_OFFICER, world.district_office)


def add_facts(
    *,
    tenant: Any,
    office: Any,
    school: Any,
    people: int,
    resource: str = "equipment",
    quintile: int = 3,
    allocated_every: int = 2,
    prefix: str = "p",
) -> None:
    EquityFact.objects.bulk_create(
        [
            EquityFact(
                resource=resource,
                term="2026-2",
                tenant=tenant,
                district_office=office,
                district=school.district if school else None,
                school=school,
                school_level=school.school_level if school else "",
                category="science",
                quintile=quintile,
                person=f"{prefix}{i}",
                requested=2,
                allocated=2 if i % allocated_every == 0 else 0,
                used=2 if i % (allocated_every * 2) == 0 else 0,
            )
            for i in range(people)
        ]
    )


@pytest.fixture
def equity_world(world: Any) -> Any:
    """Seoul: 12 people in Q5 at the district office's small school, 9 in Q1 at its
    big school, 3 in Q3 at the other district office; Gimpo: 8 people."""
    add_facts(
        tenant=world.seoul,
        office=world.district_office,
        school=world.small_school,
        people=12,
        quintile=5,
        allocated_every=1,
        prefix="a",
    )
    add_facts(
        tenant=world.seoul,
        office=world.district_office,
        school=world.big_school,
        people=9,
        quintile=1,
        allocated_every=3,
        prefix="b",
    )
    add_facts(
        tenant=world.seoul,
        office=world.other_district_office,
        school=None,
        people=3,
        quintile=3,
        prefix="c",
    )
    add_facts(
        tenant=world.gimpo,
        office=None,
        school=None,
        people=8,
        resource="learn_place",
        quintile=0,
        prefix="g",
    )
    return world


def consenting_students(world: Any, n: int, *, born: int = 2008) -> list[User]:
    """``n`` students of the middle school who consent (old enough themselves)."""
    users = []
    for i in range(n):
        u = make_user(f"rs{i}", Role.STUDENT, world.middle_school, birth_year=born)
        ResearchConsent.objects.create(member=u, consented=True, given_by=u)
        users.append(u)
    return users


@pytest.fixture
def project(world: Any) -> Any:
    today = clock.today()
    return services.research_project_approve(
        actor=world.admin,
        data=services.ProjectInput(
            title="AI teaching study",
            institution_id=world.university.pk,
            principal_investigator="Prof. Kim",
            purpose="Effects of adaptive practice",
            irb_ref="IRB-1",
            starts_on=today - timedelta(days=10),
            ends_on=today + timedelta(days=100),
            datasets=[Dataset.INTERACTIONS, Dataset.EQUIPMENT],
            researcher_ids=[world.researcher.pk],
        ),
    )
