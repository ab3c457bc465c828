"""In a real browser, in Korean: a student applies, an officer approves, the student
sees the place and chooses a lecture site."""

from __future__ import annotations

import pytest
from django.utils import timezone

from nanum.core.testing import PASSWORD
from nanum.learning.models import Application, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/")


def test_student_applies_officer_approves_student_chooses_a_site(
    page, browser, live_server, world, provider_seats
):
    sign_in(page, "student")
    page.goto("/learning/apply/seoul/")
    page.get_by_label("학생 이름").fill("김학생")
    page.get_by_label("학생 출생 연도").fill("2011")
    page.get_by_label("학교급").select_option("middle")
    page.get_by_label("지원 자격 유형").select_option("basic_livelihood")
    page.get_by_label("학생이 이 지역에 살고 있습니다").check()
    page.get_by_label("수집·이용하는 데 동의합니다").check()
    page.get_by_role("button", name="신청하기").click()
    page.wait_for_url("**/learning/me/applications/*/")
    assert page.get_by_text("접수됨, 심사 대기").is_visible()
    app = Application.objects.get()

    officer_context = browser.new_context(locale="ko-KR", base_url=live_server.url)
    officer = officer_context.new_page()
    sign_in(officer, "officer.seoul")
    officer.goto("/learning/officer/")
    officer.get_by_role("link", name=str(app.pk), exact=True).click()
    officer.get_by_label("결정").select_option("approve")
    officer.get_by_label("공적 자료 확인일").fill(timezone.localdate().isoformat())
    officer.get_by_role("button", name="결정 저장").click()
    officer.wait_for_load_state()
    assert officer.get_by_text("승인됨, 회원").first.is_visible()
    officer_context.close()
    app.refresh_from_db()
    assert app.status == Status.APPROVED

    page.goto("/learning/me/")
    page.get_by_label("메가스터디").check()
    page.get_by_role("button", name="이 사이트로 정하기").click()
    page.wait_for_load_state()
    assert page.get_by_text("좌석이 준비되었습니다.").is_visible()
    assert page.get_by_role("button", name="메가스터디로 이동").is_visible()
