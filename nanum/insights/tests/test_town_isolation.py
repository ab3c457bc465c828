"""A town officer never gets another town's figures: not through the CSV or Excel
file, the schools list and a school's page, nor by asking for a rebuild."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from nanum.core.models import AuditLog, Organisation
from nanum.insights.models import EquityFact

from .conftest import add_facts

pytestmark = pytest.mark.django_db

PAGE = reverse("insights:dashboard")


@pytest.fixture
def two_towns(equity_world: Any) -> Any:
    """Seoul's equipment facts (equity_world); Gimpo: a school with its own index
    and 8 people asking for places; Pyeongchang: 6 people asking for places."""
    w = equity_world
    w.gimpo_school = Organisation.objects.create(
        code="school-gimpo",
        kind=Organisation.Kind.SCHOOL,
        name_ko="김포한강초등학교",
        name_en="Gimpo Hangang Elementary School",
        tenant=w.gimpo,
        school_level="elementary",
        need_index=Decimal("0.777"),
    )
    add_facts(
        tenant=w.pyeongchang,
        office=None,
        school=None,
        people=6,
        resource="learn_place",
        quintile=0,
        prefix="pc",
    )
    return w


def _csv(resp: Any) -> list[list[str]]:
    assert resp.status_code == 200
    return list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))


def _xlsx(resp: Any) -> list[tuple[Any, ...]]:
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
    book = openpyxl.load_workbook(io.BytesIO(resp.content), read_only=True)
    sheet = book.active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"resource": "equipment"},
        {"by": "district_office"},
        {"district_office": "DO"},
        {"term": "2026-2", "by": "category"},
    ],
)
def test_exports_hold_only_the_officers_town(
    two_towns: Any, client_for: Any, params: dict[str, str]
) -> None:
    w = two_towns
    if params.get("district_office") == "DO":
        params = {"district_office": str(w.district_office.pk)}
    before = EquityFact.objects.count()
    web = client_for(w.gimpo_officer)
    rows = _csv(web.get(PAGE, {**params, "format": "csv"}))[1:]
    sheet = _xlsx(web.get(PAGE, {**params, "format": "xlsx"}))[1:]
    text = repr(rows) + repr(sheet)
    # Nothing of Seoul's equipment or offices, nor Pyeongchang's six people.
    for foreign in (
        "K-STEM",
        "교구",
        w.district_office.name_ko,
        w.other_district_office.name_ko,
    ):
        assert foreign not in text
    assert {r[0] for r in rows} <= {"서울런 회원 정원"}
    if not params:
        totals = [r for r in rows if r[1] == "전체"]
        assert [r[2] for r in totals] == ["8"]  # Gimpo's 8, not 8 + 6
        assert [r[2] for r in sheet if r[1] == "전체"] == [8]
    # And the other way: Pyeongchang's officer gets Pyeongchang's 6 only.
    rows = _csv(client_for(w.pyeongchang_officer).get(PAGE, {"format": "csv"}))[1:]
    assert [r[2] for r in rows if r[1] == "전체"] == ["6"]
    assert EquityFact.objects.count() == before


def test_the_schools_list_and_pages_hold_only_the_officers_town(
    two_towns: Any, client_for: Any, client: Any, api_token: Any
) -> None:
    w = two_towns
    gimpo = client_for(w.gimpo_officer)
    text = gimpo.get(reverse("insights:schools")).content.decode()
    assert w.gimpo_school.name_ko in text
    for seoul_school in (w.small_school, w.big_school, w.middle_school):
        assert seoul_school.name_ko not in text
        # Searching by name does not widen the list.
        found = gimpo.get(reverse("insights:schools"), {"q": seoul_school.name_ko})
        link = reverse("insights:school_need", args=[seoul_school.pk])
        assert link not in found.content.decode() and link not in text
        page = gimpo.get(reverse("insights:school_need", args=[seoul_school.pk]))
        assert page.status_code == 404
        assert seoul_school.name_ko not in page.content.decode()
        resp = client.get(
            f"/api/v1/insights/schools/{seoul_school.pk}/need-index",
            HTTP_AUTHORIZATION=f"Bearer {api_token(w.gimpo_officer)}",
        )
        assert resp.status_code == 404
        assert seoul_school.name_ko not in resp.content.decode()
    # Seoul's officer sees Seoul's schools and not Gimpo's.
    seoul = client_for(w.seoul_officer)
    text = seoul.get(reverse("insights:schools")).content.decode()
    assert w.small_school.name_ko in text and w.gimpo_school.name_ko not in text
    page = seoul.get(reverse("insights:school_need", args=[w.gimpo_school.pk]))
    assert page.status_code == 404 and "0.777" not in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_town_officer_cannot_rebuild_the_figures(
    two_towns: Any, client_for: Any, settings: Any
) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "mail", "ml"],
        }
    }
    w = two_towns
    facts = list(EquityFact.objects.order_by("pk").values_list("pk", "person"))
    audits = AuditLog.objects.count()
    for officer in (w.gimpo_officer, w.seoul_officer, w.pyeongchang_officer):
        resp = client_for(officer).post(reverse("insights:refresh"))
        assert resp.status_code in (403, 404)
        text = resp.content.decode()
        assert "K-STEM" not in text and w.gimpo_school.name_ko not in text
    assert not DBTaskResult.objects.exists()  # nothing queued
    assert AuditLog.objects.count() == audits
    assert list(EquityFact.objects.order_by("pk").values_list("pk", "person")) == facts
