"""In Chromium: a teacher finds microscopes and reserves them with the keyboard, no JS needed."""

from __future__ import annotations

import pytest

from nanum.core.testing import PASSWORD
from nanum.lending.models import Reservation

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
