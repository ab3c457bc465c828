"""Teacher journey (English): a class set of 15 microscopes that no single bank has,
filled from the nearest banks as one request, then the calendar feed of the parts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nanum.lending.models import Reservation

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_teacher_books_a_class_set_across_banks_and_subscribes(demo: None, page: Page):
    before = set(Reservation.objects.values_list("pk", flat=True))

    sign_in(page, "teacher")  # clicks: 1
    page.get_by_label("언어").select_option("en")
    page.get_by_role("button", name="언어 변경").click()  # 2
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Find equipment", exact=True).first.click()  # 3
    # The default dates are valid school days and the school is preselected.
    page.get_by_label("Keyword").fill("microscope")
    page.get_by_label("Units").fill("15")
    page.get_by_role("button", name="Search", exact=True).click()  # 4
    card = page.locator("article.card").filter(has_text="Biological microscope")
    expect(card).to_contain_text(
        "No single bank has 15 free, but the banks together do."
    )
    card.get_by_role(
        "link", name="Request as a class set from several banks"
    ).click()  # 5
    plan = page.get_by_role("table", name="Units per bank")
    expect(plan.locator("tbody tr").nth(1)).to_be_visible()  # at least two banks
    page.get_by_label("Purpose").fill("Grade 5 cells: one microscope per pupil pair")
    page.get_by_role("button", name="Book the class set").click()  # 6

    expect(page.get_by_role("heading", name="My reservations")).to_be_visible()
    made = list(
        Reservation.objects.exclude(pk__in=before).select_related("bank").order_by("pk")
    )
    assert len(made) >= 2 and sum(r.quantity for r in made) == 15
    assert len({r.class_request for r in made}) == 1 and made[0].class_request
    assert len({r.bank_id for r in made}) == len(made)
    for r in made:  # one confirmation per bank, and the part in the list
        expect(
            page.get_by_text(f"Reservation #{r.pk}: {r.quantity} at ")
        ).to_be_visible()
        expect(page.get_by_role("link", name=str(r.pk), exact=True)).to_be_visible()

    page.get_by_role("button", name="Create my calendar feed").click()  # 7
    address = page.locator("code").filter(has_text=".ics").inner_text()
    feed = page.request.get(address)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    ics = feed.text()
    assert ics.count("BEGIN:VEVENT") >= len(made)
    assert "Biological microscope" in ics or "생물 현미경" in ics
