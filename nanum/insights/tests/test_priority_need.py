"""Programme priority reads the current need index of the applicant's school (what
the yearly import keeps on the school), not the district's hand-typed one."""

from __future__ import annotations

from typing import Any

import pytest

from nanum.core import clock
from nanum.core.models import Role
from nanum.core.testing import make_user
from nanum.insights import services
from nanum.programs import services as programs
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


def _programme(world: Any, threshold: str) -> Any:
    return make_programme(
        world.centre_staff,
        world.centre,
        selection="lottery",
        grade_min=1,
        grade_max=12,
        priority_need_index=threshold,
    )


def test_priority_follows_the_schools_index(world: Any) -> None:
    # 가서초 (index 0.810) lies in 강서구 (0.520); 목동초 (0.150) in 양천구 (0.350).
    needy = make_user("needy", Role.STUDENT, world.small_school, birth_year=2016)
    comfy = make_user("comfy", Role.STUDENT, world.big_school, birth_year=2016)
    app = programs.application_apply(actor=needy, programme=_programme(world, "0.600"))
    assert app.priority and app.district_need == world.small_school.need_index
    app = programs.application_apply(actor=comfy, programme=_programme(world, "0.300"))
    assert not app.priority and app.district_need == world.big_school.need_index


def test_priority_follows_this_years_import(world: Any) -> None:
    year = clock.today().year
    services.need_index_import(
        actor=world.admin,
        rows=[
            {
                "school_code": "school-big",
                "year": str(year),
                "benefit_pct": "30",
                "multicultural_pct": "15",
                "students": "100",
                "district_need": "1",
            }
        ],
        source="학교알리미",
    )
    pupil = make_user("pupil", Role.STUDENT, world.big_school, birth_year=2016)
    app = programs.application_apply(actor=pupil, programme=_programme(world, "0.900"))
    assert app.priority and str(app.district_need) == "1.000"
