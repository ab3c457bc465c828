"""Each page and its API twin give the same answer, the same refusal, the same log rows.

The reservation page and ``GET /api/v1/lending/reservations/{id}`` both go through
``services.reservation_open``; the staff's board and the search page through the same
selectors as ``GET /board`` and ``GET /availability``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from nanum.core.models import AccessLog, User
from nanum.core.testing import World
from nanum.lending.models import Reservation

from .helpers import Lending, book

pytestmark = pytest.mark.django_db

LogRows = list[tuple[str, str, int]]


def _log_rows(since: int) -> LogRows:
    return list(
        AccessLog.objects.filter(pk__gt=since)
        .order_by("pk")
        .values_list("action", "object_type", "record_count")
    )


def _last_log() -> int:
    last = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def _page(user: User, path: str) -> tuple[Any, LogRows]:
    client = Client()
    client.force_login(user)
    since = _last_log()
    response = client.get(path)
    return response, _log_rows(since)


def _api(token: str, path: str) -> tuple[Any, LogRows]:
    since = _last_log()
    response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    return response, _log_rows(since)


def _both(
    user: User, api_token: Callable[[User], str], page_path: str, api_path: str
) -> tuple[Any, LogRows, Any, LogRows]:
    page, page_logs = _page(user, page_path)
    api, api_logs = _api(api_token(user), api_path)
    return page, page_logs, api, api_logs


def _reservation_paths(pk: int) -> tuple[str, str]:
    return (
        reverse("lending:reservation", args=[pk]),
        f"/api/v1/lending/reservations/{pk}",
    )


def test_reservation_same_answer_for_its_teacher(
    world: World, lending: Lending, api_token: Callable[[User], str]
) -> None:
    r = book(world, lending, qty=2)
    page, page_logs, api, api_logs = _both(
        world.teacher, api_token, *_reservation_paths(r.pk)
    )
    assert page.status_code == 200 and api.status_code == 200
    shown = page.context["r"]
    body = api.json()
    assert shown.pk == body["id"] == r.pk
    assert shown.status == body["status"] == Reservation.Status.CONFIRMED
    assert [a.asset.tag_code for a in page.context["allocations"]] == body["asset_tags"]
    assert len(body["asset_tags"]) == 2
    assert page.context["staff"] is False
    assert page_logs == api_logs


def test_reservation_same_answer_for_the_banks_staff(
    world: World, lending: Lending, api_token: Callable[[User], str]
) -> None:
    r = book(world, lending)
    page, page_logs, api, api_logs = _both(
        world.district_bank_officer, api_token, *_reservation_paths(r.pk)
    )
    assert page.status_code == 200 and api.status_code == 200
    assert page.context["r"].pk == api.json()["id"] == r.pk
    assert [a.asset.tag_code for a in page.context["allocations"]] == api.json()[
        "asset_tags"
    ]
    assert page.context["staff"] is True
    assert page_logs == api_logs


@pytest.mark.parametrize(
    "who", ["other_teacher", "other_bank_officer", "pyeongchang_officer"]
)
def test_reservation_same_refusal_for_outsiders(
    world: World, lending: Lending, api_token: Callable[[User], str], who: str
) -> None:
    """Another school's teacher, another bank's staff, another town: 404 on both."""
    r = book(world, lending)
    page, page_logs, api, api_logs = _both(
        getattr(world, who), api_token, *_reservation_paths(r.pk)
    )
    assert page.status_code == 404
    assert api.status_code == 404
    assert str(r.pk) not in api.content.decode()
    assert page_logs == api_logs


def test_reservation_same_refusal_when_missing(
    world: World, lending: Lending, api_token: Callable[[User], str]
) -> None:
    r = book(world, lending)
    missing = r.pk + 1000
    page, page_logs, api, api_logs = _both(
        world.teacher, api_token, *_reservation_paths(missing)
    )
    assert page.status_code == 404 and api.status_code == 404
    assert page_logs == api_logs


def test_board_same_reservations_on_page_and_api(
    world: World, lending: Lending, api_token: Callable[[User], str]
) -> None:
    confirmed = book(world, lending, start=0, end=2)
    pending = book(world, lending, model=lending.printer, start=0, end=2)
    assert pending.status == Reservation.Status.PENDING
    page, page_logs, api, api_logs = _both(
        world.district_bank_officer,
        api_token,
        reverse("lending:board"),
        "/api/v1/lending/board",
    )
    assert page.status_code == 200 and api.status_code == 200
    b = page.context["b"]
    body = api.json()
    for key in ("pickups", "deliveries", "returns_due", "overdue", "approvals"):
        assert [r.pk for r in b[key]] == [r["id"] for r in body[key]], key
    assert [r["id"] for r in body["approvals"]] == [pending.pk]
    assert confirmed.status == Reservation.Status.CONFIRMED
    assert page_logs == api_logs


def test_board_refuses_a_teacher_on_both(
    world: World, lending: Lending, api_token: Callable[[User], str]
) -> None:
    """A teacher is no bank's staff: the page and the API both refuse (403)."""
    book(world, lending, start=0, end=2)
    page, _, api, _ = _both(
        world.teacher, api_token, reverse("lending:board"), "/api/v1/lending/board"
    )
    assert page.status_code == 403
    assert api.status_code == 403
    assert api.json()["code"] == "forbidden"


def test_search_same_free_units_on_page_and_api(
    world: World, lending: Lending, api_token: Callable[[User], str]
) -> None:
    book(world, lending, qty=2)
    start, end = lending.day(0), lending.day(4)
    school = world.small_school.pk
    page, page_logs, api, api_logs = _both(
        world.teacher,
        api_token,
        f"{reverse('lending:search')}?start={start}&end={end}&quantity=1"
        f"&school={school}",
        f"/api/v1/lending/availability?start={start}&end={end}&quantity=1"
        f"&school_id={school}",
    )
    assert page.status_code == 200 and api.status_code == 200
    on_page = [
        (res.model.pk, [(b.bank.pk, b.free, b.same_district) for b in res.banks])
        for res in page.context["results"]
    ]
    on_api = [
        (
            res["model"]["id"],
            [(b["bank_id"], b["free"], b["same_district"]) for b in res["banks"]],
        )
        for res in api.json()["items"]
    ]
    assert on_page == on_api
    scopes = dict(on_api)[lending.microscope.pk]
    assert (world.district_bank.pk, 1, True) in scopes
    assert page_logs == api_logs
