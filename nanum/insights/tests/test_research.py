"""Research exports: consent, k-anonymity, per-project pseudonyms, refusals with the
reason that change nothing, expiry and access logs with row counts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from nanum.core import clock
from nanum.core.errors import DomainError, NotFound, PermissionDenied
from nanum.core.models import AccessLog, Role
from nanum.core.testing import make_user
from nanum.insights import services
from nanum.insights.models import Dataset, ResearchConsent, ResearchExport
from nanum.learning.models import Course, GuardianLink, Interaction, Item, Lesson

from .conftest import consenting_students

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(db: Any) -> list[Item]:
    course = Course.objects.create(
        title="중1 수학", subject="수학", school_level="middle", grade=1
    )
    lesson = Lesson.objects.create(course=course, order=1, title="비", reading="...")
    return [
        Item.objects.create(
            lesson=lesson, order=i, prompt=f"q{i}", choices=["a", "b"], answer=0
        )
        for i in range(1, 4)
    ]


def answers(users: list[Any], items: list[Item], per: int = 3) -> None:
    Interaction.objects.bulk_create(
        [
            Interaction(student=u, item=items[j % len(items)], correct=j % 2 == 0)
            for u in users
            for j in range(per)
        ]
    )


def rows_of(export: ResearchExport) -> list[dict[str, str]]:
    text = bytes(export.content or b"").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_k_anonymise_generalises_then_suppresses() -> None:
    people = {i: ("2008-2010", "gangseo", "middle") for i in range(6)}
    people |= {10 + i: ("2008-2010", "yangcheon", "middle") for i in range(3)}
    people |= {20: ("2011-2013", "jungnang", "high")}
    result = services.k_anonymise(people, k=5)
    # 3 in Yangcheon lose their district, but "*" then holds only 3: suppressed;
    # the lone high-school student too. Everyone released is in a group of >= 5.
    assert set(result.released) == set(range(6))
    assert result.min_k == 6
    assert result.suppressed == 4
    assert services.birth_band(2011) == "2010-2012"


def test_export_releases_only_consenting_people_in_groups_of_k(
    world: Any, project: Any, items: list[Item]
) -> None:
    group = consenting_students(world, 6)
    lonely = consenting_students_other(world)
    refused = make_user("nocons", Role.STUDENT, world.middle_school, birth_year=2008)
    answers([*group, lonely, refused], items)
    export = services.research_export_create(
        actor=world.researcher, project_id=project.pk, dataset=Dataset.INTERACTIONS
    )
    rows = rows_of(export)
    assert export.row_count == len(rows) == 18
    assert export.people == 6 and export.suppressed == 1 and export.min_k == 6
    assert {r["birth_band"] for r in rows} == {"2007-2009"}
    assert {r["region"] for r in rows} == {"yangcheon"}  # the school's district
    assert {r["school_level"] for r in rows} == {"middle"}
    key = services.key_for(project)
    assert {r["person"] for r in rows} == {
        services.pseudonym(key, "person", u.pk) for u in group
    }
    assert all(len(r["person"]) == 16 for r in rows)
    log = AccessLog.objects.get(action="export", actor=world.researcher)
    assert log.record_count == 18


def consenting_students_other(world: Any) -> Any:
    u = make_user("odd", Role.STUDENT, world.small_school, birth_year=2008)
    ResearchConsent.objects.create(member=u, consented=True, given_by=u)
    return u


def test_under_14_needs_a_guardians_consent(
    world: Any, project: Any, items: list[Item]
) -> None:
    young = consenting_students(world, 6, born=clock.today().year - 12)
    answers(young, items)
    with pytest.raises(DomainError) as exc:
        services.research_export_create(
            actor=world.researcher, project_id=project.pk, dataset="interactions"
        )
    assert exc.value.code == "under_k"
    ResearchConsent.objects.filter(member__in=young).update(by_guardian=True)
    export = services.research_export_create(
        actor=world.researcher, project_id=project.pk, dataset="interactions"
    )
    assert export.people == 6


def test_a_child_cannot_consent_alone_but_a_guardian_can(world: Any) -> None:
    child = make_user("kid", Role.STUDENT, world.small_school, birth_year=2016)
    with pytest.raises(PermissionDenied):
        services.research_consent_set(actor=child, member_id=child.pk, consented=True)
    assert not ResearchConsent.objects.exists()
    with pytest.raises(NotFound):  # not (yet) their guardian
        services.research_consent_set(
            actor=world.guardian, member_id=child.pk, consented=True
        )
    GuardianLink.objects.create(guardian=world.guardian, child=child)
    c = services.research_consent_set(
        actor=world.guardian, member_id=child.pk, consented=True
    )
    assert c.consented and c.by_guardian


def test_pseudonyms_differ_across_projects(
    world: Any, project: Any, items: list[Item]
) -> None:
    answers(consenting_students(world, 5), items, per=1)
    other = services.research_project_approve(
        actor=world.admin,
        data=services.ProjectInput(
            title="Second study",
            institution_id=world.university.pk,
            principal_investigator="Prof. Lee",
            purpose="p",
            irb_ref="IRB-2",
            starts_on=project.starts_on,
            ends_on=project.ends_on,
            datasets=["interactions"],
            researcher_ids=[world.researcher.pk],
        ),
    )
    a = rows_of(
        services.research_export_create(
            actor=world.researcher, project_id=project.pk, dataset="interactions"
        )
    )
    b = rows_of(
        services.research_export_create(
            actor=world.researcher, project_id=other.pk, dataset="interactions"
        )
    )
    assert len({r["person"] for r in a}) == 5
    assert not {r["person"] for r in a} & {r["person"] for r in b}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"starts_on": 5, "ends_on": 50}, "outside_period"),
        ({"starts_on": -50, "ends_on": -5}, "outside_period"),
        ({"dataset": "mastery"}, "dataset_not_covered"),
        ({"status": "draft"}, "not_approved"),
        ({"status": "revoked"}, "revoked"),
    ],
)
def test_refusals_say_why_and_change_nothing(
    world: Any, project: Any, items: list[Item], change: dict[str, Any], code: str
) -> None:
    answers(consenting_students(world, 5), items)
    today = clock.today()
    if "starts_on" in change:
        project.starts_on = today + timedelta(days=change["starts_on"])
        project.ends_on = today + timedelta(days=change["ends_on"])
    if "status" in change:
        project.status = change["status"]
    project.save()
    before = (ResearchExport.objects.count(), AccessLog.objects.count())
    with pytest.raises(DomainError) as exc:
        services.research_export_create(
            actor=world.researcher,
            project_id=project.pk,
            dataset=change.get("dataset", "interactions"),
        )
    assert exc.value.code == code
    assert (ResearchExport.objects.count(), AccessLog.objects.count()) == before


def test_other_people_cannot_see_or_export(
    world: Any, project: Any, items: list[Item], client_for: Any
) -> None:
    answers(consenting_students(world, 5), items)
    stranger = make_user("res2", Role.RESEARCHER, world.university)
    for actor in (stranger, world.teacher, world.seoul_officer):
        with pytest.raises(NotFound):
            services.research_export_create(
                actor=actor, project_id=project.pk, dataset="interactions"
            )
        page = client_for(actor).get(reverse("insights:project", args=[project.pk]))
        assert page.status_code == 404
    assert not ResearchExport.objects.exists()


def test_download_is_logged_and_expires(
    world: Any, project: Any, items: list[Item], client_for: Any
) -> None:
    answers(consenting_students(world, 5), items, per=2)
    export = services.research_export_create(
        actor=world.researcher, project_id=project.pk, dataset="interactions"
    )
    client = client_for(world.researcher)
    url = reverse("insights:export_download", args=[export.pk])
    resp = client.get(url)
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/csv")
    assert b"person,birth_band,region" in resp.content
    log = AccessLog.objects.get(action="download")
    assert log.record_count == 10 and log.actor == world.researcher
    ResearchExport.objects.filter(pk=export.pk).update(
        expires_at=clock.now() - timedelta(minutes=1)
    )
    assert services.research_exports_expire() == 1
    resp = client.get(url)
    assert resp.status_code == 410
    assert AccessLog.objects.filter(action="download").count() == 1


def test_equipment_dataset_is_refused_when_schools_are_too_few(
    world: Any, project: Any
) -> None:
    before = AccessLog.objects.count()
    with pytest.raises(DomainError) as exc:
        services.research_export_create(
            actor=world.researcher, project_id=project.pk, dataset="equipment"
        )
    assert exc.value.code == "under_k"
    assert AccessLog.objects.count() == before


def test_aggregate_hides_groups_under_k(
    world: Any, project: Any, items: list[Item], api_token: Any, client: Any
) -> None:
    answers(consenting_students(world, 5), items)
    answers([consenting_students_other(world)], items)
    token = api_token(world.researcher)
    resp = client.get(
        f"/api/v1/insights/research/projects/{project.pk}/aggregate",
        {"dataset": "interactions", "by": "region"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["count"] == len(body["items"]) >= 2
    groups = {g["group"]: g for g in body["items"]}
    assert groups["gangseo"]["suppressed"] and groups["gangseo"]["people"] is None
    # The export's total (6 people) less Yangcheon's 5 would give Gangseo's one
    # person away: the next smallest group is hidden too.
    assert groups["yangcheon"]["suppressed"] and groups["yangcheon"]["rows"] is None
    resp = client.get(
        f"/api/v1/insights/research/projects/{project.pk}/aggregate",
        {"dataset": "mastery", "by": "region"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert resp.status_code == 403
    assert resp.json()["code"] == "dataset_not_covered"


def test_mastery_and_participation_exports(world: Any, items: list[Item]) -> None:
    today = clock.today()
    project = services.research_project_approve(
        actor=world.admin,
        data=services.ProjectInput(
            title="Mastery study",
            institution_id=world.university.pk,
            principal_investigator="Prof. Park",
            purpose="p",
            irb_ref="IRB-3",
            starts_on=today,
            ends_on=today,
            datasets=["mastery", "participation"],
            researcher_ids=[world.researcher.pk],
        ),
    )
    for item in items:
        item.skills = ["[9수01-01]"]
        item.save()
    users = consenting_students(world, 5)
    Interaction.objects.bulk_create(
        [
            Interaction(student=u, item=item, correct=True, skills=["[9수01-01]"])
            for u in users
            for item in items
        ]
    )
    export = services.research_export_create(
        actor=world.researcher, project_id=project.pk, dataset="mastery"
    )
    rows = rows_of(export)
    assert len(rows) == 5 and {r["skill"] for r in rows} == {"[9수01-01]"}
    assert all(0 <= float(r["mastery"]) <= 1 for r in rows)
    # Nobody took part in a programme: refused, not an empty file.
    with pytest.raises(DomainError) as exc:
        services.research_export_create(
            actor=world.researcher, project_id=project.pk, dataset="participation"
        )
    assert exc.value.code == "under_k"
