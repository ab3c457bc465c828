"""Teacher journey (Korean): from the search, browse the catalogue cards, open a
model's month of free dates and reserve a free date from the prefilled form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_teacher_finds_a_free_date_in_the_calendar_and_reserves_it(
    demo: None, page: Page
):
    sign_in(page, "teacher")  # clicks: 1
    page.get_by_role("link", name="교구 찾기", exact=True).first.click()  # 2
    page.get_by_role(
        "link", name="사진과 빌릴 수 있는 날짜로 기자재 목록 보기"
    ).click()  # 3
    card = page.locator("li.card").filter(has_text="생물 현미경 (400배)")
    expect(card).to_contain_text("교구은행 보유 수량")
    card.get_by_role("link", name="빌릴 수 있는 날짜").click()  # 4
    expect(page.locator("table.month-calendar caption")).to_contain_text("생물 현미경")
    page.get_by_role("link", name="다음 달").click()  # 5
    free = page.locator('td[data-free="yes"] a').first
    day = free.locator("xpath=ancestor::td").get_attribute("data-date")
    free.click()  # 6
    assert page.locator('input[name="start_date"]').input_value() == day
    assert page.locator('input[name="end_date"]').input_value() == day
    assert "style=" not in page.content()
