"""Central bank journey (English): at the start of the semester, approve the waiting
reservations of a district bank at once from the daily board."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nanum.lending.models import Reservation

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_central_bank_approves_in_bulk(demo: None, page: Page):
    waiting = list(
        Reservation.objects.filter(
            bank__code="bank-gangseo-yangcheon", status=Reservation.Status.PENDING
        ).order_by("pk")
    )
    assert len(waiting) == 3, "the demo leaves three approvals waiting at 강서양천"
    others = set(
        Reservation.objects.filter(status=Reservation.Status.PENDING)
        .exclude(pk__in=[r.pk for r in waiting])
        .values_list("pk", flat=True)
    )

    sign_in(page, "bank.central")  # clicks: 1
    page.get_by_label("언어").select_option("en")
    page.get_by_role("button", name="언어 변경").click()  # 2
    page.get_by_role("link", name="Bank daily board", exact=True).first.click()  # 3
    page.get_by_role("link", name="Approve several at once").click()  # 4
    expect(
        page.get_by_role("heading", name="Approvals waiting", exact=True)
    ).to_be_visible()
    for r in waiting:
        page.get_by_role("checkbox", name=f"Approve reservation {r.pk}").check()  # 5–7
    page.get_by_role("button", name="Approve the ticked reservations").click()  # 8

    expect(page.get_by_role("heading", name="3 reservations approved")).to_be_visible()
    for r in waiting:
        expect(page.get_by_text(f"#{r.pk}: Approved.")).to_be_visible()
        expect(
            page.get_by_role("checkbox", name=f"Approve reservation {r.pk}")
        ).to_have_count(0)
    statuses = set(
        Reservation.objects.filter(pk__in=[r.pk for r in waiting]).values_list(
            "status", flat=True
        )
    )
    assert statuses == {Reservation.Status.CONFIRMED}
    # nothing else was approved
    assert (
        set(
            Reservation.objects.filter(
                pk__in=others, status=Reservation.Status.PENDING
            ).values_list("pk", flat=True)
        )
        == others
    )
