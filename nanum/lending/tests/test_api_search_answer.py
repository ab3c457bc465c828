"""The availability search's answer over the API: rendered without django-ninja's second
validation, so these check it is exactly its own validated form, and that paging and
the count (now read off the search's last page where it can) stay right."""

from __future__ import annotations

import pytest

from nanum.core.models import Organisation, Role, RoleAssignment, User
from nanum.core.schemas import Page
from nanum.lending.schemas import AvailabilityOut
from nanum.lending.selectors import PAGE_SIZE

from .helpers import make_assets, make_model

pytestmark = pytest.mark.django_db

URL = "/api/v1/lending/availability"


def _validated(body: dict) -> dict:
    return Page[AvailabilityOut].model_validate(body).model_dump(mode="json")


@pytest.fixture
def spread(world, lending):
    """Microscopes: 3 at the district bank, 2 at the central bank, 4 at 동부."""
    make_assets(world, lending.microscope, 2, bank=world.central_bank, prefix="C")
    make_assets(world, lending.microscope, 4, bank=world.other_bank, prefix="O")
    return lending


def test_the_answer_is_its_own_validated_form(world, spread, client, api_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.teacher)}"}
    base = {
        "start": str(spread.day(0)),
        "end": str(spread.day(4)),
        "school_id": world.small_school.pk,
    }
    # Both micro:bit kits booked on the asked dates: later windows are offered for them.
    booked = client.post(
        "/api/v1/lending/reservations",
        {
            "equipment_id": spread.microbit.pk,
            "bank_id": world.central_bank.pk,
            "school_id": world.small_school.pk,
            "quantity": 2,
            "start_date": str(spread.day(0)),
            "end_date": str(spread.day(4)),
            "purpose": "코딩 수업",
            "fulfilment": "pickup",
        },
        content_type="application/json",
        **headers,
    )
    assert booked.status_code == 201, booked.content
    # 8 microscopes: no one bank has them, together they do (a split); 2 kits: none
    # free on the dates (alternatives); 1: plain.
    seen = {"split": False, "alternatives": False}
    for quantity in (1, 2, 8):
        resp = client.get(URL, base | {"quantity": quantity}, **headers)
        assert resp.status_code == 200
        assert resp["Content-Type"] == "application/json; charset=utf-8"
        body = resp.json()
        assert body == _validated(body)
        assert body["count"] == 4 and len(body["items"]) == 4
        assert list(body) == ["count", "items", "limit", "offset"]
        for item in body["items"]:
            assert list(item) == ["model", "banks", "alternatives", "split"]
            seen["split"] |= bool(item["split"])
            seen["alternatives"] |= bool(item["alternatives"])
    assert seen == {"split": True, "alternatives": True}


def test_an_answer_off_its_shape_is_caught_by_the_check():
    """The check above can fail: a missing field or a wrong type does not validate."""
    good = {
        "count": 1,
        "items": [
            {
                "model": {"id": 1},
                "banks": [],
                "alternatives": [],
                "split": [],
            }
        ],
        "limit": 20,
        "offset": 0,
    }
    with pytest.raises(ValueError):
        _validated(good)


def test_paging_and_count_across_search_pages(world, lending, client_for):
    # 4 models from the fixture plus 41: three search pages of PAGE_SIZE models.
    for i in range(41):
        make_model(world, f"extra-{i:02d}", name_ko=f"추가 교구 {i:02d}")
    c = client_for(world.teacher)
    day = {"start": str(lending.day(0)), "end": str(lending.day(1))}
    catalogue = c.get("/api/v1/lending/models", {"limit": 200}).json()
    codes = [m["code"] for m in catalogue["items"]]
    total = catalogue["count"]
    assert total == 45 == len(codes) and total > 2 * PAGE_SIZE
    for offset, limit in [
        (0, PAGE_SIZE),  # the first page; more follow: count asked
        (0, 200),  # every page, the last tells the count
        (PAGE_SIZE - 3, 6),  # across two search pages
        (2 * PAGE_SIZE + 1, 10),  # the last page, partly
        (total, 5),  # just past the end
        (total + 3 * PAGE_SIZE, 5),  # far past the end: count still right
    ]:
        body = c.get(URL, day | {"offset": offset, "limit": limit}).json()
        assert body["count"] == total, (offset, limit)
        assert (body["offset"], body["limit"]) == (offset, limit)
        assert [i["model"]["code"] for i in body["items"]] == codes[
            offset : offset + limit
        ], (offset, limit)
    # a narrow search: one page, fewer than PAGE_SIZE
    body = c.get(URL, day | {"q": "추가 교구 0"}).json()
    assert body["count"] == 10 and len(body["items"]) == 10
    nothing = c.get(URL, day | {"q": "없는 교구"}).json()
    assert nothing == {"count": 0, "items": [], "limit": PAGE_SIZE, "offset": 0}


def test_another_towns_teacher_sees_none_of_seouls_models(world, lending, client_for):
    school = Organisation.objects.create(
        code="pc-school",
        kind="school",
        school_level="elementary",
        name_ko="평창 학교",
        tenant=world.pyeongchang,
    )
    teacher = User.objects.create(username="pc-teacher", home_tenant=world.pyeongchang)
    RoleAssignment.objects.create(
        user=teacher, role=Role.TEACHER, organisation=school, tenant=world.pyeongchang
    )
    day = {"start": str(lending.day(0)), "end": str(lending.day(1))}
    body = client_for(teacher).get(URL, day).json()
    assert body["count"] == 0 and body["items"] == []
    seoul = client_for(world.teacher).get(URL, day).json()
    assert seoul["count"] == 4
