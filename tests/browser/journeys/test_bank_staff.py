"""Bank staff journey (Korean): find today's pickup, check it out by scanning a tag,
then take back the loan due today with a damage report."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nanum.core import clock
from nanum.lending.models import Asset, MaintenanceTicket, Reservation

from .conftest import sign_in

pytestmark = [pytest.mark.browser]

BANK = "bank-gangseo-yangcheon"


def test_bank_staff_checks_out_by_tag_and_checks_in_with_damage(demo: None, page: Page):
    today = clock.today()
    pickup = Reservation.objects.select_related("school").get(
        bank__code=BANK,
        start_date=today,
        status=Reservation.Status.CONFIRMED,
        equipment__code="tangram-class",
    )
    due = Reservation.objects.get(
        bank__code=BANK, end_date=today, status=Reservation.Status.CHECKED_OUT
    )
    due_tags = sorted(
        due.allocations.filter(active=True).values_list("asset__tag_code", flat=True)
    )
    tickets_before = MaintenanceTicket.objects.count()

    sign_in(page, "bank.gangseo")  # clicks: 1
    page.get_by_role("link", name="예약 찾기", exact=True).first.click()  # 2
    page.get_by_label("예약 번호, 학교 또는 교사").fill(pickup.school.name_ko)
    page.get_by_label("상태").select_option("confirmed")
    page.get_by_label("시작일").fill(today.isoformat())
    page.get_by_label("종료일").fill(today.isoformat())
    page.get_by_role("button", name="검색", exact=True).click()  # 3
    found = page.get_by_role("table", name="찾은 예약")
    found.get_by_role("link", name=str(pickup.pk), exact=True).click()  # 4
    held = page.locator("dd code")
    expect(held).to_have_count(pickup.quantity)
    tags = held.all_inner_texts()

    # Scan the first unit's label: the unit page offers the one action that fits.
    page.get_by_label("태그 스캔 또는 입력").fill(tags[0])
    page.get_by_role("button", name="장비 열기").click()  # 5
    expect(page.get_by_role("heading", name=tags[0])).to_be_visible()
    page.get_by_role("link", name="대여 처리", exact=True).click()  # 6
    page.get_by_label("태그 코드").fill("\n".join(tags))
    page.get_by_role("button", name="대여 처리", exact=True).click()  # 7
    expect(page.get_by_text("대여 처리했습니다.")).to_be_visible()
    expect(page.locator("dd strong")).to_have_text("대여 중")

    # The loan due back today: scan a unit, check in, report the damage.
    page.get_by_label("태그 스캔 또는 입력").fill(due_tags[0])
    page.get_by_role("button", name="장비 열기").click()  # 8
    page.get_by_role("link", name="반납 처리", exact=True).click()  # 9
    unit = page.locator("fieldset").filter(has_text=due_tags[0])
    unit.get_by_label("상태").select_option("damaged")
    page.get_by_role("button", name="반납 처리", exact=True).click()  # 10
    expect(
        page.get_by_text("손상 내용을 적어 주세요.", exact=True)
    ).to_be_visible()  # refused
    assert Reservation.objects.get(pk=due.pk).status == Reservation.Status.CHECKED_OUT
    unit.get_by_label("파손 내용").fill("렌즈 덮개 금감")
    page.get_by_role("button", name="반납 처리", exact=True).click()  # 11
    expect(page.get_by_text("반납 처리했습니다.")).to_be_visible()
    expect(page.locator("dd strong")).to_have_text("반납 완료")

    pickup.refresh_from_db()
    due.refresh_from_db()
    assert pickup.status == Reservation.Status.CHECKED_OUT
    assert due.status == Reservation.Status.RETURNED
    damaged = Asset.objects.get(tag_code=due_tags[0])
    assert damaged.condition == Asset.Condition.DAMAGED
    assert MaintenanceTicket.objects.count() == tickets_before + 1
    ticket = MaintenanceTicket.objects.latest("pk")
    assert ticket.asset_id == damaged.pk and "렌즈 덮개" in ticket.description
