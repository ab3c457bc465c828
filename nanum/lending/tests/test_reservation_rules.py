"""A teacher reserving equipment: every rule is enforced and every refusal says why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from nanum.core.errors import DomainError, PermissionDenied
from nanum.core.models import CalendarDay, Notification
from nanum.lending import services
from nanum.lending.models import Allocation, BankPolicy, Reservation, TrainingRecord

from .helpers import book

pytestmark = pytest.mark.django_db


def codes(fn):
    with pytest.raises(DomainError) as exc:
        fn()
    return exc.value.code


def test_a_teacher_reserves_two_microscopes_and_is_told(
    world, lending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = book(world, lending, qty=2)
    assert r.status == Reservation.Status.CONFIRMED
    allocs = list(Allocation.objects.filter(reservation=r, active=True))
    assert len(allocs) == 2
    # buffers: one preparation day before, one inspection day after
    assert allocs[0].blocked_from == lending.day(-1)
    assert allocs[0].blocked_until == lending.day(5)
    assert Notification.objects.filter(
        user=world.teacher, kind="lending.confirmed"
    ).exists()
    assert any("teacher@example.org" in m.to for m in mail.outbox)


def test_no_units_free_refuses_and_changes_nothing(world, lending):
    book(world, lending, qty=3)
    before = (Reservation.objects.count(), Allocation.objects.count())
    assert codes(lambda: book(world, lending, qty=1, start=2, end=3)) == "no_units_free"
    assert (Reservation.objects.count(), Allocation.objects.count()) == before


def test_a_request_for_more_units_than_are_free_holds_none(world, lending):
    book(world, lending, qty=2)  # one of the three microscopes is left
    before = (Reservation.objects.count(), Allocation.objects.count())
    assert codes(lambda: book(world, lending, qty=2, start=1, end=2)) == "no_units_free"
    assert (Reservation.objects.count(), Allocation.objects.count()) == before
    waiting = book(world, lending, qty=2, start=1, end=2, waitlist=True)
    assert waiting.status == "waitlisted"
    assert not Allocation.objects.filter(reservation=waiting).exists()
    assert book(world, lending, qty=1, start=1, end=2).status == "confirmed"


def test_buffers_block_back_to_back_loans_but_not_after_inspection(world, lending):
    book(world, lending, qty=3, start=0, end=3)  # blocked until day 4 (inspection)
    # day 4 start would need prep on day 3 -> overlap
    assert codes(lambda: book(world, lending, start=4, end=4)) == "no_units_free"
    r = book(world, lending, start=7, end=8)  # next Monday: free again
    assert r.status == "confirmed"


def test_lead_time(world, lending):
    today = timezone.localdate()
    start = today + timedelta(days=1)
    with pytest.raises(DomainError) as exc:
        services.reservation_create(
            actor=world.teacher,
            equipment_id=lending.microscope.pk,
            bank_id=world.district_bank.pk,
            school_id=world.small_school.pk,
            quantity=1,
            start_date=start,
            end_date=start + timedelta(days=1),
            purpose="x",
        )
    assert exc.value.code == "lead_time"
    assert not Reservation.objects.exists()


def test_too_long(world, lending):
    assert codes(lambda: book(world, lending, start=0, end=21)) == "too_long"


def test_weekend_and_holiday_are_outside_lending_days(world, lending):
    assert (
        codes(lambda: book(world, lending, start=0, end=5)) == "outside_lending_days"
    )  # Saturday
    CalendarDay.objects.create(date=lending.day(2), kind="holiday", name_ko="공휴일")
    assert codes(lambda: book(world, lending, start=2, end=3)) == "outside_lending_days"
    CalendarDay.objects.create(
        date=lending.day(3),
        kind="closed",
        name_ko="은행 휴무",
        organisation=world.district_bank,
    )
    assert codes(lambda: book(world, lending, start=1, end=3)) == "outside_lending_days"
    assert book(world, lending, start=1, end=4).status == "confirmed"


def test_term_quota(world, lending):
    BankPolicy.objects.create(bank=world.district_bank, term_quota_units=3)
    book(world, lending, qty=2)
    with pytest.raises(DomainError) as exc:
        book(world, lending, qty=2, start=7, end=8)
    assert exc.value.code == "quota_reached"
    assert Reservation.objects.count() == 1


def test_safety_training_is_a_prerequisite(world, lending):
    assert (
        codes(lambda: book(world, lending, model=lending.drone)) == "training_required"
    )
    TrainingRecord.objects.create(
        user=world.teacher,
        equipment=lending.drone,
        completed_on=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=365),
    )
    assert book(world, lending, model=lending.drone).status == "confirmed"


def test_approval_flow(world, lending):
    r = book(world, lending, model=lending.printer)
    assert r.status == "pending"
    assert (
        Allocation.objects.filter(reservation=r, active=True).count() == 1
    )  # held meanwhile
    services.reservation_approve(actor=world.district_bank_officer, reservation_id=r.pk)
    r.refresh_from_db()
    assert r.status == "confirmed"
    r2 = book(world, lending, model=lending.printer, start=7, end=8)
    with pytest.raises(DomainError):
        services.reservation_reject(
            actor=world.district_bank_officer, reservation_id=r2.pk, reason=""
        )
    services.reservation_reject(
        actor=world.district_bank_officer, reservation_id=r2.pk, reason="점검 중"
    )
    r2.refresh_from_db()
    assert r2.status == "rejected" and r2.reason == "점검 중"
    assert not Allocation.objects.filter(reservation=r2, active=True).exists()


def test_teacher_cannot_book_for_another_school(world, lending):
    with pytest.raises(PermissionDenied):
        book(world, lending, school=world.big_school)
    assert not Reservation.objects.exists()


def test_waitlist_offer_accept_and_expiry(world, lending):
    first = book(world, lending, qty=3)
    wait1 = book(
        world,
        lending,
        qty=1,
        start=1,
        end=2,
        actor=world.other_teacher,
        school=world.big_school,
        waitlist=True,
    )
    wait2 = book(world, lending, qty=1, start=1, end=2, waitlist=True)
    assert wait1.status == wait2.status == "waitlisted"
    services.reservation_change(
        actor=world.teacher,
        reservation_id=first.pk,
        start_date=lending.day(0),
        end_date=lending.day(0),
    )
    # shortening from 5 days to 1 does not free day 1-2 (buffer until day 1): cancel instead
    services.reservation_cancel(actor=world.teacher, reservation_id=first.pk)
    wait1.refresh_from_db()
    wait2.refresh_from_db()
    assert wait1.status == "offered" and wait1.offer_expires_at is not None
    assert wait2.status == "offered"  # three units came back, both fit
    services.reservation_accept_offer(
        actor=world.other_teacher, reservation_id=wait1.pk
    )
    wait1.refresh_from_db()
    assert wait1.status == "confirmed"
    Reservation.objects.filter(pk=wait2.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert services.offers_expire() == 1
    wait2.refresh_from_db()
    assert wait2.status == "expired"
    assert not Allocation.objects.filter(reservation=wait2, active=True).exists()


def test_extension_only_when_free_and_shortening(world, lending):
    r = book(world, lending, qty=3, start=0, end=1)
    other = book(
        world,
        lending,
        qty=3,
        start=7,
        end=8,
        actor=world.other_teacher,
        school=world.big_school,
    )
    services.reservation_change(
        actor=world.teacher,
        reservation_id=r.pk,
        start_date=lending.day(0),
        end_date=lending.day(3),
    )
    r.refresh_from_db()
    assert r.end_date == lending.day(3)
    with pytest.raises(DomainError) as exc:
        services.reservation_change(
            actor=world.teacher,
            reservation_id=r.pk,
            start_date=lending.day(0),
            end_date=lending.day(7),
        )
    assert exc.value.code == "no_units_free"
    r.refresh_from_db()
    assert r.end_date == lending.day(3)
    assert other.status == "confirmed"


def test_bad_input_is_field_by_field(world, lending):
    with pytest.raises(DomainError) as exc:
        services.reservation_create(
            actor=world.teacher,
            equipment_id=lending.microscope.pk,
            bank_id=world.district_bank.pk,
            school_id=world.small_school.pk,
            quantity=0,
            start_date=None,
            end_date=None,
            fulfilment="teleport",
            purpose="",
        )
    assert set(exc.value.field_errors) == {"quantity", "fulfilment", "purpose"}
    assert not Reservation.objects.exists()
