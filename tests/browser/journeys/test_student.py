"""Student journey (Korean): book a career or admissions counselling slot."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nanum.mentoring.models import CounsellingBooking

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_student_books_a_counselling_slot(demo: None, page: Page):
    before = CounsellingBooking.objects.filter(
        student__username="student", status=CounsellingBooking.Status.BOOKED
    ).count()
    assert before == 1, "the demo student already has one consultation booked"

    sign_in(page, "student")  # clicks: 1
    page.get_by_role("link", name="진로·진학 상담", exact=True).first.click()  # 2
    expect(page.get_by_role("heading", name="예약 가능한 시간")).to_be_visible()
    card = page.locator("form.card").first
    when = card.get_by_role("heading").inner_text().split("–")[0].strip()
    card.get_by_label("주제").select_option("career")
    card.get_by_label("어떤 이야기를 나누고 싶나요?").fill(
        "이공계 진로를 고민하고 있어요."
    )
    card.get_by_role("button", name="예약").click()  # 3

    expect(
        page.get_by_text("예약했습니다. 하루 전에 알림을 보내 드립니다.")
    ).to_be_visible()
    mine = page.get_by_role("region", name="내 상담")
    expect(mine.get_by_role("listitem")).to_have_count(2)
    expect(mine.get_by_role("listitem").filter(has_text=when)).to_contain_text("예약됨")
    assert (
        CounsellingBooking.objects.filter(
            student__username="student", status=CounsellingBooking.Status.BOOKED
        ).count()
        == before + 1
    )
