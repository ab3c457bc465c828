"""Hot pages do a fixed number of queries, however many programmes there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nanum.programs import services
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    ["/programs/", "/programs/organiser/", "/programs/mine/", "/programs/calendar.ics"],
)
def test_query_count_does_not_grow_with_programmes(client_for, world, url):
    c = client_for(world.centre_staff if "organiser" in url else world.student)
    for _ in range(2):
        p = make_programme(world.centre_staff, world.centre, grade_min=1, grade_max=12)
        services.application_apply(actor=world.student, programme=p)
    few = _count(c, url)
    for _ in range(6):
        p = make_programme(world.centre_staff, world.centre, grade_min=1, grade_max=12)
        services.application_apply(actor=world.student, programme=p)
    assert _count(c, url) == few
