"""Student journey (phone, Korean): find a programme open to them and apply; the page
then says where the application stands instead of offering Apply again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nanum.core.models import User
from nanum.programs import selectors
from nanum.programs.models import Application, Programme

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def _open_to(student: User) -> Programme:
    """A programme the demo student can apply to now (a place, not the waiting list)."""
    for p in Programme.objects.filter(status=Programme.Status.PUBLISHED).order_by("pk"):
        options = selectors.programme_apply_options(
            actor=student,
            programme=p,
            mine=selectors.my_application_for(actor=student, programme=p),
            children=[],
            taken=selectors.seats_taken(p),
        )
        if options.can_apply and not options.waitlist and p.is_open():
            return p
    raise AssertionError("the demo has no programme open to the student")


def test_student_applies_to_a_programme_on_a_phone(demo: None, phone_page: Page):
    page = phone_page
    student = User.objects.get(username="student")
    p = _open_to(student)
    before = Application.objects.filter(participant=student).count()

    sign_in(page, "student")  # clicks: 1
    page.locator("summary", has_text="메뉴").click()  # 2: the phone menu
    page.get_by_role("link", name="교육 프로그램", exact=True).first.click()  # 3
    page.get_by_label("검색", exact=True).fill(p.name_ko)
    page.get_by_label("지금 신청 가능한 프로그램만").check()  # 4
    page.get_by_role("button", name="프로그램 보기").click()  # 5
    page.get_by_role("link", name=p.name_ko).click()  # 6
    page.get_by_role("button", name="신청하기").click()  # 7

    app = Application.objects.get(participant=student, programme=p)
    expect(page.get_by_role("heading", name="내 신청")).to_be_visible()
    expect(
        page.get_by_text(f"신청이 접수되었습니다: {app.get_status_display()}")
    ).to_be_visible()
    entry = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=p.name_ko)
    )
    expect(entry.locator(".status")).to_have_text(app.get_status_display())
    assert Application.objects.filter(participant=student).count() == before + 1
    # Back on the programme: no second Apply, the status instead.
    entry.get_by_role("link", name=p.name_ko).click()  # 8
    expect(page.get_by_role("button", name="신청하기")).to_have_count(0)
    expect(page.get_by_text(app.get_status_display()).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
