"""The demo puts the centre user's centre in every programme state, at Seoul hours."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from nanum.core import clock
from nanum.core.demo import seed_core
from nanum.programs import demo, selectors
from nanum.programs.models import Application, Certificate, LabSlot, Programme, Session

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def seeded():
    ctx = seed_core()
    lines = demo.seed(ctx, "small")
    return ctx, lines


def test_every_session_and_lab_slot_is_at_a_daytime_hour_in_seoul(seeded):
    hours = {timezone.localtime(s.starts_at, SEOUL).hour for s in Session.objects.all()}
    assert hours and min(hours) >= 9 and max(hours) <= 20
    slots = {timezone.localtime(s.starts_at, SEOUL).hour for s in LabSlot.objects.all()}
    assert slots <= {10, 13}


def test_centre_user_has_a_programme_in_every_state(seeded):
    ctx, lines = seeded
    now = clock.now()
    mine = selectors.organiser_programmes(actor=ctx.users["centre"])
    ids = set(mine.values_list("pk", flat=True))
    summary = next(line for line in lines if "waiting for the draw" in line)
    assert "certificates due" in summary
    S = Application.Status
    # Open for applications.
    assert any(p.is_open(now) for p in mine)
    # Closed, waiting for the draw, with applicants.
    waiting = [
        p
        for p in mine
        if p.selection == Programme.Selection.LOTTERY
        and p.apply_closes_at <= now
        and p.drawn_at is None
    ]
    assert waiting and waiting[0].applications.filter(status=S.SUBMITTED).count() >= 3
    # Drawn, offers pending.
    assert Application.objects.filter(
        programme_id__in=ids, status=S.OFFERED, programme__drawn_at__isnull=False
    ).exists()
    # Running today: a session today with people holding a place.
    today = clock.today()
    running = [
        p
        for p in mine
        if any(
            timezone.localtime(s.starts_at, SEOUL).date() == today
            for s in p.sessions.all()
        )
    ]
    assert running
    assert running[0].applications.filter(status=S.SELECTED).count() >= 3
    assert Application.objects.filter(
        programme=running[0], participant=ctx.users["student"], status=S.SELECTED
    ).exists()
    # Finished, attendance taken, certificates due.
    finished = [
        p
        for p in mine
        if p.sessions.exists() and p.sessions.order_by("-ends_at")[0].ends_at < now
    ]
    assert finished
    done = finished[0]
    assert done.applications.filter(attendance__present=True).exists()
    assert not Certificate.objects.filter(application__programme=done).exists()
