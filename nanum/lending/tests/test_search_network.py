"""The search's network (banks, lending points, the school) is read with one raw query
that carries each organisation's district office; these check it gives what the
parent and district joins give, for banks under a district office, banks placed by
their district only, banks with neither, and the school."""

from __future__ import annotations

import pytest

from nanum.core.models import Organisation
from nanum.lending.selectors.search import _district_office_id, _network

pytestmark = pytest.mark.django_db


def _joined(org: Organisation) -> int | None:
    """The district office as the ORM reads it (parent, then district)."""
    return _district_office_id(Organisation.objects.get(pk=org.pk))


def test_network_district_offices_match_the_joins(world):
    by_district = Organisation.objects.create(
        code="bank-by-district",
        kind=Organisation.Kind.BANK,
        bank_type=Organisation.BankType.MATH_SCIENCE,
        name_ko="구 소속 교구은행",
        tenant=world.central_bank.tenant,
        district=world.small_school.district,
    )
    point = Organisation.objects.create(
        code="point-1",
        kind=Organisation.Kind.LENDING_POINT,
        name_ko="거점 1",
        tenant=world.central_bank.tenant,
        parent=by_district,
    )
    banks, points, school_do = _network(
        actor=world.teacher, school_id=world.small_school.pk
    )
    assert by_district.pk in banks and world.central_bank.pk in banks
    offices = {pk: _district_office_id(bank) for pk, bank in banks.items()}
    assert offices == {pk: _joined(bank) for pk, bank in banks.items()}
    # all three ways to a district office occur: through the district, none, parent
    assert offices[by_district.pk] is not None
    assert offices[world.central_bank.pk] is None
    assert school_do is not None and school_do == _joined(world.small_school)
    assert points[by_district.pk] == [point.name]
    # the network is ordered by name, then id
    assert list(banks) == [
        o.pk
        for o in Organisation.objects.filter(pk__in=banks).order_by("name_ko", "pk")
    ]


def test_network_ignores_a_school_that_is_not_the_teachers(world):
    other = Organisation.objects.exclude(pk=world.small_school.pk).filter(
        kind=Organisation.Kind.SCHOOL
    )[0]
    _banks, _points, school_do = _network(actor=world.teacher, school_id=other.pk)
    mine = _network(actor=world.teacher, school_id=None)
    assert school_do is None
    assert list(_banks) == list(mine[0])
