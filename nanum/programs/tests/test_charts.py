"""The organiser dashboard's chart: applications against places, only their own."""

from __future__ import annotations

import pytest
from django.utils import translation

from nanum.core.models import Organisation, Role
from nanum.core.testing import make_user
from nanum.programs import selectors, services
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(world):
    p = make_programme(
        world.centre_staff,
        world.centre,
        name_ko="차트 교실",
        name_en="Chart class",
        capacity=3,
    )
    services.application_apply(actor=world.student, programme=p, declare_priority=False)
    return p


def test_the_chart_counts_applications_and_places(world, programme):
    rows = list(selectors.organiser_programmes(actor=world.centre_staff))
    with translation.override("en"):
        chart = selectors.applications_chart(rows)
    assert chart.table_rows == [("Chart class", ["1", "3"])]
    assert [name for name, _c in chart.legend] == ["Applications", "Places"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ko", ["프로그램별 신청과 정원", "차트 교실"]),
        ("en", ["Applications and places per programme"]),
    ],
)
def test_the_dashboard_shows_the_chart_in_both_languages(
    world, programme, client_for, lang, words
):
    c = client_for(world.centre_staff)
    c.cookies["nanum_language"] = lang
    html = c.get("/programs/organiser/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    for w in words:
        assert w in html
    assert '<th scope="row">' in html and "<svg" in html


def test_another_centre_sees_no_figures_of_this_one(world, programme, client_for):
    centre = Organisation.objects.create(
        code="msc-chart-west",
        kind="centre",
        point_type="math_science_centre",
        tenant=world.seoul,
        name_ko="서부 센터",
        name_en="West centre",
    )
    other = make_user("centre.chart.west", Role.CENTRE_STAFF, centre)
    rows = list(selectors.organiser_programmes(actor=other))
    assert selectors.applications_chart(rows).table_rows == []
    html = client_for(other).get("/programs/organiser/").content.decode()
    assert "차트 교실" not in html and "Chart class" not in html
