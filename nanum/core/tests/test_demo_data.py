"""The demo generator builds Seoul's real structure."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from nanum.core.models import District, Organisation, Tenant, User

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_real_structure(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert Organisation.objects.filter(kind="district_office").count() == 11
    assert District.objects.count() == 25
    schools = Organisation.objects.filter(kind="school").count()
    assert 1250 <= schools <= 1400
    assert (
        Organisation.objects.filter(kind="bank", bank_type="math_science").count() == 11
    )
    assert Organisation.objects.filter(kind="bank", bank_type="central").count() == 1
    assert Organisation.objects.filter(point_type="science_centre").count() == 11
    assert Organisation.objects.filter(point_type="open_lab").count() == 18
    assert Organisation.objects.filter(point_type="math_science_centre").count() == 4
    assert set(Tenant.objects.values_list("slug", flat=True)) == {
        "seoul",
        "chungbuk",
        "pyeongchang",
        "gimpo",
        "taebaek",
        "incheon",
        "yecheon",
    }
    gangseo = District.objects.get(name_ko="강서구")
    assert gangseo.district_office is not None
    assert gangseo.district_office.name_ko == "강서양천교육지원청"
    assert "teacher" in out and "nanum-demo-2026!" in out
    # Running it again keeps the data and prints the accounts again.
    call_command("seed_demo")
    assert User.objects.filter(username="teacher").count() == 1
