"""Teacher journey (phone, Korean): book a class set of microscopes across banks, then
handle it as one request: a change that cannot be filled is refused and changes
nothing, a smaller class set replaces every part, and one cancel ends them all."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from nanum.lending.models import Allocation, Reservation

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def _state() -> list[tuple[int, str, int]]:
    return sorted(Reservation.objects.values_list("pk", "status", "quantity"))


def test_teacher_changes_and_cancels_a_whole_class_request_on_a_phone(
    demo: None, phone_page: Page
):
    page = phone_page
    before = set(Reservation.objects.values_list("pk", flat=True))

    sign_in(page, "teacher")  # clicks: 1
    page.locator("summary", has_text="메뉴").click()  # 2: the phone menu
    page.get_by_role("link", name="교구 찾기", exact=True).first.click()  # 3
    page.get_by_label("검색어").fill("현미경")
    page.get_by_label("수량").fill("15")
    page.get_by_role("button", name="검색", exact=True).click()  # 4
    card = page.locator("article.card").filter(has_text="생물 현미경 (400배)")
    card.get_by_role("link", name="여러 교구은행에서 학급 세트로 신청").click()  # 5
    page.get_by_label("활용 목적").fill("5학년 세포 관찰: 두 명에 한 대")
    page.get_by_role("button", name="학급 세트 예약하기").click()  # 6
    expect(page.get_by_role("heading", name="내 예약")).to_be_visible()
    booked = list(Reservation.objects.exclude(pk__in=before).order_by("pk"))
    assert len(booked) >= 2 and sum(r.quantity for r in booked) == 15
    group = booked[0].class_request
    assert group and {r.class_request for r in booked} == {group}

    # The "학급 신청" badge of any part opens the whole request.
    page.get_by_role("link", name=f"학급 신청 {str(group)[:8]}").first.click()  # 7
    parts = page.get_by_role("table", name="이 학급 신청의 예약")
    expect(parts.locator("tbody tr")).to_have_count(len(booked))
    units = page.get_by_label(re.compile(r"생물 현미경 \(400배\) 수량"))
    expect(units).to_have_value("15")

    # More than all the banks hold: refused on the field, nothing changes.
    state = _state()
    allocations = Allocation.objects.filter(active=True).count()
    units.fill("500")
    page.get_by_role("button", name="신청 전체 변경").click()  # 8
    alert = page.locator("#form-errors")
    expect(alert).to_contain_text("500개 중")  # says how many are free
    expect(
        page.get_by_text("이 기간에 대여 가능한 수량이 부족합니다.").first
    ).to_be_visible()
    assert _state() == state
    assert Allocation.objects.filter(active=True).count() == allocations

    # A smaller class set: every part is booked again under the same request.
    page.get_by_label(re.compile(r"생물 현미경 \(400배\) 수량")).fill("10")
    page.get_by_role("button", name="신청 전체 변경").click()  # 9
    expect(page.get_by_text("학급 신청 전체를 변경했습니다.")).to_be_visible()
    live = Reservation.objects.filter(class_request=group, status__in=Reservation.OPEN)
    assert sum(r.quantity for r in live) == 10
    assert not live.filter(pk__in=[r.pk for r in booked]).exists()
    assert set(
        Reservation.objects.filter(pk__in=[r.pk for r in booked]).values_list(
            "status", flat=True
        )
    ) == {Reservation.Status.CANCELLED}

    # One cancel ends every part.
    page.get_by_label("사유").fill("수업 일정이 바뀌었습니다")
    page.get_by_role("button", name="모든 예약 취소").click()  # 10
    expect(page.get_by_text("학급 신청 전체를 취소했습니다.")).to_be_visible()
    expect(
        page.get_by_text("이 신청에는 진행 중인 예약이 더 없습니다.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="모든 예약 취소")).to_have_count(0)
    assert not Reservation.objects.filter(
        class_request=group, status__in=Reservation.OPEN
    ).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
