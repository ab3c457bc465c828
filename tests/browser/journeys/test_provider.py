"""Provider journey (English): report study minutes for the seats assigned to the
provider; a file with a wrong row is refused whole and the row is named."""

from __future__ import annotations

import pytest
from playwright.sync_api import FilePayload, Page, expect

from nanum.core import clock
from nanum.learning.models import Seat, UsageRecord

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def _csv(*rows: str) -> FilePayload:
    body = "\n".join(["ref,date,minutes", *rows]) + "\n"
    return FilePayload(name="usage.csv", mimeType="text/csv", buffer=body.encode())


def test_provider_uploads_usage_for_their_seats(demo: None, page: Page):
    seats = Seat.objects.filter(
        provider__code="provider-megastudy", state=Seat.State.ACTIVE
    )
    assert seats.exists(), "the demo assigns seats to the provider"
    today = clock.today().isoformat()

    sign_in(page, "provider")  # clicks: 1
    page.get_by_label("언어").select_option("en")
    page.get_by_role("button", name="언어 변경").click()  # 2
    page.get_by_role("link", name="Seats and usage", exact=True).first.click()  # 3
    expect(page.get_by_role("heading", name="Active seats")).to_be_visible()
    ref = page.locator("tbody tr").first.locator("code").inner_text()
    seat = Seat.objects.get(ref=ref)
    assert seat.provider.code == "provider-megastudy"
    upload = page.get_by_label("Usage file (CSV: ref,date,minutes)")

    upload.set_input_files(_csv(f"{ref},{today},45", f"NOPE-1,{today},30"))
    page.get_by_role("button", name="Upload").click()  # 4
    alert = page.get_by_role("alert").filter(has_text="Rows to fix")
    expect(alert).to_contain_text("line 3: unknown seat reference")
    assert not UsageRecord.objects.filter(seat=seat, day=today, minutes=45).exists()

    page.get_by_label("Usage file (CSV: ref,date,minutes)").set_input_files(
        _csv(f"{ref},{today},45")
    )
    page.get_by_role("button", name="Upload").click()  # 5
    expect(page.get_by_text("1 rows were imported.")).to_be_visible()
    assert UsageRecord.objects.get(seat=seat, day=today).minutes == 45
    seat.refresh_from_db()
    assert seat.last_used_on is not None and seat.last_used_on.isoformat() == today
    row = page.locator("tbody tr").filter(has=page.locator("code", has_text=ref))
    expect(row.locator("td").last).not_to_have_text("-")
