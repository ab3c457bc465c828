"""Visit-slot journey (Korean): the central bank's staff publish a visit slot on an
on-site-only research item's page; a teacher sees it among the free slots, books it
for a class of pupils, and it is offered to nobody else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from nanum.core import clock
from nanum.core.models import User
from nanum.lending import selectors
from nanum.lending.models import ResearchRequest, ResearchVisitSlot

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_staff_publish_a_slot_and_a_teacher_books_it(demo: None, page: Page):
    teacher = User.objects.get(username="teacher")
    item = next(
        i
        for i in selectors.research_item_list(actor=teacher).filter(
            use_scope="shared", lending="on_site", idle_status="idle"
        )
        if not i.visit_slots.exists()
    )
    day = clock.today() + timedelta(days=30)
    while day.weekday() >= 5:
        day += timedelta(days=1)

    sign_in(page, "bank.central")
    page.goto(f"/lending/research/{item.pk}/")
    expect(page.get_by_role("heading", name="방문 시간대 게시")).to_be_visible()
    page.locator("#id_slot-date").fill(day.isoformat())  # label "날짜 *"
    page.get_by_label("시작 시각").fill("13:30")
    page.get_by_label("종료 시각").fill("15:00")
    page.get_by_label("최대 학생 수").fill("28")
    page.get_by_role("button", name="시간대 게시").click()
    expect(page.get_by_text("방문 시간대를 게시했습니다.")).to_be_visible()
    slot = ResearchVisitSlot.objects.get(item=item)
    assert (slot.date, slot.max_pupils) == (day, 28)
    page.context.clear_cookies()

    sign_in(page, "teacher")
    page.get_by_role("link", name="교구 찾기").first.click()
    page.get_by_label("검색어").fill(item.nfec_no)
    page.get_by_role("button", name="검색", exact=True).click()
    page.locator("#research-results").locator(
        f'a[href="/lending/research/{item.pk}/"]'
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(item.name_ko)
    page.get_by_label("학생과 현장 방문").check()
    page.get_by_label(re.compile("13:30–15:00")).check()
    page.get_by_label("학생 수 (방문 시)").fill("24")
    page.get_by_label("활용 목적").fill("과학 동아리 현장 체험")
    page.get_by_role("button", name="신청 보내기").click()
    expect(page.get_by_text("중앙 은행 검토 대기")).to_be_visible()
    expect(page.get_by_text("13:30–15:00")).to_be_visible()
    r = ResearchRequest.objects.get(slot=slot)
    assert (r.pupils, r.start_date, r.status) == (24, day, "review")
    page.goto(f"/lending/research/{item.pk}/")
    expect(page.get_by_label(re.compile("13:30–15:00"))).to_have_count(0)
