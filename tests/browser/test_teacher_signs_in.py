"""A teacher signs in in Korean, switches to English and sees the role home page."""

from __future__ import annotations

import pytest

from nanum.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_signs_in_in_korean_then_switches_to_english(page, world):
    page.goto("/")
    # Anonymous: the login page, in Korean.
    assert page.locator("html").get_attribute("lang") == "ko"
    page.get_by_label("아이디").fill("teacher")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "김선생님, 환영합니다"
    assert page.get_by_text(world.small_school.name_ko).is_visible()
    # Switch to English with the header form, keyboard only.
    page.get_by_label("언어").select_option("en")
    page.get_by_role("button", name="언어 변경").press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Your roles").is_visible()
    assert page.get_by_text("Teacher", exact=True).first.is_visible()
    assert page.get_by_role("link", name="Home").is_visible()


def test_wrong_password_shows_an_accessible_error(page, world):
    page.goto("/accounts/login/")
    page.get_by_label("아이디").fill("teacher")
    page.get_by_label("비밀번호").fill("wrong-password")
    page.get_by_role("button", name="로그인").click()
    alert = page.get_by_role("alert")
    assert "비밀번호" in alert.inner_text()
    assert page.get_by_label("비밀번호").get_attribute("aria-invalid") == "true"
