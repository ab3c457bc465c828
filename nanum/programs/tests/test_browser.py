"""In Chromium, without JavaScript: a student finds a programme, applies and sees why."""

from __future__ import annotations

import pytest

from nanum.core.testing import PASSWORD
from nanum.programs.models import Application
from nanum.programs.tests.helpers import make_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_student_applies_to_a_lottery_without_javascript(browser, live_server, world):
    p = make_programme(world.centre_staff, world.centre, selection="lottery")
    context = browser.new_context(
        locale="ko-KR", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto("/accounts/login/?next=/programs/")
        page.get_by_label("아이디").fill("student")
        page.get_by_label("비밀번호").fill(PASSWORD)
        page.get_by_role("button", name="로그인").click()
        page.wait_for_url("**/programs/")
        page.get_by_label("학년 (1–12)").fill("8")
        page.get_by_role("button", name="프로그램 보기").click()
        page.get_by_role("link", name=p.name_ko).click()
        page.get_by_label("참여자가 우선 선발 대상임을 신고합니다").check()
        page.get_by_role("button", name="신청하기").click()
        page.wait_for_url("**/programs/mine/")
        assert page.get_by_text("추첨 대기").first.is_visible()
        assert page.get_by_text("신청 마감 후 추첨으로 선발합니다").is_visible()
        app = Application.objects.get(programme=p)
        assert app.priority and app.participant == world.student
        # The programme page no longer offers to apply again: it says why, in Korean.
        page.goto(f"/programs/{p.pk}/")
        assert page.get_by_role("button", name="신청하기").count() == 0
        assert page.get_by_text("이미 신청함").first.is_visible()
        assert Application.objects.count() == 1
    finally:
        context.close()
