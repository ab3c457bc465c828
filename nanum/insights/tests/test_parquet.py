"""Research exports as Parquet beside CSV: the same de-identified rows, typed columns,
read back with pyarrow; the page and the API hand out the file as it was made."""

from __future__ import annotations

import csv
import io
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.urls import reverse

from nanum.core.errors import InvalidInput
from nanum.core.models import AccessLog, Role
from nanum.core.testing import make_user
from nanum.insights import services
from nanum.insights.models import Dataset, ResearchExport, ResearchProject
from nanum.learning.models import Course, Interaction, Item, Lesson

from .conftest import consenting_students

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world: Any) -> list[Any]:
    """6 consenting students (3 answers each), one who did not consent."""
    course = Course.objects.create(
        title="중1 수학", subject="수학", school_level="middle", grade=1
    )
    lesson = Lesson.objects.create(course=course, order=1, title="비", reading="...")
    item = Item.objects.create(
        lesson=lesson, order=1, prompt="q", choices=["a", "b"], answer=0
    )
    group = consenting_students(world, 6)
    refused = make_user("nocons", Role.STUDENT, world.middle_school, birth_year=2008)
    Interaction.objects.bulk_create(
        [
            Interaction(student=u, item=item, correct=j % 2 == 0)
            for u in [*group, refused]
            for j in range(3)
        ]
    )
    return [*group, refused]


def _table(export: ResearchExport) -> Any:
    return pq.read_table(io.BytesIO(bytes(export.content or b"")))


def test_parquet_holds_the_same_pseudonymised_rows_as_the_csv(
    world: Any, project: ResearchProject, people: list[Any]
) -> None:
    make = services.research_export_create
    as_csv = make(
        actor=world.researcher, project_id=project.pk, dataset=Dataset.INTERACTIONS
    )
    as_parquet = make(
        actor=world.researcher,
        project_id=project.pk,
        dataset=Dataset.INTERACTIONS,
        fmt="parquet",
    )
    assert as_parquet.fmt == "parquet"
    assert bytes(as_parquet.content or b"")[:4] == b"PAR1"
    table = _table(as_parquet)
    assert table.column_names == [
        "person",
        "birth_band",
        "region",
        "school_level",
        "item",
        "correct",
        "answered_on",
        "seconds",
    ]
    assert table.num_rows == as_parquet.row_count == as_csv.row_count == 18
    assert str(table.schema.field("item").type) == "int64"
    assert str(table.schema.field("seconds").type) == "double"
    rows = table.to_pylist()
    # Pseudonymised: no user id or username anywhere; the project's keyed pseudonym
    # of each consenting person, the same as in the CSV; the refuser left out.
    pseudonyms = {
        services.pseudonym(services.key_for(project), "person", u.pk): u for u in people
    }
    assert {r["person"] for r in rows} == {
        p for p, u in pseudonyms.items() if u.username != "nocons"
    }
    raw_ids = {str(u.pk) for u in people} | {u.username for u in people}
    assert not raw_ids & {str(r["person"]) for r in rows}
    # Quasi-identifiers generalised: a birth-year band, a district, a level.
    assert {r["birth_band"] for r in rows} == {services.birth_band(2008)}
    assert {r["school_level"] for r in rows} == {"middle"}
    assert {r["region"] for r in rows} == {world.middle_school.district.code}
    text = bytes(as_csv.content or b"").decode("utf-8-sig")
    csv_rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted((r["person"], r["item"]) for r in csv_rows) == sorted(
        (r["person"], str(r["item"])) for r in rows
    )


def test_an_unknown_format_is_refused_and_nothing_is_made(
    world: Any, project: ResearchProject, people: list[Any], client: Any, api_token: Any
) -> None:
    with pytest.raises(InvalidInput):
        services.research_export_create(
            actor=world.researcher,
            project_id=project.pk,
            dataset=Dataset.INTERACTIONS,
            fmt="xls",
        )
    resp = client.post(
        f"/api/v1/insights/research/projects/{project.pk}/exports",
        {"dataset": Dataset.INTERACTIONS, "fmt": "xls"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.researcher)}",
    )
    assert resp.status_code == 422
    assert not ResearchExport.objects.exists()


def test_page_and_api_hand_out_the_parquet_file(
    world: Any,
    project: ResearchProject,
    people: list[Any],
    client_for: Any,
    client: Any,
    api_token: Any,
) -> None:
    researcher = client_for(world.researcher)
    resp = researcher.post(
        reverse("insights:export_create", args=[project.pk]),
        {"dataset": Dataset.INTERACTIONS, "fmt": "parquet"},
    )
    assert resp.status_code == 302
    export = ResearchExport.objects.get()
    page = researcher.get(reverse("insights:project", args=[project.pk]))
    assert "Parquet 내려받기" in page.content.decode()
    logs = AccessLog.objects.filter(action="download").count()
    got = researcher.get(reverse("insights:export_download", args=[export.pk]))
    assert got["Content-Type"] == "application/vnd.apache.parquet"
    assert f"{export.pk}.parquet" in got["Content-Disposition"]
    assert pq.read_table(io.BytesIO(got.content)).num_rows == 18

    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.researcher)}"}
    made = client.post(
        f"/api/v1/insights/research/projects/{project.pk}/exports",
        {"dataset": Dataset.INTERACTIONS, "fmt": "parquet"},
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    assert made.json()["fmt"] == "parquet"
    file = client.get(made.json()["download"], **auth)
    assert file["Content-Type"] == "application/vnd.apache.parquet"
    assert pq.read_table(io.BytesIO(file.content)).num_rows == 18
    assert AccessLog.objects.filter(action="download").count() == logs + 2
