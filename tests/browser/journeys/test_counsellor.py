"""Counsellor journey (English): publish a new counselling slot and see the booking
the student already made."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from nanum.core import clock
from nanum.mentoring.models import CounsellingBooking, CounsellingSlot

from .conftest import sign_in

pytestmark = [pytest.mark.browser]

SEOUL = ZoneInfo("Asia/Seoul")


def test_counsellor_publishes_a_slot_and_sees_the_booking(demo: None, page: Page):
    booking = CounsellingBooking.objects.select_related("slot", "student").get(
        slot__counsellor__username="counsellor",
        status=CounsellingBooking.Status.BOOKED,
    )
    assert booking.student.username == "student"
    slots_before = CounsellingSlot.objects.filter(
        counsellor__username="counsellor"
    ).count()
    future_before = CounsellingSlot.objects.filter(
        counsellor__username="counsellor", starts_at__gt=clock.now()
    ).count()
    day = clock.today() + timedelta(days=12)

    sign_in(page, "counsellor")  # clicks: 1
    page.get_by_label("언어").select_option("en")
    page.get_by_role("button", name="언어 변경").click()  # 2
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Counselling", exact=True).first.click()  # 3
    expect(
        page.get_by_role("heading", name="Career and admissions counselling")
    ).to_be_visible()
    page.get_by_label("Starts at").fill(f"{day.isoformat()}T15:00")
    page.get_by_label("Length (minutes)").fill("50")
    page.get_by_label("Topic").select_option("career")
    page.get_by_role("button", name="Publish").click()  # 4

    expect(page.get_by_text("The slot is published.")).to_be_visible()
    slots = page.get_by_role("table", name="My slots")
    rows = slots.locator("tbody tr")
    # Soonest first: the student's booking (tomorrow) on top, the new slot last.
    expect(rows).to_have_count(future_before + 1)
    expect(rows.first).to_contain_text(str(booking.student))
    expect(rows.first).to_contain_text("Admissions")
    expect(rows.first.get_by_role("link")).to_have_accessible_name(
        f"{booking.student} · Admissions"
    )
    expect(rows.last).to_contain_text("15:00–15:50")
    expect(rows.last).to_contain_text("Career")
    starts = datetime.combine(day, time(15), tzinfo=SEOUL)
    assert CounsellingSlot.objects.filter(
        counsellor__username="counsellor", starts_at=starts
    ).exists()
    assert (
        CounsellingSlot.objects.filter(counsellor__username="counsellor").count()
        == slots_before + 1
    )
