"""Visit slots of ZEUS research items: the central bank publishes and cancels them, a
teacher books one with a visit request (one live request per slot), and visits and
loans of one item never overlap. Refusals say why and change nothing."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import AuditLog, Organisation, Role
from nanum.core.testing import make_user
from nanum.lending import selectors, services
from nanum.lending.models import ResearchRequest, ResearchVisitSlot

from .research_helpers import make_item, monday, publish_slot, request_item

pytestmark = pytest.mark.django_db


def visit(world, slot, *, actor=None, school=None, pupils=20):
    return request_item(
        world,
        slot.item,
        actor=actor,
        mode="visit",
        slot_id=slot.pk,
        pupils=pupils,
        **({"school_id": school.pk} if school else {}),
    )


def other_town_central(world):
    bank = Organisation.objects.create(
        code="bank-pc-central",
        kind="bank",
        bank_type="central",
        name_ko="평창 교구은행",
        name_en="Pyeongchang bank",
        tenant=world.pyeongchang,
    )
    return make_user("bank.pc", Role.BANK_STAFF, bank)


def test_the_central_bank_publishes_a_slot_and_it_is_audited(world):
    item = make_item(world, lending="on_site")
    slot = publish_slot(world, item, start="09:30", end="11:00", max_pupils=25)
    assert (slot.date, slot.start_time, slot.end_time) == (
        monday(),
        time(9, 30),
        time(11, 0),
    )
    assert slot.tenant_id == item.tenant_id and slot.created_by == world.bank_officer
    log = AuditLog.objects.get(action="lending.research_slot_create")
    after = log.after or {}
    assert after["start_time"] == "09:30" and after["max_pupils"] == "25"
    # the next slot of the same day may start when this one ends
    assert publish_slot(world, item, start="11:00", end="12:00").pk


@pytest.mark.parametrize(
    ("kw", "field", "ko"),
    [
        ({"start": "12:00", "end": "10:00"}, "end_time", "종료 시각"),
        ({"start": "10:00", "end": "10:00"}, "end_time", "종료 시각"),
        ({"max_pupils": 0}, "max_pupils", "200"),
        ({"max_pupils": 201}, "max_pupils", "200"),
        ({"day": "past"}, "date", "지난"),
    ],
)
def test_bad_slots_are_refused_field_by_field_and_change_nothing(world, kw, field, ko):
    item = make_item(world, lending="on_site")
    if kw.get("day") == "past":
        kw = {"day": clock.today() - timedelta(days=1)}
    for lang in ("ko", "en"):
        with translation.override(lang), pytest.raises(InvalidInput) as caught:
            publish_slot(world, item, **kw)
        assert set(caught.value.field_errors) == {field}
        with translation.override(lang):
            said = str(caught.value.field_errors[field][0])
        assert ko in said if lang == "ko" else said.isascii()
    assert not ResearchVisitSlot.objects.exists()
    assert not AuditLog.objects.filter(
        action__startswith="lending.research_slot"
    ).exists()


def test_overlapping_slots_of_one_item_are_refused(world):
    item = make_item(world, lending="on_site")
    publish_slot(world, item, start="10:00", end="12:00")
    for start, end in (("11:00", "13:00"), ("09:00", "10:30"), ("10:00", "12:00")):
        with pytest.raises(DomainError) as caught:
            publish_slot(world, item, start=start, end=end)
        assert (caught.value.code, caught.value.status) == ("slot_overlap", 409)
        assert "start_time" in caught.value.field_errors
    # another item, or another day, is free
    publish_slot(world, make_item(world, lending="on_site"))
    publish_slot(world, item, day=monday() + timedelta(days=1))
    assert ResearchVisitSlot.objects.count() == 3


def test_a_cancelled_slot_frees_its_time(world):
    item = make_item(world, lending="on_site")
    slot = publish_slot(world, item)
    services.research_slot_cancel(
        actor=world.bank_officer, item_id=item.pk, slot_id=slot.pk
    )
    slot.refresh_from_db()
    assert slot.cancelled_at is not None
    assert AuditLog.objects.filter(action="lending.research_slot_cancel").count() == 1
    assert publish_slot(world, item).pk != slot.pk
    with pytest.raises(InvalidInput) as gone:
        visit(world, slot)
    assert "slot" in gone.value.field_errors


def test_slots_only_for_items_a_school_may_visit(world):
    for kw, code in (
        ({"lending": "none"}, "not_lendable"),
        ({"use_scope": "sole"}, "sole_use"),
    ):
        item = make_item(world, **kw)
        with pytest.raises(DomainError) as caught:
            publish_slot(world, item)
        assert caught.value.code == code
    # an item that can be lent may also be visited
    assert publish_slot(world, make_item(world, lending="loan")).pk
    assert ResearchVisitSlot.objects.count() == 1


def test_only_the_central_banks_staff_publish_and_cancel(world):
    item = make_item(world, lending="on_site")
    slot = publish_slot(world, item)
    for outsider in (world.teacher, world.district_bank_officer, world.seoul_officer):
        with pytest.raises(PermissionDenied):
            publish_slot(world, item, actor=outsider, start="14:00", end="15:00")
        with pytest.raises(PermissionDenied):
            services.research_slot_cancel(
                actor=outsider, item_id=item.pk, slot_id=slot.pk
            )
    other = other_town_central(world)
    with pytest.raises(NotFound):
        publish_slot(world, item, actor=other, start="14:00", end="15:00")
    with pytest.raises(NotFound):
        services.research_slot_cancel(actor=other, item_id=item.pk, slot_id=slot.pk)
    with pytest.raises(NotFound):
        selectors.research_slot_list(actor=other, item_id=item.pk)
    # a slot named under another item is not found either
    elsewhere = make_item(world, lending="on_site")
    with pytest.raises(NotFound):
        services.research_slot_cancel(
            actor=world.bank_officer, item_id=elsewhere.pk, slot_id=slot.pk
        )
    assert ResearchVisitSlot.objects.filter(cancelled_at__isnull=True).count() == 1


def test_one_live_request_per_slot_and_cancelling_frees_it(world):
    item = make_item(world, lending="on_site")
    slot = publish_slot(world, item, max_pupils=30)
    first = visit(world, slot, pupils=28)
    assert (first.slot_id, first.start_date, first.end_date) == (
        slot.pk,
        slot.date,
        slot.date,
    )
    assert first.status == ResearchRequest.Status.REVIEW
    with pytest.raises(DomainError) as caught:
        visit(world, slot, actor=world.other_teacher, school=world.big_school)
    assert (caught.value.code, caught.value.status) == ("slot_taken", 409)
    assert "slot" in caught.value.field_errors
    assert ResearchRequest.objects.count() == 1
    assert selectors.free_slots(item) == []
    # a booked slot cannot be withdrawn under the teacher's feet
    with pytest.raises(DomainError) as booked:
        services.research_slot_cancel(
            actor=world.bank_officer, item_id=item.pk, slot_id=slot.pk
        )
    assert booked.value.code == "slot_booked"
    # the owner's flow is unchanged: the central bank refuses, the slot is free
    services.research_request_cancel(actor=world.teacher, request_id=first.pk)
    assert selectors.free_slots(item) == [slot]
    again = visit(world, slot, actor=world.other_teacher, school=world.big_school)
    assert again.status == ResearchRequest.Status.REVIEW


def test_two_slots_of_one_day_are_booked_by_two_schools(world):
    item = make_item(world, lending="on_site")
    morning = publish_slot(world, item, start="09:00", end="11:00")
    afternoon = publish_slot(world, item, start="13:00", end="15:00")
    a = visit(world, morning)
    b = visit(world, afternoon, actor=world.other_teacher, school=world.big_school)
    assert {a.slot_id, b.slot_id} == {morning.pk, afternoon.pk}
    assert a.start_date == b.start_date


def test_visits_and_loans_of_one_item_never_overlap(world):
    item = make_item(world, lending="loan")
    slot = publish_slot(world, item, day=monday() + timedelta(days=2))
    visit(world, slot)
    # a loan over the booked visit's day is refused
    with pytest.raises(DomainError) as caught:
        request_item(
            world, item, actor=world.other_teacher, school_id=world.big_school.pk
        )
    assert caught.value.code == "item_taken"
    # a loan the week after is fine; no slot can be published on its days
    loan = request_item(world, item, offset=7)
    with pytest.raises(DomainError) as lent:
        publish_slot(world, item, day=loan.start_date + timedelta(days=1))
    assert (lent.value.code, lent.value.status) == ("item_lent", 409)
    assert "date" in lent.value.field_errors
    # a free slot published before a loan is hidden while the loan holds its day
    late = publish_slot(world, item, day=monday(4))
    assert late in selectors.free_slots(item)
    request_item(world, item, offset=14)
    assert late not in selectors.free_slots(item)
    with pytest.raises(DomainError) as taken:
        visit(world, late, actor=world.other_teacher, school=world.big_school)
    assert taken.value.code == "item_taken"


def test_a_slot_must_be_requested_ahead_and_for_pupils_it_takes(world):
    item = make_item(world, lending="on_site")
    soon = publish_slot(world, item, day=clock.today() + timedelta(days=2))
    assert soon not in selectors.free_slots(item)
    with pytest.raises(InvalidInput) as caught:
        visit(world, soon)
    assert "slot" in caught.value.field_errors
    assert not ResearchRequest.objects.exists()


def test_the_database_keeps_one_live_request_per_slot(world):
    item = make_item(world, lending="on_site")
    slot = publish_slot(world, item)
    first = visit(world, slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResearchRequest.objects.create(
            tenant=world.seoul,
            item=item,
            school=world.big_school,
            bank=world.district_bank,
            requested_by=world.other_teacher,
            mode="visit",
            slot=slot,
            start_date=slot.date,
            end_date=slot.date,
            pupils=5,
            purpose="x",
        )
    ResearchRequest.objects.filter(pk=first.pk).update(status="declined")
    assert ResearchRequest.objects.create(
        tenant=world.seoul,
        item=item,
        school=world.big_school,
        bank=world.district_bank,
        requested_by=world.other_teacher,
        mode="visit",
        slot=slot,
        start_date=slot.date,
        end_date=slot.date,
        pupils=5,
        purpose="x",
    ).pk


@pytest.mark.postgres_only
def test_the_database_refuses_overlapping_slots_the_application_missed(world):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraint: PostgreSQL only")
    item = make_item(world, lending="on_site")
    slot = publish_slot(world, item)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResearchVisitSlot.objects.create(
            tenant=world.seoul,
            item=item,
            date=slot.date,
            start_time=time(11, 0),
            end_time=time(13, 0),
            max_pupils=10,
            created_by=world.bank_officer,
        )
    # a cancelled slot no longer holds its time; back-to-back slots are fine
    ResearchVisitSlot.objects.filter(pk=slot.pk).update(cancelled_at=clock.now())
    ResearchVisitSlot.objects.create(
        tenant=world.seoul,
        item=item,
        date=slot.date,
        start_time=time(11, 0),
        end_time=time(13, 0),
        max_pupils=10,
        created_by=world.bank_officer,
    )
    ResearchVisitSlot.objects.create(
        tenant=world.seoul,
        item=item,
        date=slot.date,
        start_time=time(13, 0),
        end_time=time(14, 0),
        max_pupils=10,
        created_by=world.bank_officer,
    )
