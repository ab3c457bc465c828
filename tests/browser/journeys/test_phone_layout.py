"""Every page the journeys reach, on a 360×740 phone: nothing scrolls sideways, no table
cell is squeezed below two characters (Korean broken one syllable per line), tap
targets are at least 24 px (WCAG 2.2, 2.5.8), the menu folds behind one button, and
the browser logs no error (a CSP refusal of an inline style would be one)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Error, Page, expect

from .conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser]

MEASURE = r"""() => {
  const doc = document.documentElement;
  const narrow = [];
  for (const cell of document.querySelectorAll('td, th')) {
    const text = cell.innerText.trim();
    if (text.length < 2 || cell.getClientRects().length === 0) continue;
    const cs = getComputedStyle(cell);
    const em = parseFloat(cs.fontSize);
    const width = cell.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    if (width >= 2 * em - 0.5) continue;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
    // two characters as this font draws them (the machine may lack Korean fonts)
    const letters = text.replace(/\s/g, '').length;
    const two = 2 * boxes.reduce((sum, r) => sum + r.width, 0) / Math.max(letters, 1);
    if (width >= two - 0.5) continue;
    // lines of text: boxes whose tops differ by most of a line (fallback fonts
    // shift a box by a pixel or two on the same line)
    const tops = boxes.map((r) => r.top).sort((a, b) => a - b);
    let lines = tops.length ? 1 : 0;
    for (let i = 1; i < tops.length; i++) if (tops[i] - tops[i - 1] > 0.8 * em) lines++;
    if (lines > 1) narrow.push(text.slice(0, 24) + ' (' + Math.round(width) + 'px)');
  }
  const small = [];
  const targets = 'input[type=radio], input[type=checkbox], button, select, summary, '
    + 'td a, th a, .main-nav a, .menu-panel a';
  for (const el of document.querySelectorAll(targets)) {
    if (!el.checkVisibility()) continue;
    const box = el.getBoundingClientRect();
    const tiny = box.height < 23.5
      || (el.matches('input[type=radio], input[type=checkbox]') && box.width < 23.5);
    if (tiny) small.push(el.tagName + ' ' + (el.innerText || el.name || '').trim().slice(0, 20)
      + ' ' + Math.round(box.width) + 'x' + Math.round(box.height));
  }
  return {
    sideways: Math.max(doc.scrollWidth, document.body.scrollWidth) - window.innerWidth,
    narrow, small,
  };
}"""


def _check(page: Page, url: str, errors: list[str]) -> dict[str, Any]:
    errors.clear()
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("load")
    found: dict[str, Any] = page.evaluate(MEASURE)
    return {
        "url": url,
        "sideways": found["sideways"],
        "narrow": found["narrow"],
        "small": found["small"],
        "errors": list(errors),
    }


def _watch(page: Page) -> list[str]:
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            errors.append(msg.text)

    def on_error(exc: Error) -> None:
        errors.append(str(exc))

    page.on("console", on_console)
    page.on("pageerror", on_error)
    return errors


def _assert_clean(results: list[dict[str, Any]]) -> None:
    bad = [
        r
        for r in results
        if r["sideways"] > 0 or r["narrow"] or r["small"] or r["errors"]
    ]
    assert bad == [], bad


PUBLIC = ["/", "/programs/", "/learning/", "/learning/t/seoul/", "/accounts/signup/"]

SIGNED_IN = {
    "teacher": ["/", "lending:search", "lending:my_reservations", "programs:list"],
    "student": ["learning:student_home", "learning:lessons", "mentoring:home"],
    "officer.seoul": ["learning:review_queue", "learning:officer_stats"],
    "bank.gangseo": ["lending:board", "lending:staff_search"],
    "mentor": ["mentoring:home"],
    "centre": ["programs:organiser"],
}


def _url(name: str) -> str:
    return name if name.startswith("/") else reverse(name)


def test_public_pages_fit_a_phone(demo: None, phone_page: Page) -> None:
    page = phone_page
    errors = _watch(page)
    _assert_clean([_check(page, url, errors) for url in PUBLIC])
    # The favicon the browser asks for by name is there.
    response = page.request.get("/favicon.ico")
    assert response.status == 200


def test_the_phone_menu_folds_behind_one_button(demo: None, phone_page: Page) -> None:
    page = phone_page
    page.goto("/")
    header = page.locator(".header-row").bounding_box()
    assert header is not None and header["height"] <= 64  # one compact row
    assert header["width"] <= PHONE["width"]
    programmes = page.get_by_role("navigation", name="주 메뉴").get_by_role(
        "link", name="교육 프로그램", exact=True
    )
    expect(programmes).to_be_hidden()
    page.locator("summary", has_text="메뉴").click()  # the <details> button, no script
    expect(programmes).to_be_visible()
    programmes.click()
    page.wait_for_url("**/programs/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("프로그램")


@pytest.mark.parametrize("username", sorted(SIGNED_IN))
def test_signed_in_pages_fit_a_phone(
    demo: None, phone_page: Page, username: str
) -> None:
    page = phone_page
    sign_in(page, username)  # through the front door's sign-in form
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("함께 나눠요")
    errors = _watch(page)
    results = [_check(page, _url(name), errors) for name in SIGNED_IN[username]]
    if username == "teacher":  # the search with its results
        page.goto(reverse("lending:search"))
        page.get_by_label("검색어").fill("현미경")
        page.get_by_role("button", name="검색", exact=True).click()
        page.wait_for_load_state("load")
        expect(page.get_by_role("heading", name="생물 현미경").first).to_be_visible()
        found = page.evaluate(MEASURE)
        results.append({"url": "search 현미경", **found, "errors": list(errors)})
    _assert_clean(results)
