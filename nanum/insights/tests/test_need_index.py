"""The need index: the documented formula, the yearly import (all rows or none, each
bad row reported), the current year on the organisation, the page that explains it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from nanum.core import clock
from nanum.core.errors import InvalidInput, PermissionDenied
from nanum.core.models import AuditLog, Organisation
from nanum.insights import services
from nanum.insights.models import NeedIndexRecord, need_index_formula

pytestmark = pytest.mark.django_db


def test_formula_weights_and_caps() -> None:
    t = need_index_formula(
        benefit_pct=Decimal("15"),  # half of the 30% cap -> 0.5
        multicultural_pct=Decimal("30"),  # over the 15% cap -> 1
        students=550,  # halfway between 100 and 1000 -> 0.5
        district_need=Decimal("0.4"),
    )
    assert (t.benefit, t.multicultural, t.small) == (
        Decimal("0.500"),
        Decimal("1.000"),
        Decimal("0.500"),
    )
    assert t.index == Decimal("0.585")  # .25 + .2 + .075 + .06


def row(code: str, year: int, **kw: str) -> dict[str, str]:
    base = {
        "school_code": code,
        "year": str(year),
        "benefit_pct": "30",
        "multicultural_pct": "0",
        "students": "1000",
        "district_need": "0",
    }
    return base | kw


def test_import_keeps_history_and_sets_the_current_year(world: Any) -> None:
    year = clock.today().year
    result = services.need_index_import(
        actor=world.admin,
        rows=[
            row("school-small", year - 1),
            row("school-small", year, benefit_pct="15"),
            row("school-small", year + 1, benefit_pct="0"),
        ],
        source="학교알리미",
    )
    assert result.created == 3 and result.current_changed == 1
    school = Organisation.objects.get(code="school-small")
    assert school.need_index == Decimal("0.250")  # this year's, not next year's
    assert NeedIndexRecord.objects.filter(school=school).count() == 3
    assert AuditLog.objects.filter(action="core.organisation.need_index").count() == 1
    # Importing the same year again updates it.
    result = services.need_index_import(
        actor=world.admin, rows=[row("school-small", year)], source="fix"
    )
    assert (result.created, result.updated) == (0, 1)
    school.refresh_from_db()
    assert school.need_index == Decimal("0.500")


def test_a_bad_file_changes_nothing_and_reports_each_row(world: Any) -> None:
    year = clock.today().year
    before = Organisation.objects.get(code="school-small").need_index
    with pytest.raises(InvalidInput) as exc:
        services.need_index_import(
            actor=world.admin,
            rows=[
                row("school-small", year),
                row("no-such-school", year),
                row("school-big", year, benefit_pct="140"),
                row("school-big", year + 5),
            ],
            source="x",
        )
    errors = exc.value.extra["row_errors"]
    assert [(e["row"], e["field"]) for e in errors] == [
        (3, "school_code"),
        (4, "benefit_pct"),
        (5, "year"),
    ]
    assert not NeedIndexRecord.objects.exists()
    assert Organisation.objects.get(code="school-small").need_index == before


def test_only_an_office_administrator_imports(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.need_index_import(
            actor=world.seoul_officer, rows=[row("school-small", 2026)], source="x"
        )
    assert not NeedIndexRecord.objects.exists()


def test_command_imports_a_csv_and_refuses_a_bad_one(
    world: Any, tmp_path: Path
) -> None:
    year = clock.today().year
    good = tmp_path / "good.csv"
    good.write_text(
        "school_code,year,benefit_pct,multicultural_pct,students\n"
        f"school-small,{year},12.5,4,96\n",
        encoding="utf-8",
    )
    call_command("need_index", "import", str(good), "--source", "학교알리미 2026")
    rec = NeedIndexRecord.objects.get()
    assert rec.district_need == Decimal("0.520")  # the district's, when not given
    assert rec.source == "학교알리미 2026"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "school_code,year,benefit_pct,multicultural_pct,students\n"
        f"school-big,{year},abc,4,96\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("need_index", "import", str(bad))
    assert NeedIndexRecord.objects.count() == 1
    header_only = tmp_path / "empty.csv"
    header_only.write_text("school_code,year\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("need_index", "import", str(header_only))


def test_school_page_shows_how_the_index_was_computed(
    world: Any, client_for: Any, client: Any, api_token: Any
) -> None:
    year = clock.today().year
    services.need_index_import(
        actor=None,
        rows=[row("school-small", year, benefit_pct="15", multicultural_pct="3")],
        source="학교알리미",
    )
    school = world.small_school
    resp = client_for(world.teacher).get(
        reverse("insights:school_need", args=[school.pk])
    )
    text = resp.content.decode()
    assert resp.status_code == 200
    assert "학교알리미" in text and "0.500" in text and "0.200" in text
    # Another town's officer does not see Seoul's schools.
    resp = client_for(world.gimpo_officer).get(
        reverse("insights:school_need", args=[school.pk])
    )
    assert resp.status_code == 404
    resp = client.get(
        f"/api/v1/insights/schools/{school.pk}/need-index",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.gimpo_officer)}",
    )
    assert resp.status_code == 404
    body = client.get(
        f"/api/v1/insights/schools/{school.pk}/need-index",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.teacher)}",
    ).json()
    assert body["history"][0]["benefit_pct"] == 15.0
