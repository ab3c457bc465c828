"""Bank staff charts: utilisation per week and overdue loans, only their own bank's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nanum.core import clock
from nanum.core.errors import PermissionDenied
from nanum.lending import selectors
from nanum.lending.models import Reservation

pytestmark = pytest.mark.django_db


def _loan(world, lending, *, start, end, qty, status):
    return Reservation.objects.create(
        tenant=world.seoul,
        equipment=lending.microscope,
        bank=world.district_bank,
        school=world.small_school,
        requested_by=world.teacher,
        quantity=qty,
        start_date=start,
        end_date=end,
        purpose="차트",
        status=status,
    )


@pytest.fixture
def loans(world, lending):
    """Six bookable units at the district bank; last week 2 units Mon–Wed (returned)
    and one unit out since Saturday, overdue since Sunday."""
    today = clock.today()
    prev = today - timedelta(days=today.weekday() + 7)
    _loan(
        world,
        lending,
        start=prev,
        end=prev + timedelta(days=2),
        qty=2,
        status=Reservation.Status.RETURNED,
    )
    _loan(
        world,
        lending,
        start=prev + timedelta(days=5),
        end=prev + timedelta(days=6),
        qty=1,
        status=Reservation.Status.CHECKED_OUT,
    )
    _loan(  # cancelled: never lent, never counted
        world,
        lending,
        start=prev,
        end=prev + timedelta(days=6),
        qty=3,
        status=Reservation.Status.CANCELLED,
    )
    return today


def test_utilisation_and_overdue_figures_on_small_data(world, loans):
    charts = selectors.bank_charts(actor=world.district_bank_officer, today=loans)
    rows = charts.utilisation.table_rows
    assert len(rows) == 8
    monday = loans - timedelta(days=loans.weekday())
    assert rows[-1][0] == monday.strftime("%m/%d")
    # last week: (2 units × 3 days + 1 unit × 2 days) ÷ (6 units × 7 days) = 19.0 %
    assert rows[-2][1] == ["19"]
    # this week so far: 1 unit out every day of 6 units held = 16.7 %
    assert rows[-1][1] == ["16.7"]
    assert all(r[1] == ["0"] for r in rows[:-2])
    assert charts.overdue.table_rows == [(world.district_bank.name, ["1", "1"])]


def test_other_banks_staff_do_not_see_these_figures(world, loans):
    other = selectors.bank_charts(actor=world.other_bank_officer, today=loans)
    labels = [label for label, _v in other.overdue.table_rows]
    assert world.district_bank.name not in labels
    assert all(v == ["0", "0"] for _l, v in other.overdue.table_rows)
    assert all(v == ["—"] for _l, v in other.utilisation.table_rows)  # no units there
    central = selectors.bank_charts(actor=world.bank_officer, today=loans)
    assert (world.district_bank.name, ["1", "1"]) in central.overdue.table_rows
    with pytest.raises(PermissionDenied):
        selectors.bank_charts(actor=world.teacher, today=loans)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ko", ["대여 비율", "오늘 기준 연체"]),
        (
            "en",
            ["Utilisation: share of unit-days lent, per week", "Loans overdue today"],
        ),
    ],
)
def test_the_board_shows_both_charts_in_both_languages(
    world, loans, client_for, lang, words
):
    c = client_for(world.district_bank_officer)
    c.cookies["nanum_language"] = lang
    resp = c.get("/lending/staff/", HTTP_ACCEPT_LANGUAGE=lang)
    html = resp.content.decode()
    assert resp.status_code == 200
    for w in words:
        assert w in html
    assert html.count("<svg") >= 2 and "<td>19</td>" in html
    assert client_for(world.teacher).get("/lending/staff/").status_code == 403
