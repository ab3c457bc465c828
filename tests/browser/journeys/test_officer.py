"""Tenant officer journey (phone, Korean): open the Seoul Learn queue, approve a
submitted application against official records, and see the queue without it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nanum.core import clock
from nanum.learning.models import Application, Status

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_officer_approves_an_application_on_a_phone(demo: None, phone_page: Page):
    page = phone_page
    waiting = Application.objects.filter(
        tenant__slug="seoul", status=Status.SUBMITTED
    ).count()
    assert waiting >= 1, "the demo leaves Seoul applications waiting for review"
    others = Application.objects.exclude(tenant__slug="seoul").count()

    sign_in(page, "officer.seoul")  # clicks: 1
    page.locator("summary", has_text="메뉴").click()  # 2: the phone menu
    page.get_by_role("link", name="신청서 검토", exact=True).first.click()  # 3
    page.get_by_label("상태").select_option("submitted")
    page.get_by_role("button", name="필터").click()  # 4
    # A child under 14 without the family certificate cannot be approved (the row says
    # so); the officer opens one that can.
    rows = page.locator("tbody tr").filter(has_not_text="만 14세 미만")
    expect(rows.first).to_contain_text("접수됨, 심사 대기")
    number = rows.first.get_by_role("link").inner_text()
    app = Application.objects.get(pk=int(number))
    assert app.tenant.slug == "seoul" and app.status == Status.SUBMITTED
    rows.first.get_by_role("link").click()  # 5
    page.get_by_label("결정").select_option("approve")
    page.get_by_label("공적 자료 확인일").fill(clock.today().isoformat())
    page.get_by_role("button", name="결정 저장").click()  # 6
    expect(page.get_by_text("결정을 저장하고 학생에게 알렸습니다.")).to_be_visible()
    app.refresh_from_db()
    assert app.status in (Status.APPROVED, Status.WAITING)
    expect(page.get_by_text(app.get_status_display()).first).to_be_visible()

    page.locator("summary", has_text="메뉴").click()  # 7
    page.get_by_role("link", name="신청서 검토", exact=True).first.click()  # 8
    page.get_by_label("상태").select_option("submitted")
    page.get_by_role("button", name="필터").click()  # 9
    expect(page.get_by_role("link", name=number, exact=True)).to_have_count(0)
    assert (
        Application.objects.filter(
            tenant__slug="seoul", status=Status.SUBMITTED
        ).count()
        == waiting - 1
    )
    assert Application.objects.exclude(tenant__slug="seoul").count() == others
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
