"""Office administrator journey (English): rebuild the equity figures, read the
dashboard, take the CSV for a policy report and open the schools' need index."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from nanum.insights import selectors

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_administrator_reads_and_exports_the_equity_dashboard(demo: None, page: Page):
    sign_in(page, "admin")  # clicks: 1
    page.get_by_label("언어").select_option("en")
    page.get_by_role("button", name="언어 변경").click()  # 2
    page.get_by_role("link", name="Equity dashboard", exact=True).first.click()  # 3
    expect(
        page.get_by_text("All of Seoul and every town: the office view.")
    ).to_be_visible()
    page.get_by_role("button", name="Rebuild the figures now").click()  # 4
    expect(page.get_by_text("rebuilt in the background")).to_be_visible()
    sections = page.locator("section.card")
    expect(sections.first).to_contain_text("Priority share")
    assert sections.count() >= 2  # one per scarce resource

    with page.expect_download() as got:
        page.get_by_role("link", name="Download CSV").click()  # 5
    download = got.value
    path = download.path()
    assert path is not None
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [str(h) for h in rows[0]] == [str(h) for h in selectors.EXPORT_HEADER]
    assert len(rows) > 1

    page.get_by_role("link", name="Need index of each school").click()  # 6
    table = page.get_by_role("table", name="Schools and their need index")
    expect(table.locator("tbody tr").first).to_be_visible()
