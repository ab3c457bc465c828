"""Class requests: N units of a model from the nearest banks, all parts or none."""

from __future__ import annotations

import multiprocessing
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from nanum.core.errors import DomainError
from nanum.core.models import User
from nanum.lending import selectors, services
from nanum.lending.models import (
    Allocation,
    AllocationRound,
    BankPolicy,
    Reservation,
)

from .helpers import book, make_assets
from .test_no_double_booking import overlapping_pairs

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (row locks, real concurrency)",
)


@pytest.fixture
def spread(world, lending):
    """Microscopes: 3 at the district bank, 2 at the central bank, 4 at 동부."""
    make_assets(world, lending.microscope, 2, bank=world.central_bank, prefix="C")
    make_assets(world, lending.microscope, 4, bank=world.other_bank, prefix="O")
    return lending


def _request(world, lending, qty, **kw):
    args = dict(
        actor=world.teacher,
        equipment_id=lending.microscope.pk,
        school_id=world.small_school.pk,
        quantity=qty,
        start_date=lending.day(0),
        end_date=lending.day(4),
        purpose="세포 관찰 학급 실험",
    )
    args.update(kw)
    return services.class_request_create(**args)


@pytest.mark.django_db
def test_a_class_set_is_filled_from_the_nearest_banks(world, spread):
    plan = selectors.class_request_plan(
        actor=world.teacher,
        equipment_id=spread.microscope.pk,
        school_id=world.small_school.pk,
        start=spread.day(0),
        end=spread.day(4),
        quantity=8,
    )
    assert [(p.bank, p.quantity) for p in plan.parts] == [
        (world.district_bank, 3),
        (world.central_bank, 2),
        (world.other_bank, 3),
    ]
    assert plan.missing == 0
    made = _request(world, spread, 8)
    assert made.quantity == 8
    rows = Reservation.objects.filter(class_request=made.id).order_by("pk")
    assert [(r.bank_id, r.quantity) for r in rows] == [
        (world.district_bank.pk, 3),
        (world.central_bank.pk, 2),
        (world.other_bank.pk, 3),
    ]
    assert {r.status for r in rows} == {Reservation.Status.CONFIRMED}
    assert Allocation.objects.filter(active=True).count() == 8
    assert overlapping_pairs() == 0


@pytest.mark.django_db
def test_a_request_that_cannot_be_filled_creates_nothing_and_says_what_is_missing(
    world, spread
):
    book(world, spread, qty=2)  # 7 left across the banks
    with pytest.raises(services.ClassRequestShort) as exc:
        _request(world, spread, 9)
    assert exc.value.extra["free"] == 7 and exc.value.extra["missing"] == 2
    assert "2" in str(exc.value.message)
    assert Reservation.objects.count() == 1
    assert Allocation.objects.filter(active=True).count() == 2


@pytest.mark.django_db
def test_the_quota_holds_across_the_parts(world, spread):
    for bank in (world.district_bank, world.central_bank, world.other_bank):
        BankPolicy.objects.create(bank=bank, term_quota_units=6)
    with pytest.raises(DomainError) as exc:
        _request(world, spread, 8)  # 3 + 2 fit, the third part breaks the quota
    assert exc.value.code == "quota_reached"
    assert Reservation.objects.count() == 0
    assert Allocation.objects.count() == 0


@pytest.mark.django_db
def test_a_part_in_a_scarcity_round_joins_the_round(world, spread):
    AllocationRound.objects.create(
        tenant=world.seoul,
        bank=world.central_bank,
        name="학기 초",
        window_start=spread.day(-7),
        window_end=spread.day(30),
        collect_until=timezone.now() + timedelta(days=30),
    )
    made = _request(world, spread, 5)
    statuses = {r.bank_id: r.status for r in made.reservations}
    assert statuses[world.central_bank.pk] == Reservation.Status.IN_ROUND
    assert statuses[world.district_bank.pk] == Reservation.Status.CONFIRMED


@pytest.mark.django_db
def test_each_part_of_a_model_that_needs_approval_waits_for_its_bank(world, spread):
    """3D printers need approval: each bank approves its own part, and one bank's
    approval leaves the other part waiting."""
    make_assets(world, spread.printer, 2, bank=world.central_bank, prefix="P")
    made = _request(world, spread, 3, equipment_id=spread.printer.pk)
    parts = {r.bank_id: r for r in made.reservations}
    assert {b: r.quantity for b, r in parts.items()} == {
        world.district_bank.pk: 1,
        world.central_bank.pk: 2,
    }
    assert {r.status for r in parts.values()} == {Reservation.Status.PENDING}
    with pytest.raises(DomainError):  # not the district officer's bank
        services.reservation_approve(
            actor=world.district_bank_officer,
            reservation_id=parts[world.central_bank.pk].pk,
        )
    services.reservation_approve(
        actor=world.district_bank_officer,
        reservation_id=parts[world.district_bank.pk].pk,
    )
    statuses = dict(
        Reservation.objects.filter(class_request=made.id).values_list(
            "bank_id", "status"
        )
    )
    assert statuses == {
        world.district_bank.pk: Reservation.Status.CONFIRMED,
        world.central_bank.pk: Reservation.Status.PENDING,
    }


