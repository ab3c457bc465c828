"""Office administrator journey (Korean, 360×740 phone): the equity dashboard with the
demo's figures, grouped by district office, and a school's need index explained."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from nanum.core import clock
from nanum.insights.services import term_of

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_admin_reads_the_equity_dashboard_on_a_phone(
    demo: None, phone_page: Page
) -> None:
    page = phone_page
    sign_in(page, "admin")  # clicks: 1
    page.locator("summary", has_text="메뉴").click()  # 2
    page.get_by_role("link", name="교육격차 현황판", exact=True).first.click()  # 3
    expect(page.get_by_role("heading", level=1)).to_have_text("교육격차 현황판")
    expect(page.get_by_role("heading", name="센터 프로그램 정원")).to_be_visible()
    expect(page.get_by_text("우선 배정 비율:").first).to_be_visible()
    # The demo's simulated archive: the previous term at every Seoul school.
    page.get_by_label("학기").select_option(
        term_of(clock.today() - timedelta(days=183))
    )
    page.get_by_label("묶는 기준").select_option("district_office")
    page.get_by_role("button", name="보기", exact=True).click()  # 4
    expect(page.locator("svg").first).to_be_visible()
    expect(
        page.get_by_role("row").filter(has_text="강서양천교육지원청").first
    ).to_be_visible()
    # No page-wide horizontal scroll on a phone: tables scroll in their own box.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1
    page.get_by_role("link", name="학교별 필요도 지수").click()  # 5
    page.locator("tbody tr").first.get_by_role("link").click()  # 6
    expect(page.get_by_role("heading", level=2).first).to_contain_text("지수 계산 방법")
    expect(page.get_by_text("교육급여·무상급식 대상 학생")).to_be_visible()
