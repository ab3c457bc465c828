"""Running the bank: check-out, check-in, repairs that move bookings, transfers, overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from nanum.core.errors import DomainError
from nanum.core.models import Notification
from nanum.lending import services, tasks
from nanum.lending.models import Allocation, Asset, Consumable, Reservation, Transfer

from .helpers import book

pytestmark = pytest.mark.django_db


def test_checkout_needs_every_reserved_tag_and_issues_consumables(world, lending):
    r = book(world, lending, qty=2)
    with pytest.raises(DomainError) as exc:
        services.checkout(
            actor=world.district_bank_officer,
            reservation_id=r.pk,
            tag_codes=["MICROSCOPE-003"],
        )
    assert "tag_codes" in exc.value.field_errors
    slides = Consumable.objects.create(
        tenant=world.seoul,
        bank=world.district_bank,
        name_ko="슬라이드 글라스",
        stock=10,
        reorder_level=5,
    )
    services.checkout(
        actor=world.district_bank_officer,
        reservation_id=r.pk,
        tag_codes=["MICROSCOPE-001", "MICROSCOPE-002"],
        consumables={slides.pk: 6},
    )
    r.refresh_from_db()
    slides.refresh_from_db()
    assert r.status == "checked_out" and slides.stock == 4
    a = Asset.objects.get(tag_code="MICROSCOPE-001")
    assert a.status == "on_loan" and a.location_id == world.small_school.pk


def test_maintenance_moves_future_bookings_to_another_unit_or_tells_the_teacher(
    world, lending
):
    r = book(world, lending, qty=1)
    held = Allocation.objects.get(reservation=r, active=True).asset
    services.maintenance_open(
        actor=world.district_bank_officer, asset_id=held.pk, description="렌즈 흐림"
    )
    held.refresh_from_db()
    assert held.status == "in_repair"
    new = Allocation.objects.get(reservation=r, active=True)
    assert new.asset_id != held.pk
    # fill the remaining units, then break the one this reservation holds
    book(world, lending, qty=1, actor=world.other_teacher, school=world.big_school)
    services.maintenance_open(
        actor=world.district_bank_officer,
        asset_id=new.asset_id,
        description="배터리 불량",
    )
    r.refresh_from_db()
    assert "repair" in r.reason.lower() or "수리" in r.reason
    assert Notification.objects.filter(
        user=world.teacher, kind="lending.affected"
    ).exists()


def test_other_bank_staff_cannot_open_tickets_on_our_assets(world, lending):
    with pytest.raises(DomainError):
        services.maintenance_open(
            actor=world.other_bank_officer,
            asset_id=lending.scopes[0].pk,
            description="x",
        )
    assert Asset.objects.get(pk=lending.scopes[0].pk).status == "available"


def test_transfer_is_in_transit_until_received(world, lending):
    a = lending.scopes[0]
    t = services.transfer_send(
        actor=world.district_bank_officer,
        asset_id=a.pk,
        to_org_id=world.other_bank.pk,
        rehome=True,
    )
    a.refresh_from_db()
    assert a.status == "in_transit"
    with pytest.raises(DomainError):
        services.transfer_receive(actor=world.district_bank_officer, transfer_id=t.pk)
    services.transfer_receive(actor=world.other_bank_officer, transfer_id=t.pk)
    a.refresh_from_db()
    assert a.status == "available" and a.home_bank_id == world.other_bank.pk
    assert Transfer.objects.get(pk=t.pk).status == "received"


def test_overdue_reminders_task_and_escalation(world, lending):
    r = book(world, lending)
    services.checkout(
        actor=world.district_bank_officer,
        reservation_id=r.pk,
        tag_codes=["MICROSCOPE-001"],
    )
    Reservation.objects.filter(pk=r.pk).update(
        start_date=timezone.localdate() - timedelta(days=5),
        end_date=timezone.localdate() - timedelta(days=2),
    )
    for _ in range(3):
        tasks.overdue_reminders.enqueue()  # one reminder a day, however many runs
    reminders = Notification.objects.filter(user=world.teacher, kind="lending.overdue")
    assert reminders.count() == 1
    assert not Notification.objects.filter(
        user=world.district_bank_officer, kind="lending.overdue"
    ).exists()
    for days in (1, 2):
        services.overdue_remind(now=timezone.localdate() + timedelta(days=days))
    assert reminders.count() == 3
    assert Notification.objects.filter(
        user=world.district_bank_officer, kind="lending.overdue"
    ).exists()


def test_daily_command_runs(world, lending):
    call_command("lending_daily")


def test_board_shows_the_days_work(world, lending, client_for):
    book(world, lending, model=lending.printer)
    c = client_for(world.district_bank_officer)
    page = c.get("/lending/staff/")
    assert page.status_code == 200
    assert "3D 프린터" in page.content.decode()