@pytest.mark.django_db
def test_bad_input_and_other_schools_change_nothing(world, spread):
    with pytest.raises(DomainError):
        _request(world, spread, 0)
    with pytest.raises(DomainError):
        _request(world, spread, 3, school_id=world.big_school.pk)
    with pytest.raises(DomainError):
        _request(world, spread, 3, start_date=spread.day(5))  # a Saturday
    assert Reservation.objects.count() == 0


@pytest.mark.django_db
def test_the_page_proposes_the_split_and_books_it(world, spread, client_for):
    c = client_for(world.teacher)
    q = (
        f"?equipment={spread.microscope.pk}&start={spread.day(0)}&end={spread.day(4)}"
        f"&quantity=8&school={world.small_school.pk}"
    )
    page = c.get("/lending/class-request/" + q)
    assert page.status_code == 200
    html = page.content.decode()
    assert world.central_bank.name in html and world.other_bank.name in html
    search = c.get(
        f"/lending/?q=microscope&start={spread.day(0)}&end={spread.day(4)}&quantity=8"
    )
    assert "/lending/class-request/" in search.content.decode()
    done = c.post(
        "/lending/class-request/",
        {
            "equipment": spread.microscope.pk,
            "school": world.small_school.pk,
            "quantity": 8,
            "start_date": spread.day(0),
            "end_date": spread.day(4),
            "fulfilment": "pickup",
            "purpose": "학급 실험",
        },
    )
    assert done.status_code == 302
    assert Reservation.objects.filter(class_request__isnull=False).count() == 3
    short = c.post(
        "/lending/class-request/",
        {
            "equipment": spread.microscope.pk,
            "school": world.small_school.pk,
            "quantity": 5,
            "start_date": spread.day(0),
            "end_date": spread.day(4),
            "fulfilment": "pickup",
            "purpose": "학급 실험",
        },
    )
    assert short.status_code == 422
    assert Reservation.objects.count() == 3


def _worker(args: tuple[int, int, int, str, str, int]) -> str:
    user_id, school_id, model_id, start, end, qty = args
    connections.close_all()
    try:
        services.class_request_create(
            actor=User.objects.get(pk=user_id),
            equipment_id=model_id,
            school_id=school_id,
            quantity=qty,
            start_date=date.fromisoformat(start),
            end_date=date.fromisoformat(end),
            purpose="race",
        )
        return "ok"
    except DomainError as exc:
        return exc.code
    finally:
        connections.close_all()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_class_requests_racing_for_the_last_units_never_overlap_or_split(world, spread):
    # 9 units in all; six requests of 5 each: at most one can be filled
    job = (
        world.teacher.pk,
        world.small_school.pk,
        spread.microscope.pk,
        str(spread.day(0)),
        str(spread.day(4)),
        5,
    )
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(6) as pool:
        results = pool.map(_worker, [job] * 6)
    assert results.count("ok") == 1, results
    assert set(results) <= {"ok", "class_request_short"}
    assert Allocation.objects.filter(active=True).count() == 5
    assert overlapping_pairs() == 0
    # no partial request: every class request holds all it asked for
    for group in set(
        Reservation.objects.values_list("class_request", flat=True).distinct()
    ):
        assert (
            sum(
                Reservation.objects.filter(class_request=group).values_list(
                    "quantity", flat=True
                )
            )
            == 5
        )


@pytest.mark.django_db
def test_each_part_shows_the_other_banks_parts(world, spread, client_for):
    made = _request(world, spread, 8, fulfilment="delivery")
    first, *others = made.reservations
    page = client_for(world.teacher).get(f"/lending/reservations/{first.pk}/")
    assert page.status_code == 200
    assert [p.pk for p in page.context["class_parts"]] == [r.pk for r in others]
    html = page.content.decode()
    assert world.other_bank.name in html
    # a bank's staff see their own part, not the other banks' parts
    staff = client_for(world.district_bank_officer).get(
        f"/lending/reservations/{first.pk}/"
    )
    assert staff.status_code == 200
    assert staff.context["class_parts"] == []
    mine = client_for(world.teacher).get("/lending/my/").content.decode()
    assert str(made.id)[:8] in mine


