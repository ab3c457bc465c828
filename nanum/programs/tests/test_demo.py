"""The demo data: programmes at the four centres and SNU, applications, lab slots."""

from __future__ import annotations

import pytest

from nanum.core.demo import seed_core
from nanum.programs import demo, selectors
from nanum.programs.models import (
    Application,
    Certificate,
    LabBooking,
    LabSlot,
    Programme,
)

pytestmark = pytest.mark.django_db


def test_demo_seed_builds_programmes_applications_and_lab_slots():
    ctx = seed_core()
    lines = demo.seed(ctx, "small")
    assert lines and "programmes" in lines[0]
    codes = set(Programme.objects.values_list("organiser__code", flat=True))
    assert {
        "msc-dongbu",
        "msc-seobu",
        "msc-bukbu",
        "msc-dongjak-gwanak",
        "snu",
    } <= codes
    assert Programme.objects.filter(
        kind="teacher_training", hours__isnull=False
    ).exists()
    assert Application.objects.filter(participant=ctx.users["student"]).count() >= 2
    assert Application.objects.filter(
        applied_by=ctx.users["guardian"], child__isnull=False
    ).exists()
    assert Certificate.objects.filter(
        application__participant=ctx.users["teacher"]
    ).exists()
    assert Programme.objects.filter(drawn_at__isnull=False).exists()
    assert LabSlot.objects.filter(lab__point_type="open_lab").count() >= 6
    assert LabBooking.objects.filter(teacher=ctx.users["teacher"]).exists()
    assert selectors.labs_managed(ctx.users["lab.staff"]).count() == 1
    assert selectors.organiser_programmes(actor=ctx.users["snu.staff"]).count() >= 2
