"""Counselling follows the town's own service switch, not mentoring: a Pyeongchang
member whose town offers career consulting (and no mentoring) books it; members of a
town without counselling see no slots and cannot book; counsellors of such a town
cannot publish."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from nanum.core.errors import DomainError, NotFound
from nanum.core.models import Role
from nanum.core.testing import make_user
from nanum.mentoring import selectors, services
from nanum.mentoring.models import CounsellingBooking, CounsellingSlot

pytestmark = pytest.mark.django_db


@pytest.fixture
def pc_counselling_only(policies: Any) -> Any:
    policy = policies["pyeongchang"]
    policy.services = ["lectures", "counselling"]
    policy.save()
    seoul = policies["seoul"]
    seoul.services = ["lectures", "mentoring"]
    seoul.save()
    return policy


def _publish(counsellor: Any) -> CounsellingSlot:
    start = timezone.now() + timedelta(hours=48)
    return services.slot_publish(
        actor=counsellor,
        starts_at=start,
        ends_at=start + timedelta(minutes=50),
        topic="career",
    )


def test_pyeongchang_member_books_career_counselling(
    world, pc_counselling_only, eligible, new_student, client_for
):
    pc_counsellor = make_user("counsellor.pc", Role.COUNSELLOR, world.pyeongchang_hall)
    slot = _publish(pc_counsellor)
    student = eligible(new_student(), world.pyeongchang)
    assert not selectors.mentee_eligible(student, world.pyeongchang)
    assert selectors.counselling_tenants(student) == [world.pyeongchang]
    client = client_for(student)
    page = client.get(reverse("mentoring:counselling"))
    assert [s.pk for s in page.context["slots"]] == [slot.pk]
    response = client.post(
        reverse("mentoring:book", args=[slot.pk]),
        {"topic": "career", "question": "진로 고민이 있어요"},
    )
    assert response.status_code == 302
    booking = CounsellingBooking.objects.get()
    assert booking.student == student and booking.tenant_id == world.pyeongchang.pk


def test_a_town_without_counselling_sees_no_slots_and_cannot_book(
    world, pc_counselling_only, eligible, new_student, client_for
):
    pc_counsellor = make_user("counsellor.pc", Role.COUNSELLOR, world.pyeongchang_hall)
    slot = _publish(pc_counsellor)
    seoul_member = eligible(new_student(), world.seoul)
    page = client_for(seoul_member).get(reverse("mentoring:counselling"))
    assert page.context["slots"] == []
    with pytest.raises(NotFound):
        services.booking_create(
            actor=seoul_member, slot_id=slot.pk, topic="career", question="?"
        )
    # the Seoul counsellor's town switched counselling off: no new slots
    with pytest.raises(DomainError) as exc:
        _publish(world.counsellor)
    assert exc.value.code == "service_off"
    assert CounsellingBooking.objects.count() == 0
    assert CounsellingSlot.objects.count() == 1


def test_api_lists_only_the_members_towns_slots(
    world, pc_counselling_only, eligible, new_student, api_token, client
):
    pc_counsellor = make_user("counsellor.pc", Role.COUNSELLOR, world.pyeongchang_hall)
    slot = _publish(pc_counsellor)
    member = eligible(new_student(), world.pyeongchang)
    outsider = eligible(new_student(), world.seoul)
    for user, expected in ((member, [slot.pk]), (outsider, [])):
        response = client.get(
            "/api/v1/mentoring/counselling/slots",
            HTTP_AUTHORIZATION=f"Bearer {api_token(user)}",
        )
        assert response.status_code == 200, response.content
        assert [i["id"] for i in response.json()["items"]] == expected
