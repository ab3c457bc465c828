"""After the demo, 'bank.gangseo' has a day's work: pickups, a return, approvals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from nanum.core import clock
from nanum.core.models import User
from nanum.lending import selectors
from nanum.lending.models import Asset, Reservation

pytestmark = pytest.mark.django_db


def test_the_demo_board_has_pickups_today_and_tomorrow_a_return_and_approvals(
    client_for, capsys
):
    call_command("seed_demo")
    assert "bank.gangseo" in capsys.readouterr().out
    staff = User.objects.get(username="bank.gangseo")
    today = clock.today()
    b = selectors.board(actor=staff, day=today)
    starts = {r.start_date for r in b["pickups"]}
    assert {today, today + timedelta(days=1)} <= starts
    assert any(r.end_date == today for r in b["returns_due"])
    assert len(b["approvals"]) >= 3

    # check out by tag: the unit page of a unit held for today's pickup offers it
    r = next(r for r in b["pickups"] if r.start_date == today)
    tags = list(r.allocations.values_list("asset__tag_code", flat=True))
    c = client_for(staff)
    unit = c.get(reverse("lending:tag_lookup"), {"tag": tags[0]}, follow=True)
    assert unit.context["page"].action == "checkout"
    resp = c.post(
        reverse("lending:checkout", args=[r.pk]), {"tag_codes": "\n".join(tags)}
    )
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.status == Reservation.Status.CHECKED_OUT
    assert Asset.objects.get(tag_code=tags[0]).status == Asset.Status.ON_LOAN

    # the return due today: its unit page offers check-in
    back = next(r for r in b["returns_due"] if r.end_date == today)
    tag = back.allocations.values_list("asset__tag_code", flat=True)[0]
    page = c.get(reverse("lending:unit", args=[tag]))
    assert page.context["page"].action == "checkin"
