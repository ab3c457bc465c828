"""Office administrator journey (Korean, 360×740 phone): after the demo data, the
administrator uploads a small generated CSV of a year's school indicators, sees a bad
file refused row by row with nothing changed, then a good one imported, and reads the
school's index as computed from the uploaded figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import FilePayload, Page, expect

from nanum.core import clock
from nanum.core.models import Organisation
from nanum.insights.models import NeedIndexRecord, need_index_formula

from .conftest import sign_in

pytestmark = [pytest.mark.browser]

HEADER = "school_code,year,benefit_pct,multicultural_pct,students,district_need"


def _file(*rows: str) -> FilePayload:
    text = "\n".join([HEADER, *rows]) + "\n"
    return {"name": "need.csv", "mimeType": "text/csv", "buffer": text.encode()}


def test_admin_uploads_a_years_figures_and_reads_the_index(
    demo: None, phone_page: Page
) -> None:
    page = phone_page
    school, other = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).order_by(
        "code"
    )[:2]
    year = clock.today().year
    before = NeedIndexRecord.objects.filter(school=school, year=year).first()
    expected = need_index_formula(
        benefit_pct=Decimal("27.5"),
        multicultural_pct=Decimal("12"),
        students=140,
        district_need=Decimal("0.6"),
    ).index

    sign_in(page, "admin")
    page.goto("/insights/schools/")
    page.get_by_role("link", name="한 해의 자료 가져오기").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "한 해의 필요도 지수 자료 가져오기"
    )

    # A bad file: one good row and one with a benefit share above 100 (row 3).
    # Nothing is imported.
    page.get_by_label("엑셀(.xlsx) 또는 CSV 파일").set_input_files(
        _file(
            f"{school.code},{year},27.5,12,140,0.6",
            f"{other.code},{year},130,12,140,0.6",
        )
    )
    page.get_by_role("button", name="가져오기", exact=True).click()
    expect(page.get_by_text("아무것도 가져오지 않았습니다").first).to_be_visible()
    problems = page.get_by_role("table", name="행별 문제")
    expect(problems.get_by_role("row")).to_have_count(2)  # header + row 3
    expect(problems.get_by_role("cell", name="3", exact=True)).to_be_visible()
    expect(problems.get_by_role("cell", name="benefit_pct", exact=True)).to_be_visible()
    expect(problems.get_by_text("0에서 100 사이여야 합니다")).to_be_visible()
    after_bad = NeedIndexRecord.objects.filter(school=school, year=year).first()
    assert (after_bad and after_bad.index) == (before and before.index)

    # The corrected file is imported.
    page.get_by_label("엑셀(.xlsx) 또는 CSV 파일").set_input_files(
        _file(f"{school.code},{year},27.5,12,140,0.6")
    )
    page.get_by_label("수치의 출처").fill("학교알리미 시험")
    page.get_by_role("button", name="가져오기", exact=True).click()
    page.wait_for_url("**/insights/schools/")
    expect(page.get_by_text("현재 지수가 바뀌었습니다")).to_be_visible()

    page.get_by_label("학교 이름").fill(school.name)
    page.get_by_role("button", name="검색").click()
    page.get_by_role("link", name=school.name, exact=True).click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text(f"{year}")
    expect(page.get_by_text("출처: 학교알리미 시험")).to_be_visible()
    expect(page.locator("strong", has_text=str(expected)).first).to_be_visible()
    school.refresh_from_db()
    assert school.need_index == expected
