"""The listing for one town (the town page's camps link): page and API agree."""

from __future__ import annotations

import pytest
from django.test import Client

from nanum.programs.models import Programme

from .helpers import make_programme

pytestmark = pytest.mark.django_db


def test_the_listing_shows_one_towns_programmes(world):
    camp = make_programme(
        world.centre_staff,
        world.centre,
        kind=Programme.Kind.CAMP,
        name_ko="겨울 과학 캠프",
        name_en="Winter science camp",
    )
    assert camp.tenant.slug == "seoul"
    client = Client()

    page = client.get("/programs/?kind=camp&town=seoul").content.decode()
    assert "겨울 과학 캠프" in page
    # the town choice is offered by name, by the town's path
    assert 'value="seoul"' in page
    api = client.get("/api/v1/programs/?kind=camp&town=seoul").json()
    assert [p["id"] for p in api["items"]] == [camp.pk]

    # a town without programmes yet (Pyeongchang): an empty listing, no error
    assert client.get("/api/v1/programs/?town=pyeongchang").json()["items"] == []
    other = client.get("/programs/?kind=camp&town=pyeongchang").content.decode()
    assert "겨울 과학 캠프" not in other and 'id="id_town_error"' not in other
    # no such town: the API lists nothing; the page says the choice is not valid
    assert client.get("/api/v1/programs/?town=nowhere").json()["items"] == []
    bad = client.get("/programs/?town=nowhere")
    assert bad.status_code == 200 and 'id="id_town_error"' in bad.content.decode()
