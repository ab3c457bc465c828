"""Mentor journey (phone, Korean): after last week's session, the mentor confirms it
and files the session report from the pair page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nanum.core.models import User
from nanum.mentoring.models import Session, SessionReport

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_mentor_records_a_session_report_on_a_phone(demo: None, phone_page: Page):
    page = phone_page
    mentor = User.objects.get(username="mentor")
    waiting = Session.objects.filter(
        match__mentor__user=mentor,
        status=Session.Status.SCHEDULED,
        mentor_confirmed_at__isnull=True,
        student_confirmed_at__isnull=False,
    ).order_by("starts_at")
    assert waiting.exists(), "the demo leaves a past session waiting for the mentor"
    session = waiting.first()
    assert session is not None
    reports_before = SessionReport.objects.count()

    sign_in(page, "mentor")  # clicks: 1 (sign in)
    page.get_by_role("link", name="멘토링", exact=True).first.click()  # 2
    expect(page.get_by_role("heading", name="1:1 멘토링")).to_be_visible()
    page.get_by_role("table", name="내 멘티").get_by_role("link").first.click()  # 3
    # Last week's session: the mentee confirmed it; the mentor confirms too.
    page.get_by_role("button", name="출석 확인").first.click()  # 4
    page.get_by_role("link", name="보고서 작성").last.click()  # 5
    page.get_by_label("다룬 내용").fill("이차방정식의 근의 공식")
    page.get_by_label("주간 퀴즈").fill("5주차 퀴즈")
    page.get_by_label("퀴즈 결과(%)").fill("85")
    page.get_by_label("학습 보고서").fill("근의 공식을 스스로 유도함. 다음 주 판별식.")
    page.get_by_role("button", name="제출").click()  # 6

    expect(page.get_by_text("보고서를 제출했습니다.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="이차방정식의 근의 공식")
    expect(row).to_be_visible()
    expect(row).to_contain_text("5주차 퀴즈 85%")
    session.refresh_from_db()
    assert session.status == Session.Status.HELD
    assert session.report.quiz_score == 85
    assert SessionReport.objects.count() == reports_before + 1
    # Nothing sideways on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
