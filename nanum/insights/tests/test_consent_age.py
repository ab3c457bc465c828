"""Under 14 on the export's date, only a guardian's consent counts. Only the birth
year is stored, so the rule takes the year's last day as the birthday and is worked
out on the day of the export, not from an age kept anywhere: the same people are
left out in June and released on 31 December."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from nanum.core import clock
from nanum.core.errors import DomainError, PermissionDenied
from nanum.core.models import Role
from nanum.core.testing import make_user
from nanum.insights import services
from nanum.insights.models import Dataset, ResearchConsent, ResearchProject
from nanum.learning.models import Course, Interaction, Item, Lesson

from .conftest import consenting_students

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(db: Any) -> Item:
    course = Course.objects.create(
        title="중1 수학", subject="수학", school_level="middle", grade=1
    )
    lesson = Lesson.objects.create(course=course, order=1, title="비", reading="...")
    return Item.objects.create(
        lesson=lesson, order=1, prompt="q", choices=["a", "b"], answer=0
    )


@pytest.fixture
def open_project(project: ResearchProject) -> ResearchProject:
    """The agreement runs over every day these tests freeze the clock at."""
    project.starts_on = date(2020, 1, 1)
    project.ends_on = date(2040, 12, 31)
    project.save()
    return project


def _on(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


def _answers(users: list[Any], item: Item) -> None:
    Interaction.objects.bulk_create(
        [Interaction(student=u, item=item, correct=True) for u in users]
    )


def _export(world: Any, project: ResearchProject) -> Any:
    return services.research_export_create(
        actor=world.researcher, project_id=project.pk, dataset=Dataset.INTERACTIONS
    )


@pytest.mark.parametrize(
    ("born", "day", "fourteen"),
    [
        (2012, date(2026, 1, 1), False),  # "2026 - 2012 = 14", but maybe 13
        (2012, date(2026, 12, 30), False),
        (2012, date(2026, 12, 31), True),
        (2011, date(2026, 1, 1), True),
        (2013, date(2027, 6, 1), False),
        (None, date(2026, 6, 1), False),
    ],
)
def test_old_enough_reads_the_date(born: int | None, day: date, fourteen: bool) -> None:
    assert services.old_enough(born, day) is fourteen


def test_turning_14_this_year_needs_a_guardian_until_the_years_end(
    world: Any,
    open_project: ResearchProject,
    item: Item,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Six students born in 2012 consented themselves (recorded when they could);
    # six born in 2011 too.
    young = consenting_students(world, 6, born=2012)
    older = [
        make_user(f"old{i}", Role.STUDENT, world.middle_school, birth_year=2011)
        for i in range(6)
    ]
    for u in older:
        ResearchConsent.objects.create(member=u, consented=True, given_by=u)
    _answers([*young, *older], item)

    _on(monkeypatch, date(2026, 6, 1))
    export = _export(world, open_project)
    assert export.people == 6  # only the 2011 students
    groups = services.research_aggregate(
        actor=world.researcher,
        project_id=open_project.pk,
        dataset=Dataset.INTERACTIONS,
        by="birth_band",
    )
    assert sum(g.people or 0 for g in groups) == 6

    # The same records on the year's last day: everyone is 14.
    _on(monkeypatch, date(2026, 12, 31))
    assert _export(world, open_project).people == 12

    # Before that, a guardian's consent lets the younger ones in.
    _on(monkeypatch, date(2026, 6, 1))
    ResearchConsent.objects.filter(member__in=young).update(by_guardian=True)
    assert _export(world, open_project).people == 12


def test_only_under_14s_without_a_guardian_are_left_out(
    world: Any,
    open_project: ResearchProject,
    item: Item,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    young = consenting_students(world, 6, born=2013)
    _answers(young, item)
    _on(monkeypatch, date(2026, 12, 31))
    with pytest.raises(DomainError) as refused:
        _export(world, open_project)
    assert refused.value.code == "under_k"


def test_a_member_consents_alone_only_once_certainly_14(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    kid = make_user("kid2012", Role.STUDENT, world.middle_school, birth_year=2012)
    _on(monkeypatch, date(2026, 3, 1))
    with pytest.raises(PermissionDenied):
        services.research_consent_set(actor=kid, member_id=kid.pk, consented=True)
    assert not ResearchConsent.objects.exists()
    _on(monkeypatch, date(2026, 12, 31))
    consent = services.research_consent_set(actor=kid, member_id=kid.pk, consented=True)
    assert consent.consented and not consent.by_guardian
