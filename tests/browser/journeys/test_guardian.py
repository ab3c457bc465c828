"""Guardian journey with a child under 14: the guardian (on a phone, Korean) adds the
child, applies for them and attaches the family-relationship certificate; the Seoul
officer approves; the guardian chooses the lecture site and opens it for the child,
then gives the child a one-time code; the child signs in with it (in English),
studies a lesson; the guardian sees the study time on the child's page."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from nanum.core import clock
from nanum.learning.models import (
    Application,
    Document,
    Interaction,
    Seat,
    Status,
    StudyDay,
)

from .conftest import sign_in

pytestmark = [pytest.mark.browser]

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 1 >> endobj\n"
    b"2 0 obj << /Type /Page /Parent 1 0 R >> endobj\ntrailer << >>\n%%EOF\n"
)


@pytest.fixture
def child_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(locale="ko-KR", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_a_guardian_brings_a_child_under_14_to_study(
    demo: None, phone_page: Page, page: Page, child_page: Page
) -> None:
    guardian, officer, kid = phone_page, page, child_page
    year = clock.today().year

    # --- the guardian adds the child and applies (phone, Korean) -----------------
    sign_in(guardian, "guardian")
    guardian.locator("summary", has_text="메뉴").click()
    guardian.get_by_role("link", name="내 자녀", exact=True).first.click()
    guardian.get_by_label("자녀 이름").fill("정새싹")
    guardian.get_by_label("자녀 출생 연도").fill(str(year - 10))
    guardian.get_by_role("button", name="추가", exact=True).click()
    guardian.locator('a[href="/learning/apply/seoul/"]').first.click()
    guardian.locator("#id_student").select_option(label="정새싹")
    guardian.locator("#id_full_name").fill("정새싹")
    guardian.locator("#id_birth_year").fill(str(year - 10))
    guardian.locator("#id_school_level").select_option("elementary")
    guardian.locator("#id_grade").fill("4")
    guardian.locator("#id_category").select_option("basic_livelihood")
    guardian.locator("#id_district").fill("강서구")
    guardian.locator("#id_lives_in_town").check()
    guardian.locator("#id_relationship_documents").set_input_files(
        {"name": "family.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    guardian.locator("#id_consent_collection").check()
    guardian.locator("#id_guardian_consent").check()
    guardian.get_by_role("button", name="신청하기").click()
    expect(guardian.get_by_text("신청이 접수되었습니다.")).to_be_visible()
    app = Application.objects.get(student__display_name="정새싹")
    assert app.status == Status.SUBMITTED
    assert app.applicant is not None and app.applicant.username == "guardian"
    assert Document.objects.filter(application=app, kind="relationship").exists()
    assert guardian.evaluate("document.documentElement.scrollWidth") <= 360 + 1

    # --- the officer approves (desktop, Korean) ---------------------------------
    sign_in(officer, "officer.seoul")
    officer.locator("nav.main-nav a[href='/learning/officer/']").click()
    officer.get_by_label("상태").select_option("submitted")
    officer.get_by_label("학교급").select_option("elementary")
    officer.get_by_role("button", name="필터").click()
    officer.get_by_role("link", name=str(app.pk), exact=True).click()
    officer.get_by_label("결정").select_option("approve")
    officer.get_by_label("공적 자료 확인일").fill(clock.today().isoformat())
    officer.get_by_role("button", name="결정 저장").click()
    expect(officer.get_by_text("결정을 저장하고 학생에게 알렸습니다.")).to_be_visible()
    app.refresh_from_db()
    assert app.status == Status.APPROVED

    # --- the guardian chooses the site and opens it for the child ------------------
    guardian.locator("summary", has_text="메뉴").click()
    guardian.get_by_role("link", name="내 자녀", exact=True).first.click()
    guardian.get_by_role("link", name="정새싹").click()
    guardian.get_by_label("엠베스트").check()
    guardian.get_by_role("button", name="이 사이트로 정하기").click()
    expect(guardian.get_by_text("자녀의 자리가 준비되었습니다.")).to_be_visible()
    seat = Seat.objects.get(student=app.student, state=Seat.State.ACTIVE)
    opened: list[str] = []

    def provider(route: Route) -> None:
        opened.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p>provider</p>")

    guardian.route("https://mbest.example/**", provider)
    guardian.get_by_role("button", name="엠베스트 열기").click()
    guardian.wait_for_url("https://mbest.example/**")
    token = parse_qs(urlparse(opened[0]).query)["nanum_token"][0]
    assert seat.ref and "정새싹" not in token
    guardian.go_back()

    # --- the guardian makes a one-time code for the child -------------------------
    guardian.goto(f"/learning/me/children/{app.student_id}/")
    guardian.locator("#code_consent").check()
    guardian.get_by_role("button", name="코드 만들기").click()
    code = guardian.locator("#child-code").inner_text()
    assert len(code) == 11

    # --- the child signs in with the code, in English, and studies ------------------
    kid.goto("/")
    kid.get_by_role(
        "link", name="만 14세 미만인가요? 보호자에게 받은 코드로 로그인"
    ).click()
    kid.get_by_label("보호자에게 받은 로그인 코드").fill(code)
    kid.get_by_role("button", name="로그인").click()
    kid.wait_for_url("**/learning/me/")
    kid.get_by_label("언어").select_option("en")
    kid.get_by_role("button", name="언어 변경").click()
    expect(kid.locator("html")).to_have_attribute("lang", "en")
    kid.get_by_role("link", name="All lessons").click()
    kid.locator("main a[href^='/learning/lessons/']").first.click()
    form = kid.locator("form.quiz-item").first
    form.locator('input[type="radio"]').nth(0).check()
    form.get_by_role("button", name="Answer").click()
    expect(kid.locator("#feedback")).to_be_visible()
    assert Interaction.objects.filter(student=app.student).count() == 1
    studied = StudyDay.objects.get(student=app.student, day=clock.today())
    assert studied.nanum_minutes >= 1

    # --- the guardian sees the progress ------------------------------------------
    guardian.reload()
    summary = guardian.get_by_role("region", name="학습")
    expect(summary).to_contain_text(f"{studied.nanum_minutes} 분")
    expect(summary.locator(".card").nth(1)).to_contain_text("1")
    assert guardian.evaluate("document.documentElement.scrollWidth") <= 360 + 1