@pytest.mark.django_db
def test_the_api_books_a_class_set_or_refuses_with_a_problem(world, spread, client_for):
    c = client_for(world.teacher)
    data = {
        "equipment_id": spread.microscope.pk,
        "school_id": world.small_school.pk,
        "quantity": 8,
        "start_date": str(spread.day(0)),
        "end_date": str(spread.day(4)),
        "purpose": "학급 실험",
    }
    ok = c.post("/api/v1/lending/class-requests", data, content_type="application/json")
    assert ok.status_code == 201, ok.content
    body = ok.json()
    assert body["quantity"] == 8
    assert [p["quantity"] for p in body["reservations"]] == [3, 2, 3]
    assert sum(len(p["asset_tags"]) for p in body["reservations"]) == 8
    short = c.post(
        "/api/v1/lending/class-requests",
        data | {"quantity": 2},
        content_type="application/json",
    )
    assert short.status_code == 409
    assert short["Content-Type"] == "application/problem+json"
    assert short.json()["code"] == "class_request_short"
    assert Reservation.objects.count() == 3


@pytest.mark.django_db
def test_a_basket_of_models_is_one_request_all_or_none(world, spread, client_for):
    make_assets(world, spread.microbit, 1, bank=world.district_bank, prefix="MB")
    items = [
        services.BasketItem(equipment_id=spread.microscope.pk, quantity=6),
        services.BasketItem(equipment_id=spread.microbit.pk, quantity=3),
    ]
    args = dict(
        actor=world.teacher,
        school_id=world.small_school.pk,
        start_date=spread.day(0),
        end_date=spread.day(4),
        purpose="융합 수업",
    )
    made = services.class_basket_create(items=items, **args)
    assert sorted((r.equipment_id, r.quantity) for r in made.reservations) == sorted(
        [
            (spread.microscope.pk, 3),
            (spread.microscope.pk, 2),
            (spread.microscope.pk, 1),
            (spread.microbit.pk, 1),
            (spread.microbit.pk, 2),
        ]
    )
    assert {r.class_request for r in made.reservations} == {made.id}
    before = Reservation.objects.count()
    # the microscopes would fit, the micro:bit kits not: nothing at all is booked
    with pytest.raises(services.ClassRequestShort) as exc:
        services.class_basket_create(
            items=[
                services.BasketItem(equipment_id=spread.microscope.pk, quantity=3),
                services.BasketItem(equipment_id=spread.microbit.pk, quantity=1),
            ],
            **args,
        )
    assert exc.value.extra["equipment_id"] == spread.microbit.pk
    assert Reservation.objects.count() == before
    api = client_for(world.teacher).post(
        "/api/v1/lending/class-baskets",
        {
            "school_id": world.small_school.pk,
            "start_date": str(spread.day(7)),
            "end_date": str(spread.day(11)),
            "purpose": "융합 수업",
            "items": [
                {"equipment_id": spread.microscope.pk, "quantity": 4},
                {"equipment_id": spread.microbit.pk, "quantity": 2},
            ],
        },
        content_type="application/json",
    )
    assert api.status_code == 201, api.content
    assert api.json()["quantity"] == 6


@pytest.mark.django_db
def test_the_page_books_a_basket_or_nothing(world, spread, client_for):
    make_assets(world, spread.microbit, 1, bank=world.district_bank, prefix="MB")
    c = client_for(world.teacher)
    data = {
        "equipment": spread.microscope.pk,
        "school": world.small_school.pk,
        "quantity": 5,
        "start_date": spread.day(0),
        "end_date": spread.day(4),
        "fulfilment": "delivery",
        "purpose": "융합 수업",
        "also_1": spread.microbit.pk,
        "also_qty_1": 4,  # only 3 kits exist: nothing is booked
    }
    refused = c.post("/lending/class-request/", data)
    assert refused.status_code == 422
    assert Reservation.objects.count() == 0
    done = c.post("/lending/class-request/", data | {"also_qty_1": 3})
    assert done.status_code == 302
    rows = Reservation.objects.all()
    assert sum(r.quantity for r in rows if r.equipment_id == spread.microbit.pk) == 3
    assert sum(r.quantity for r in rows if r.equipment_id == spread.microscope.pk) == 5
    assert len({r.class_request for r in rows}) == 1
    same = c.post("/lending/class-request/", data | {"also_1": spread.microscope.pk})
    assert same.status_code == 422  # the same model twice: refused, said on the form
    assert Reservation.objects.count() == len(rows)
