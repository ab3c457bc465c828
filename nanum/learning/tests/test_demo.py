"""The demo data loads and gives the people of the demo something real to try."""

from __future__ import annotations

import pytest

from nanum.core.demo import seed_core
from nanum.learning import demo
from nanum.learning.models import Application, Interaction, Seat, Status, TenantPolicy
from nanum.learning.selectors import student_home


@pytest.mark.django_db
def test_demo_seed_small():
    ctx = seed_core()
    lines = demo.seed(ctx, "small")
    assert lines
    pc = TenantPolicy.objects.get(tenant__slug="pyeongchang")
    assert (pc.quota_elementary, pc.quota_middle, pc.quota_high) == (40, 80, 100)
    assert pc.min_monthly_minutes == 180
    assert pc.tenant.seat_allocations.count() == 3
    assert TenantPolicy.objects.get(tenant__slug="gimpo").income_line_pct == 50
    student = ctx.users["student"]
    assert Application.objects.get(student=student).status == Status.APPROVED
    assert Seat.objects.filter(student=student, state="active").exists()
    assert Interaction.objects.filter(student=student).exists()
    assert student_home(student=student)["streak"] >= 0
    states = set(Application.objects.values_list("status", flat=True))
    assert {Status.SUBMITTED, Status.APPROVED, Status.REJECTED} <= states
