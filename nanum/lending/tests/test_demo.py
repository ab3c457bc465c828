"""The demo: a realistic catalogue and some reservations for the demo teacher."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from nanum.lending.models import Asset, EquipmentModel, Reservation

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_catalogue_and_reservations(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "K-STEM Bank" in out
    assert EquipmentModel.objects.count() >= 12
    assert Asset.objects.values("home_bank").distinct().count() >= 10
    assert Reservation.objects.filter(requested_by__username="teacher").count() >= 4
    assert Reservation.objects.filter(status="checked_out").exists()
