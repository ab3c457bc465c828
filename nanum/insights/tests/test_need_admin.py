"""The admin does not let an edit of an imported need index revert silently."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from nanum.core import clock
from nanum.core.models import Organisation, User
from nanum.insights import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(world: Any) -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "pw-Nanum-12345")
    client = Client()
    client.force_login(user)
    return client


def _change(school: Organisation) -> str:
    return reverse("admin:core_organisation_change", args=[school.pk])


def _post(client: Client, school: Organisation, need: str) -> Any:
    """The change form as the admin would send it, with a new need index."""
    page = client.get(_change(school))
    form = page.context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else ""
        for name in form.fields
    }
    data = {k: v for k, v in data.items() if v is not False}
    data["need_index"] = need
    return client.post(_change(school), data)


def test_an_imported_index_is_read_only_with_a_note(
    world: Any, superuser_client: Client
) -> None:
    services.need_index_import(
        actor=world.admin,
        rows=[
            {
                "school_code": "school-small",
                "year": str(clock.today().year),
                "benefit_pct": "15",
                "multicultural_pct": "5",
                "students": "96",
            }
        ],
        source="학교알리미 2026",
    )
    school = Organisation.objects.get(code="school-small")
    imported = school.need_index
    page = superuser_client.get(_change(school))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'name="need_index"' not in text
    assert "학교알리미 2026" in text and "다시 가져오" in text
    resp = _post(superuser_client, school, "0.100")
    assert resp.status_code == 302
    school.refresh_from_db()
    assert school.need_index == imported != Decimal("0.100")


def test_a_hand_typed_index_stays_editable_and_says_the_import_replaces_it(
    world: Any, superuser_client: Client
) -> None:
    school = world.big_school
    text = superuser_client.get(_change(school)).content.decode()
    assert 'name="need_index"' in text and "손으로 입력" in text
    assert _post(superuser_client, school, "0.200").status_code == 302
    school.refresh_from_db()
    assert school.need_index == Decimal("0.200")
