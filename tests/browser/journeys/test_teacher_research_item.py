"""Teacher journey (Korean, phone-free): find an idle research item from ZEUS in the
equipment search and request it; the central bank reviews and forwards it; the owner
institution's contact approves from the signed link, without an account."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nanum.core.models import User
from nanum.lending import selectors
from nanum.lending.models import ResearchRequest

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_teacher_requests_a_research_item_and_its_owner_approves(
    demo: None, page: Page
):
    teacher = User.objects.get(username="teacher")
    taken = set(ResearchRequest.objects.values_list("item_id", flat=True))
    shown, _total = selectors.research_search(actor=teacher, q="현미경")
    item = next(
        i
        for i in shown
        if i.use_scope == "shared" and i.lending == "loan" and i.pk not in taken
    )

    sign_in(page, "teacher")
    page.get_by_role("link", name="교구 찾기").first.click()
    page.get_by_label("검색어").fill("현미경")
    page.get_by_role("button", name="검색", exact=True).click()
    block = page.locator("#research-results")
    expect(block.get_by_role("heading")).to_contain_text("ZEUS")
    expect(block).to_contain_text(item.owner_name)
    block.locator(f'a[href="/lending/research/{item.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(item.name_ko)
    expect(page.get_by_text(item.nfec_no)).to_be_visible()
    page.get_by_label("활용 목적").fill("과학 동아리: 연구용 현미경으로 세포 관찰")
    page.get_by_role("button", name="신청 보내기").click()
    expect(page.get_by_text("중앙 은행 검토 대기")).to_be_visible()
    r = ResearchRequest.objects.get(item=item)
    assert r.requested_by == teacher and r.status == "review"

    # the central bank reviews and sends it to the owner institution
    page.context.clear_cookies()
    sign_in(page, "bank.central")
    page.get_by_role("link", name="연구장비 신청").first.click()
    page.get_by_role("link", name=f"#{r.pk}", exact=True).first.click()
    page.get_by_role("button", name="보유기관에 보내기").click()
    expect(page.get_by_text("보유기관 승인 대기")).to_be_visible()
    link = page.get_by_label("보유기관용 링크").input_value()
    assert "/lending/research/owner/" in link

    # the owner's contact: no account, the link is the key
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_text(item.nfec_no)).to_be_visible()
    page.get_by_label("승인").check()
    page.get_by_label("성명").fill("김연구")
    page.get_by_role("button", name="결정 보내기").click()
    expect(page.get_by_text("이 신청은 결정되었습니다. 감사합니다.")).to_be_visible()
    r.refresh_from_db()
    assert (r.status, r.owner_decided_by) == ("approved", "김연구")
