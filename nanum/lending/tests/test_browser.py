"""In Chromium: a teacher finds microscopes and reserves them with the keyboard, no JS needed."""

from __future__ import annotations

import pytest

from nanum.core.testing import PASSWORD
from nanum.lending.models import Reservation

from .helpers import book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_searches_and_reserves_in_korean(page, world, lending):
    page.goto("/accounts/login/")
    page.get_by_label("아이디").fill("teacher")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/")
    page.goto("/lending/")
    page.get_by_label("검색어").fill("현미경")
    page.get_by_label("시작일").fill(str(lending.day(0)))
    page.get_by_label("종료일").fill(str(lending.day(2)))
    page.get_by_label("수량").fill("2")
    page.get_by_role("button", name="검색", exact=True).press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="생물 현미경").is_visible()
    page.get_by_role("link", name="예약하기 생물 현미경").first.click()
    page.wait_for_load_state()
    page.get_by_role("combobox", name="학교").select_option(str(world.small_school.pk))
    page.get_by_label("활용 목적").fill("5학년 세포 관찰")
    page.get_by_role("button", name="예약하기").click()
    page.wait_for_load_state()
    assert page.get_by_text("확정").first.is_visible()
    r = Reservation.objects.get()
    assert r.quantity == 2 and r.status == "confirmed"


def test_the_pick_list_prints_one_bank_per_page_without_the_site_around_it(
    page, world, lending
):
    """On paper (print media, an A4 page's width) the pick list keeps only the lists:
    no menu, staff links or form; each bank starts a new page; nothing runs off the
    right edge."""
    book(world, lending, qty=2, start=0, end=2)  # 강서양천
    book(world, lending, model=lending.microbit, bank=world.central_bank, start=0)
    page.goto("/accounts/login/")
    page.get_by_label("아이디").fill(world.bank_officer.username)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/")
    page.goto("/lending/staff/lists/")
    page.get_by_label("날짜").fill(str(lending.day(0)))
    page.get_by_role("button", name="보기", exact=True).click()
    sections = page.locator("section.day-list")
    assert sections.count() == 2

    page.set_viewport_size({"width": 703, "height": 1000})  # A4 less 12 mm margins
    page.emulate_media(media="print")
    for hidden in ("header.site-header", ".staff-header", "form", "footer"):
        for el in page.locator(hidden).all():
            assert not el.is_visible(), hidden
    assert page.get_by_role("table").first.is_visible()
    breaks = sections.evaluate_all(
        "els => els.map(e => getComputedStyle(e).breakBefore)"
    )
    assert breaks[0] != "page" and breaks[1] == "page"
    assert page.evaluate("document.documentElement.scrollWidth") <= 703
    assert "style=" not in page.content()
