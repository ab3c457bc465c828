"""The residential API twins: roster (access-logged), rooms, nights, room assignment,
consent and emergency contacts; refusals as problem documents that change nothing;
another centre's organiser and another guardian get 404."""

from __future__ import annotations

import json

import pytest

from nanum.core.models import AccessLog, Organisation, Role
from nanum.core.testing import make_user
from nanum.learning.models import GuardianLink, TenantPolicy
from nanum.programs import services
from nanum.programs.models import (
    EmergencyContact,
    GuardianConsent,
    Programme,
    RoomAssignment,
)
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db

BASE = "/api/v1/programs"


def _h(api_token, user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"}


def _post(client, url, body, headers):
    return client.post(
        url, json.dumps(body), content_type="application/json", **headers
    )


@pytest.fixture
def camp(client, api_token, world):
    TenantPolicy.objects.create(tenant=world.seoul, services=["dormitory"])
    p = make_programme(
        world.centre_staff,
        world.centre,
        kind=Programme.Kind.RESIDENTIAL,
        capacity=5,
        publish=False,
    )
    staff = _h(api_token, world.centre_staff)
    r = client.put(
        f"{BASE}/organiser/programmes/{p.pk}/stay",
        json.dumps(
            {"check_in": "2027-07-20", "check_out": "2027-07-22", "place": "생활관"}
        ),
        content_type="application/json",
        **staff,
    )
    assert r.status_code == 200 and r.json()["nights"] == 2
    r = _post(
        client,
        f"{BASE}/organiser/programmes/{p.pk}/rooms",
        {"name": "1호실", "capacity": 1, "gender": "free"},
        staff,
    )
    assert r.status_code == 201
    services.programme_set_status(
        actor=world.centre_staff, programme=p, status=Programme.Status.PUBLISHED
    )
    kids = []
    for name in ("minor1", "minor2"):
        kid = make_user(name, Role.STUDENT, world.middle_school, birth_year=2012)
        GuardianLink.objects.create(guardian=world.guardian, child=kid)
        kids.append(services.application_apply(actor=kid, programme=p))
    return p, kids, r.json()["id"]


def test_consent_contacts_and_roster_through_the_api(client, api_token, world, camp):
    p, (a1, a2), room_id = camp
    g = _h(api_token, world.guardian)
    staff = _h(api_token, world.centre_staff)
    assign = f"{BASE}/organiser/programmes/{p.pk}/roster"
    r = _post(client, assign, {"application_id": a1.pk, "room_id": room_id}, staff)
    assert r.status_code == 409 and r.json()["code"] == "consent_missing"
    bad = _post(
        client,
        f"{BASE}/my/applications/{a1.pk}/emergency-contacts",
        {"name": "김엄마", "relation": "어머니", "phone": "call me"},
        g,
    )
    assert bad.status_code == 422 and not EmergencyContact.objects.exists()
    for app in (a1, a2):
        r = _post(
            client,
            f"{BASE}/my/applications/{app.pk}/emergency-contacts",
            {"name": "김엄마", "relation": "어머니", "phone": "010-1234-5678"},
            g,
        )
        assert r.status_code == 201
        assert (
            _post(client, f"{BASE}/my/applications/{app.pk}/consent", {}, g).status_code
            == 201
        )
    again = _post(client, f"{BASE}/my/applications/{a1.pk}/consent", {}, g)
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    r = _post(client, assign, {"application_id": a1.pk, "room_id": room_id}, staff)
    assert r.status_code == 200
    full = _post(client, assign, {"application_id": a2.pk, "room_id": room_id}, staff)
    assert full.status_code == 409 and full.json()["code"] == "room_full"
    assert list(RoomAssignment.objects.values_list("application_id", flat=True)) == [
        a1.pk
    ]
    roster = client.get(f"{BASE}/organiser/programmes/{p.pk}/roster", **staff).json()
    assert roster["count"] == 2
    first = next(i for i in roster["items"] if i["application_id"] == a1.pk)
    assert first["room_id"] == room_id and first["missing"] == []
    assert first["contacts"][0]["phone"] == "010-1234-5678"
    assert AccessLog.objects.filter(
        actor=world.centre_staff, object_type="programs.EmergencyContact"
    ).exists()


def test_another_centre_and_another_guardian_get_404(client, api_token, world, camp):
    p, (a1, _a2), _room = camp
    west = Organisation.objects.create(
        code="msc-seobu", kind="centre", tenant=world.seoul, name_ko="서부", name_en="W"
    )
    staff = _h(api_token, make_user("centre.west", Role.CENTRE_STAFF, west))
    for url in ("roster", "rooms"):
        r = client.get(f"{BASE}/organiser/programmes/{p.pk}/{url}", **staff)
        assert r.status_code == 404
    r = _post(
        client,
        f"{BASE}/organiser/programmes/{p.pk}/rooms",
        {"name": "X", "capacity": 2, "gender": "free"},
        staff,
    )
    assert r.status_code == 404 and p.rooms.count() == 1
    stranger = _h(api_token, make_user("g2", Role.GUARDIAN, world.middle_school))
    r = _post(client, f"{BASE}/my/applications/{a1.pk}/consent", {}, stranger)
    assert r.status_code == 404 and not GuardianConsent.objects.exists()
    r = _post(
        client,
        f"{BASE}/my/applications/{a1.pk}/emergency-contacts",
        {"name": "남", "relation": "남", "phone": "010-1111-2222"},
        stranger,
    )
    assert r.status_code == 404 and not EmergencyContact.objects.exists()
