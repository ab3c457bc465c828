"""After the demo, the board's charts have figures and the teacher can browse."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from nanum.core import clock
from nanum.core.models import User
from nanum.lending import selectors

pytestmark = pytest.mark.django_db


def test_the_demo_gives_the_charts_and_the_calendar_something_to_show(client_for):
    call_command("seed_demo")
    staff = User.objects.get(username="bank.gangseo")
    charts = selectors.bank_charts(actor=staff, today=clock.today())
    shares = [float(v[0]) for _l, v in charts.utilisation.table_rows if v[0] != "—"]
    assert sum(1 for s in shares if s > 0) >= 5
    assert any(v[0] != "0" for _l, v in charts.overdue.table_rows)
    board = client_for(staff).get("/lending/staff/")
    assert board.status_code == 200 and board.content.decode().count("<svg") >= 2

    teacher = User.objects.get(username="teacher")
    c = client_for(teacher)
    cards = c.get("/lending/catalogue/")
    assert cards.status_code == 200
    first = cards.context["cards"][0]
    assert first.units > 0
    cal = c.get(f"/lending/catalogue/{first.model.pk}/")
    assert cal.status_code == 200 and 'data-free="yes"' in cal.content.decode()
