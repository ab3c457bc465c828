"""Centre staff journey (Korean): run the draw of a closed programme, take today's
attendance by the QR link (a pupil checks in on a phone), issue the certificates of a
finished programme and check one on the public verification page."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from nanum.core import clock
from nanum.programs.models import Application, Attendance, Certificate, Programme
from nanum.programs.services import running

from .conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser]


def test_centre_staff_draw_qr_attendance_and_certificates(
    demo: None, page: Page, browser: Browser, live_server: LiveServer, monkeypatch
):
    draw = Programme.objects.get(name_ko__startswith="과학 탐구 토요 교실")
    today = Programme.objects.get(name_ko__startswith="창의 수학 교실")
    done = Programme.objects.get(name_ko__startswith="가을 수학 탐구 교실")
    session = today.sessions.order_by("-starts_at").first()
    assert session is not None and draw.drawn_at is None
    assert not Certificate.objects.filter(application__programme=done).exists()
    # Check-in takes place during the session, whatever the hour the suite runs at.
    frozen = session.starts_at + timedelta(minutes=5)
    monkeypatch.setattr(
        running, "clock", SimpleNamespace(now=lambda: frozen, today=clock.today)
    )

    sign_in(page, "centre")  # clicks: 1
    page.get_by_role("link", name="프로그램 운영", exact=True).first.click()  # 2
    page.get_by_role("link", name=draw.name_ko).click()  # 3
    page.get_by_role("button", name="추첨하기").click()  # 4
    expect(page.get_by_text("추첨을 마쳤습니다.")).to_be_visible()
    statuses = set(draw.applications.values_list("status", flat=True))
    assert Application.Status.SELECTED in statuses
    assert Application.Status.SUBMITTED not in statuses
    selected = draw.applications.filter(status=Application.Status.SELECTED).count()
    assert selected == draw.capacity
    expect(page.get_by_role("cell", name=re.compile(r"^선정"))).to_have_count(selected)

    page.get_by_role("link", name="프로그램 운영", exact=True).first.click()  # 5
    page.get_by_role("link", name=today.name_ko).click()  # 6
    page.get_by_role("link", name="출석과 QR 출석 체크").last.click()  # 7
    qr = page.get_by_role("img", name="이 회차 출석용 QR 코드")
    expect(qr).to_be_visible()
    # the SVG displays (an <img> shows an SVG only with its namespace)
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=qr.element_handle()
    )
    link = page.locator("figcaption a").get_attribute("href")
    assert link and "/programs/checkin/" in link

    # A pupil scans the code on a phone, signs in and checks in.
    phone = browser.new_context(
        locale="ko-KR", base_url=live_server.url, viewport=PHONE, is_mobile=True
    ).new_page()
    sign_in(phone, "msc.pupil1")  # 8
    phone.goto(link)  # the scan
    phone.get_by_role("button", name="출석하기").click()  # 9
    expect(phone.get_by_role("status")).to_contain_text("출석이 확인되었습니다.")
    phone.context.close()
    page.reload()
    pupil = page.get_by_role("checkbox", name="강하늘")
    expect(pupil).to_be_checked()
    assert Attendance.objects.get(
        session=session, application__participant__username="msc.pupil1"
    ).present

    page.get_by_role("link", name="프로그램 운영", exact=True).first.click()  # 10
    page.get_by_role("link", name=done.name_ko).click()  # 11
    page.get_by_role("button", name="수료증 발급").click()  # 12
    issued = Certificate.objects.filter(application__programme=done)
    assert issued.exists()
    expect(
        page.get_by_text(f"수료증 {issued.count()}장을 발급했습니다.")
    ).to_be_visible()
    first = issued.order_by("pk").first()
    assert first is not None
    code = first.code
    expect(page.get_by_role("cell", name=code)).to_be_visible()

    page.get_by_role("link", name="교육 프로그램", exact=True).first.click()  # 13
    page.get_by_role("link", name="수료증 진위 확인").click()  # 14
    page.get_by_label("확인 코드").fill(code)
    page.get_by_role("button", name="확인", exact=True).click()  # 15
    expect(page.get_by_text("진본 수료증입니다.")).to_be_visible()
    expect(page.locator("dd").filter(has_text=done.name_ko)).to_be_visible()
