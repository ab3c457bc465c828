"""The admin lists of the lending models open for an administrator."""

from __future__ import annotations

import pytest
from django.contrib import admin

from .helpers import book

pytestmark = pytest.mark.django_db


def test_admin_changelists_open(world, lending, client_for):

    book(world, lending)
    c = client_for(world.admin)
    for model in admin.site._registry:
        if model._meta.app_label != "lending":
            continue
        url = f"/admin/lending/{model._meta.model_name}/"
        assert c.get(url).status_code == 200, url
        assert c.get(url + "add/").status_code in (200, 403), url
