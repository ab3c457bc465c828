"""Researcher journey (Korean, desktop): open the approved SNU project, download its
first de-identified export, make another, and see aggregate figures; every download
is access-logged with its row count."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nanum.core.models import AccessLog
from nanum.insights.models import ResearchExport

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_researcher_downloads_the_first_export(demo: None, page: Page) -> None:
    first = ResearchExport.objects.get()
    sign_in(page, "researcher")  # clicks: 1
    page.get_by_role("link", name="연구 데이터", exact=True).first.click()  # 2
    page.get_by_role(
        "link", name="AI 기반 교수·학습 공동연구 (서울대학교)"
    ).click()  # 3
    expect(page.get_by_role("heading", level=1)).to_contain_text("AI 기반")
    expect(page.get_by_text("SNUIRB-2026-0412")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV 내려받기").first.click()  # 4
    download = info.value
    path = download.path()
    assert path is not None
    text = open(path, encoding="utf-8-sig").read()
    assert text.splitlines()[0].startswith("person,birth_band,region,school_level")
    assert len(text.strip().splitlines()) == first.row_count + 1
    log = AccessLog.objects.get(action="download", actor__username="researcher")
    assert log.record_count == first.row_count

    # Another export of the same dataset, made on the page.
    page.get_by_label("데이터셋").first.select_option("interactions")
    page.get_by_role("button", name="내보내기 만들기").click()  # 5
    expect(page.get_by_text("내보내기가 준비되었습니다")).to_be_visible()
    assert ResearchExport.objects.count() == 2

    page.get_by_label("묶는 기준").select_option("school_level")
    page.get_by_role("button", name="보기").click()  # 6
    expect(page.get_by_role("table", name="집단별 인원과 행 수")).to_be_visible()
