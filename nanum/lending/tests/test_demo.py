"""The demo: a realistic catalogue and some reservations for the demo teacher."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from nanum.lending.models import (
    Asset,
    EquipmentModel,
    ResearchItem,
    ResearchRequest,
    Reservation,
    ZeusSync,
)

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_catalogue_and_reservations(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "K-STEM Bank" in out
    assert EquipmentModel.objects.count() >= 12
    assert Asset.objects.values("home_bank").distinct().count() >= 10
    assert Reservation.objects.filter(requested_by__username="teacher").count() >= 4
    assert Reservation.objects.filter(status="checked_out").exists()
    # ZEUS: a few hundred idle research items, one request pending, one approved
    assert ResearchItem.objects.filter(withdrawn_at__isnull=True).count() >= 250
    assert ResearchItem.objects.values("owner_name").distinct().count() >= 8
    assert ZeusSync.objects.filter(status="done").count() == 1
    statuses = sorted(ResearchRequest.objects.values_list("status", flat=True))
    assert statuses == ["approved", "review"]
