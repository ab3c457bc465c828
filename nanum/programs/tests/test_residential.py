"""Residential programmes: the town's dormitory switch, nights and rooms, guardian
consent for minors, emergency contacts, the roster; refusals change nothing; another
centre's organiser and another guardian see nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from nanum.core.demo import seed_core
from nanum.core.errors import DomainError, InvalidInput, NotFound
from nanum.core.models import AccessLog, Organisation, Role
from nanum.core.testing import make_user
from nanum.learning.models import GuardianLink, TenantPolicy
from nanum.programs import demo, services
from nanum.programs.models import (
    Application,
    EmergencyContact,
    GuardianConsent,
    Programme,
    RoomAssignment,
)
from nanum.programs.services import residential as writes
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


def _residential(world, *, publish=False, **kw):
    p = make_programme(
        world.centre_staff,
        world.centre,
        kind=Programme.Kind.RESIDENTIAL,
        capacity=5,
        publish=False,
        **kw,
    )
    if publish:
        writes.stay_set(
            actor=world.centre_staff,
            programme=p,
            check_in=date(2027, 7, 20),
            check_out=date(2027, 7, 22),
            place="수련원 생활관",
        )
        writes.room_add(
            actor=world.centre_staff,
            programme=p,
            name="1호실",
            capacity=1,
            gender="free",
        )
        services.programme_set_status(
            actor=world.centre_staff, programme=p, status=Programme.Status.PUBLISHED
        )
    return p


@pytest.fixture
def town_on(world):
    return TenantPolicy.objects.create(tenant=world.seoul, services=["dormitory"])


@pytest.fixture
def camp(world, town_on):
    """A published camp (one room, one bed); a minor linked to the world's guardian
    holds a place."""
    p = _residential(world, publish=True)
    minor = make_user("minor", Role.STUDENT, world.middle_school, birth_year=2012)
    GuardianLink.objects.create(guardian=world.guardian, child=minor)
    kid = services.application_apply(actor=minor, programme=p)
    assert kid.status == Application.Status.SELECTED
    return p, minor, kid


def _second_minor(world, p):
    minor = make_user("minor2", Role.STUDENT, world.middle_school, birth_year=2013)
    GuardianLink.objects.create(guardian=world.guardian, child=minor)
    app = services.application_apply(actor=minor, programme=p)
    writes.emergency_contact_add(
        actor=world.guardian,
        application_id=app.pk,
        name="김아빠",
        relation="아버지",
        phone="043-123-4567",
    )
    writes.consent_give(actor=world.guardian, application_id=app.pk)
    return app


def test_a_town_whose_residential_service_is_off_cannot_open_one(world):
    TenantPolicy.objects.create(tenant=world.seoul, services=["lectures"])
    p = _residential(world)
    with pytest.raises(DomainError) as exc:
        services.programme_set_status(
            actor=world.centre_staff, programme=p, status=Programme.Status.PUBLISHED
        )
    assert exc.value.code == "service_off"
    p.refresh_from_db()
    assert p.status == Programme.Status.DRAFT


def test_switch_on_still_needs_nights_and_rooms_before_publishing(world, town_on):
    p = _residential(world)
    with pytest.raises(DomainError) as exc:
        services.programme_set_status(
            actor=world.centre_staff, programme=p, status=Programme.Status.PUBLISHED
        )
    assert exc.value.code == "no_stay"
    with pytest.raises(InvalidInput) as bad:
        writes.stay_set(
            actor=world.centre_staff,
            programme=p,
            check_in=date(2027, 7, 20),
            check_out=date(2027, 7, 20),
            place="생활관",
        )
    assert "check_out" in bad.value.field_errors
    stay = writes.stay_set(
        actor=world.centre_staff,
        programme=p,
        check_in=date(2027, 7, 20),
        check_out=date(2027, 7, 22),
        place="생활관",
    )
    assert stay.nights == 2
    with pytest.raises(DomainError) as exc:
        services.programme_set_status(
            actor=world.centre_staff, programme=p, status=Programme.Status.PUBLISHED
        )
    assert exc.value.code == "no_rooms"
    writes.room_add(
        actor=world.centre_staff, programme=p, name="A", capacity=2, gender="female"
    )
    services.programme_set_status(
        actor=world.centre_staff, programme=p, status=Programme.Status.PUBLISHED
    )
    p.refresh_from_db()
    assert p.status == Programme.Status.PUBLISHED


def test_a_minor_gets_a_room_only_after_consent_and_a_contact(world, camp):
    p, minor, kid = camp
    room = p.rooms.get()
    with pytest.raises(DomainError) as exc:
        writes.room_assign(
            actor=world.centre_staff,
            programme=p,
            application_id=kid.pk,
            room_id=room.pk,
        )
    assert exc.value.code == "consent_missing"
    # A bad phone is refused and nothing is stored.
    with translation.override("ko"), pytest.raises(InvalidInput) as bad:
        writes.emergency_contact_add(
            actor=world.guardian,
            application_id=kid.pk,
            name="엄마",
            relation="어머니",
            phone="12345",
        )
    assert "전화" in str(bad.value.field_errors["phone"][0])
    assert not EmergencyContact.objects.exists()
    writes.emergency_contact_add(
        actor=world.guardian,
        application_id=kid.pk,
        name="김엄마",
        relation="어머니",
        phone="010-1234-5678",
    )
    # The child cannot consent for themselves.
    with pytest.raises(DomainError) as exc:
        writes.consent_give(actor=minor, application_id=kid.pk)
    assert exc.value.code == "not_guardian"
    writes.consent_give(actor=world.guardian, application_id=kid.pk)
    assert GuardianConsent.objects.get(application=kid).guardian == world.guardian
    writes.room_assign(
        actor=world.centre_staff, programme=p, application_id=kid.pk, room_id=room.pk
    )
    assert RoomAssignment.objects.get(application=kid).room == room


def test_a_full_room_is_refused_and_changes_nothing(world, camp):
    p, _minor, kid = camp
    other = _second_minor(world, p)
    room = p.rooms.get()  # one bed
    writes.emergency_contact_add(
        actor=world.guardian,
        application_id=kid.pk,
        name="연락",
        relation="부",
        phone="043-123-4567",
    )
    writes.consent_give(actor=world.guardian, application_id=kid.pk)
    writes.room_assign(
        actor=world.centre_staff, programme=p, application_id=kid.pk, room_id=room.pk
    )
    with translation.override("en"), pytest.raises(DomainError) as exc:
        writes.room_assign(
            actor=world.centre_staff,
            programme=p,
            application_id=other.pk,
            room_id=room.pk,
        )
    assert exc.value.code == "room_full"
    assert "full" in str(exc.value.message)
    assert list(RoomAssignment.objects.values_list("application_id", flat=True)) == [
        kid.pk
    ]


def test_a_teacher_needs_no_guardian_consent(world, town_on):
    p = _residential(
        world,
        publish=True,
        audience=Programme.Audience.TEACHERS,
        grade_min=None,
        grade_max=None,
    )
    app = services.application_apply(actor=world.teacher, programme=p)
    writes.emergency_contact_add(
        actor=world.teacher,
        application_id=app.pk,
        name="박친구",
        relation="배우자",
        phone="01098765432",
    )
    writes.room_assign(
        actor=world.centre_staff,
        programme=p,
        application_id=app.pk,
        room_id=p.rooms.get().pk,
    )
    assert RoomAssignment.objects.filter(application=app).exists()
    assert not GuardianConsent.objects.exists()


def test_another_guardian_and_another_centre_see_nothing(client_for, world, camp):
    p, _minor, kid = camp
    other_guardian = make_user("guardian.other", Role.GUARDIAN, world.middle_school)
    with pytest.raises(NotFound):
        writes.consent_give(actor=other_guardian, application_id=kid.pk)
    with pytest.raises(NotFound):
        writes.emergency_contact_add(
            actor=other_guardian,
            application_id=kid.pk,
            name="남",
            relation="남",
            phone="010-1111-2222",
        )
    c = client_for(other_guardian)
    assert c.get(reverse("programs:my_stay", args=[kid.pk])).status_code == 404
    r = c.post(reverse("programs:my_stay", args=[kid.pk]), {"action": "consent"})
    assert r.status_code == 404
    assert kid.pk not in [
        a.pk for a in c.get(reverse("programs:stays")).context["pending"]
    ]
    assert not GuardianConsent.objects.exists()

    west = Organisation.objects.create(
        code="msc-seobu",
        kind="centre",
        tenant=world.seoul,
        name_ko="서부센터",
        name_en="West centre",
    )
    staff = make_user("centre.west", Role.CENTRE_STAFF, west)
    c = client_for(staff)
    url = reverse("programs:organiser_stay", args=[p.pk])
    assert c.get(url).status_code == 404
    r = c.post(url, {"action": "room", "name": "X", "capacity": 3, "gender": "free"})
    assert r.status_code == 404
    assert p.rooms.count() == 1
    with pytest.raises(DomainError):
        writes.room_add(actor=staff, programme=p, name="X", capacity=2, gender="free")
    assert not AccessLog.objects.filter(actor=staff).exists()


def test_pages_guardian_consents_and_organiser_sees_contacts_logged(
    client_for, world, camp
):
    p, _minor, kid = camp
    g = client_for(world.guardian)
    page = g.get(reverse("programs:stays"))
    assert [a.pk for a in page.context["pending"]] == [kid.pk]
    url = reverse("programs:my_stay", args=[kid.pk])
    with translation.override("ko"):
        bad = g.post(
            url,
            {
                "action": "contact",
                "name": "김엄마",
                "relation": "어머니",
                "phone": "abc",
            },
            HTTP_ACCEPT_LANGUAGE="ko",
        )
    assert bad.status_code == 422
    assert "전화번호를 입력하세요" in bad.content.decode()
    assert not EmergencyContact.objects.exists()
    r = g.post(
        url,
        {
            "action": "contact",
            "name": "김엄마",
            "relation": "어머니",
            "phone": "010-1234-5678",
        },
    )
    assert r.status_code == 302
    assert g.post(url, {"action": "consent"}).status_code == 302
    assert GuardianConsent.objects.filter(application=kid, guardian=world.guardian)
    assert g.get(reverse("programs:stays")).context["pending"] == []

    o = client_for(world.centre_staff)
    stay_url = reverse("programs:organiser_stay", args=[p.pk])
    page = o.get(stay_url)
    assert page.status_code == 200
    assert "010-1234-5678" in page.content.decode()
    log = AccessLog.objects.get(actor=world.centre_staff)
    assert log.object_type == "programs.EmergencyContact"
    room = p.rooms.get()
    r = o.post(stay_url, {"action": "assign", "application": kid.pk, "room": room.pk})
    assert r.status_code == 302
    assert RoomAssignment.objects.get(application=kid).room == room
    # Over capacity through the page: a message, nothing changes.
    grown = _second_minor(world, p)
    r = o.post(stay_url, {"action": "assign", "application": grown.pk, "room": room.pk})
    assert r.status_code == 422
    assert not RoomAssignment.objects.filter(application=grown).exists()
    # The participant's own page never shows the phone numbers.
    mine = client_for(grown.participant).get(
        reverse("programs:my_stay", args=[grown.pk])
    )
    assert mine.status_code == 200
    assert "043-123-4567" not in mine.content.decode()


def test_demo_builds_the_chungbuk_camp_with_one_consent_waiting():
    ctx = seed_core()
    TenantPolicy.objects.create(
        tenant=ctx.tenants["chungbuk"], services=["lectures", "dormitory"]
    )
    lines = demo.seed(ctx, "small")
    assert any("Chungbuk camp" in line for line in lines)
    p = Programme.objects.get(kind=Programme.Kind.RESIDENTIAL)
    assert p.tenant.slug == "chungbuk"
    assert p.status == Programme.Status.PUBLISHED
    assert p.stay.nights == 2
    assert p.rooms.count() == 3
    held = p.applications.filter(status=Application.Status.SELECTED)
    assert held.count() == 4
    assert held.filter(guardian_consent__isnull=True).count() == 1
    assert RoomAssignment.objects.filter(application__programme=p).count() == 2
