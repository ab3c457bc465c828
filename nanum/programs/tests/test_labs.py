"""Open-lab visits: a class books a free slot; a slot is never booked twice."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from nanum.core.errors import DomainError
from nanum.core.models import Organisation, Role
from nanum.core.testing import make_user
from nanum.programs import selectors, services
from nanum.programs.models import LabBooking, LabSlot

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab(world):
    school = Organisation.objects.create(
        code="school-sci",
        kind="school",
        school_level="high",
        tenant=world.seoul,
        name_ko="과학중점고등학교",
        name_en="Science High",
        science_focused=True,
        district=world.yangcheon,
    )
    lab = Organisation.objects.create(
        code="openlab-sci",
        kind="lending_point",
        point_type="open_lab",
        tenant=world.seoul,
        parent=school,
        name_ko="과학중점고 개방형 실험실",
        name_en="Science High Open Lab",
    )
    staff = make_user("lab.staff", Role.CENTRE_STAFF, school)
    return lab, staff


def _slot(lab, staff, hours: int = 48) -> LabSlot:
    start = timezone.now() + timedelta(hours=hours)
    return services.lab_slot_create(
        actor=staff,
        lab=lab,
        room="물리실험실",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        instructor="오강사",
        max_students=30,
        equipment_note="오실로스코프",
    )


def test_a_teacher_books_a_free_slot_and_it_leaves_the_list(world, lab):
    slot = _slot(*lab)
    assert slot in selectors.lab_slots_open(actor=world.teacher)
    b = services.lab_book(
        actor=world.teacher, slot_id=slot.pk, class_name="6-1", students=24
    )
    assert b.school == world.small_school
    assert slot not in selectors.lab_slots_open(actor=world.teacher)


def test_a_slot_cannot_be_booked_twice(world, lab):
    slot = _slot(*lab)
    services.lab_book(
        actor=world.teacher, slot_id=slot.pk, class_name="6-1", students=24
    )
    with pytest.raises(DomainError) as exc:
        services.lab_book(
            actor=world.other_teacher, slot_id=slot.pk, class_name="5-2", students=20
        )
    assert exc.value.code == "slot_taken"
    assert LabBooking.objects.filter(slot=slot, status="booked").count() == 1


def test_the_database_refuses_a_double_booking_even_without_the_service(world, lab):
    slot = _slot(*lab)
    services.lab_book(
        actor=world.teacher, slot_id=slot.pk, class_name="6-1", students=24
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        LabBooking.objects.create(
            slot=slot,
            school=world.big_school,
            teacher=world.other_teacher,
            class_name="x",
            students=3,
        )


def test_after_a_cancellation_the_slot_can_be_booked_again(world, lab):
    slot = _slot(*lab)
    b = services.lab_book(
        actor=world.teacher, slot_id=slot.pk, class_name="6-1", students=24
    )
    services.lab_booking_cancel(actor=world.teacher, booking_id=b.pk)
    services.lab_book(
        actor=world.other_teacher, slot_id=slot.pk, class_name="5-2", students=20
    )


def test_too_many_students_or_a_student_booking_is_refused(world, lab):
    slot = _slot(*lab)
    with pytest.raises(DomainError) as exc:
        services.lab_book(
            actor=world.teacher, slot_id=slot.pk, class_name="6-1", students=40
        )
    assert "students" in exc.value.field_errors
    with pytest.raises(DomainError):
        services.lab_book(
            actor=world.student, slot_id=slot.pk, class_name="6-1", students=4
        )
    assert not LabBooking.objects.exists()


def test_overlapping_slots_in_one_room_are_refused(world, lab):
    slot = _slot(*lab)
    with pytest.raises(DomainError):
        services.lab_slot_create(
            actor=lab[1],
            lab=lab[0],
            room="물리실험실",
            starts_at=slot.starts_at + timedelta(minutes=30),
            ends_at=slot.ends_at + timedelta(hours=1),
        )
    assert LabSlot.objects.count() == 1


def test_other_centre_staff_cannot_add_slots_to_this_lab(world, lab):
    with pytest.raises(DomainError):
        _slot(lab[0], world.centre_staff)
    assert not LabSlot.objects.exists()


def test_a_teacher_in_another_town_does_not_see_or_book_seoul_labs(world, lab):
    slot = _slot(*lab)
    pc_teacher = make_user("pc.teacher", Role.TEACHER, world.pyeongchang_hall)
    assert not selectors.lab_slots_open(actor=pc_teacher).exists()
    with pytest.raises(DomainError):
        services.lab_book(
            actor=pc_teacher, slot_id=slot.pk, class_name="1-1", students=3
        )


def test_lab_staff_publish_and_a_teacher_books_and_cancels_through_the_api(
    client, api_token, world, lab
):
    start = timezone.now() + timedelta(days=4)
    h = {
        "HTTP_AUTHORIZATION": f"Bearer {api_token(lab[1])}",
        "HTTP_IDEMPOTENCY_KEY": "s1",
    }
    body = {
        "room": "화학실",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
    }
    r = client.post(
        f"/api/v1/programs/organiser/labs/{lab[0].pk}/slots",
        json.dumps(body),
        content_type="application/json",
        **h,
    )
    assert r.status_code == 201, r.content
    slot_id = r.json()["id"]
    other = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.centre_staff)}"}
    r = client.post(
        f"/api/v1/programs/organiser/labs/{lab[0].pk}/slots",
        json.dumps(body),
        content_type="application/json",
        **other,
    )
    assert r.status_code == 404
    t = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.teacher)}"}
    assert [
        s["id"] for s in client.get("/api/v1/programs/labs/slots", **t).json()["items"]
    ] == [slot_id]
    r = client.post(
        f"/api/v1/programs/labs/slots/{slot_id}/book",
        json.dumps({"class_name": "6-2", "students": 20}),
        content_type="application/json",
        **t,
    )
    assert r.status_code == 201
    r2 = client.post(
        f"/api/v1/programs/labs/slots/{slot_id}/book",
        json.dumps({"class_name": "5-1", "students": 20}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.other_teacher)}",
    )
    assert r2.status_code == 409 and r2.json()["code"] == "slot_taken"
    r = client.post(f"/api/v1/programs/labs/bookings/{r.json()['id']}/cancel", **t)
    assert r.json()["status"] == "cancelled"


def test_the_dashboards_open_lab_link_is_for_those_who_run_a_lab_and_opens(
    world, lab, client_for
):
    """The organiser dashboard offers "Open-lab slots" only to lab staff, and the
    link they get opens; centre staff without a lab see no link (the page is 404)."""
    url = "/programs/organiser/labs/"
    staff = client_for(lab[1])
    dashboard = staff.get("/programs/organiser/")
    assert (
        dashboard.status_code == 200 and f'href="{url}"' in dashboard.content.decode()
    )
    assert staff.get(url).status_code == 200
    centre = client_for(world.centre_staff)
    dashboard = centre.get("/programs/organiser/")
    assert dashboard.status_code == 200
    assert f'href="{url}"' not in dashboard.content.decode()
    assert centre.get(url).status_code == 404
