"""Visit slots on the research item's page and their API twins: the central bank
publishes and cancels, a teacher sees the free slots and books one; bad input is shown
on its field (page) or as an RFC 9457 problem (API); other towns and roles are kept out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from nanum.core.models import Organisation, Role
from nanum.core.testing import make_user
from nanum.lending import selectors
from nanum.lending.models import ResearchRequest, ResearchVisitSlot
from nanum.lending.schemas import ResearchSlotOut

from .research_helpers import make_item, monday, publish_slot, request_item

pytestmark = pytest.mark.django_db


def slot_form(day, start="10:00", end="12:00", pupils=30):
    return {
        "slot-date": day,
        "slot-start_time": start,
        "slot-end_time": end,
        "slot-max_pupils": pupils,
    }


def api(client: Client, token: str, method: str, path: str, **kw):
    call = getattr(client, method)
    if method == "post":
        kw.setdefault("content_type", "application/json")
    return call(
        f"/api/v1/lending/research/items{path}",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **kw,
    )


def test_the_central_bank_publishes_and_cancels_on_the_item_page(world, client_for):
    item = make_item(world, lending="on_site")
    c = client_for(world.bank_officer)
    page = c.get(f"/lending/research/{item.pk}/").content.decode()
    assert "방문 시간대 게시" in page and 'for="id_slot-start_time"' in page
    done = c.post(f"/lending/research/{item.pk}/slots/", slot_form(monday()))
    assert done.status_code == 302
    slot = ResearchVisitSlot.objects.get()
    page = c.get(f"/lending/research/{item.pk}/").content.decode()
    assert "10:00–12:00" in page and "비어 있음" in page
    assert f"/lending/research/{item.pk}/slots/{slot.pk}/cancel/" in page
    gone = c.post(f"/lending/research/{item.pk}/slots/{slot.pk}/cancel/")
    assert gone.status_code == 302
    slot.refresh_from_db()
    assert slot.cancelled_at is not None
    assert "게시된 방문 시간대가 없습니다" in c.get(gone["Location"]).content.decode()


def test_bad_input_on_the_page_is_shown_on_its_field_and_changes_nothing(
    world, client_for
):
    item = make_item(world, lending="on_site")
    c = client_for(world.bank_officer)
    bad = c.post(
        f"/lending/research/{item.pk}/slots/",
        slot_form(monday(), start="12:00", end="11:00"),
    )
    assert bad.status_code == 422
    html = bad.content.decode()
    assert 'role="alert"' in html and 'href="#id_slot-end_time"' in html
    assert 'id="id_slot-end_time_error"' in html and "종료 시각은" in html
    publish_slot(world, item)
    overlap = c.post(f"/lending/research/{item.pk}/slots/", slot_form(monday()))
    assert overlap.status_code == 422
    assert "다른 방문 시간대와 시간이 겹칩니다" in overlap.content.decode()
    empty = c.post(f"/lending/research/{item.pk}/slots/", {"slot-date": "아무날"})
    assert empty.status_code == 422
    assert ResearchVisitSlot.objects.count() == 1


def test_a_booked_slot_cannot_be_cancelled_on_the_page(world, client_for):
    item = make_item(world, lending="on_site")
    slot = publish_slot(world, item)
    r = request_item(world, item, mode="visit", slot_id=slot.pk, pupils=12)
    c = client_for(world.bank_officer)
    page = c.get(f"/lending/research/{item.pk}/").content.decode()
    assert f"#{r.pk}" in page and f"/slots/{slot.pk}/cancel/" not in page
    refused = c.post(f"/lending/research/{item.pk}/slots/{slot.pk}/cancel/")
    assert refused.status_code == 302
    assert "시간대를 취소하기 전에" in c.get(refused["Location"]).content.decode()
    slot.refresh_from_db()
    assert slot.cancelled_at is None


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ko", ["방문 시간대 (방문 시)", "학생 최대 30명"]),
        ("en", ["Visit slot (visits)", "up to 30 pupils"]),
    ],
)
def test_a_teacher_sees_the_free_slots_and_books_one_on_the_page(
    world, client_for, lang, words
):
    item = make_item(world, lending="on_site")
    slot = publish_slot(world, item, max_pupils=30)
    taken = publish_slot(world, item, start="13:00", end="14:00")
    request_item(
        world,
        item,
        actor=world.other_teacher,
        school_id=world.big_school.pk,
        mode="visit",
        slot_id=taken.pk,
        pupils=5,
    )
    c = client_for(world.teacher)
    c.post(reverse("set_language"), {"language": lang, "next": "/"})
    html = c.get(f"/lending/research/{item.pk}/").content.decode()
    for w in words:
        assert w in html
    assert f'value="{slot.pk}"' in html and f'value="{taken.pk}"' not in html
    form = {
        "mode": "visit",
        "school": world.small_school.pk,
        "bank": world.district_bank.pk,
        "slot": slot.pk,
        "pupils": 31,
        "purpose": "현장 체험: 전자현미경",
    }
    too_many = c.post(f"/lending/research/{item.pk}/", form)
    assert too_many.status_code == 422 and 'id="id_pupils_error"' in (
        too_many.content.decode()
    )
    ok = c.post(f"/lending/research/{item.pk}/", form | {"pupils": 24})
    assert ok.status_code == 302
    r = ResearchRequest.objects.get(requested_by=world.teacher)
    assert (r.slot_id, r.pupils, r.start_date) == (slot.pk, 24, slot.date)
    # the request's page and the owner's signed link name the slot's time
    assert "10:00–12:00" in c.get(ok["Location"]).content.decode()
    owner = f"/lending/research/owner/{selectors.owner_token('r', r.pk)}/"
    assert "10:00–12:00" in Client().get(owner).content.decode()
    # the slot is no longer offered to anyone
    again = c.get(f"/lending/research/{item.pk}/").content.decode()
    assert f'value="{slot.pk}"' not in again


def test_teachers_and_other_towns_cannot_publish_or_cancel(world, client_for):
    item = make_item(world, lending="on_site")
    slot = publish_slot(world, item)
    teacher = client_for(world.teacher)
    page = teacher.get(f"/lending/research/{item.pk}/").content.decode()
    assert "방문 시간대 게시" not in page
    url = f"/lending/research/{item.pk}/slots/"
    cancel = f"{url}{slot.pk}/cancel/"
    assert teacher.post(url, slot_form(monday() + timedelta(days=1))).status_code == 403
    assert teacher.post(cancel).status_code == 403
    bank = Organisation.objects.create(
        code="bank-pc-central",
        kind="bank",
        bank_type="central",
        name_ko="평창 교구은행",
        name_en="Pyeongchang bank",
        tenant=world.pyeongchang,
    )
    other = client_for(make_user("bank.pc", Role.BANK_STAFF, bank))
    assert other.get(f"/lending/research/{item.pk}/").status_code == 404
    assert other.post(url, slot_form(monday() + timedelta(days=1))).status_code == 404
    assert other.post(cancel).status_code == 404
    assert ResearchVisitSlot.objects.filter(cancelled_at__isnull=True).count() == 1


def test_the_api_twins_publish_list_and_cancel(world, client, api_token):
    item = make_item(world, lending="on_site")
    staff = api_token(world.bank_officer)
    body = {
        "date": str(monday()),
        "start_time": "10:00",
        "end_time": "12:00",
        "max_pupils": 30,
    }
    made = [
        api(
            client,
            staff,
            "post",
            f"/{item.pk}/slots",
            data=body,
            HTTP_IDEMPOTENCY_KEY="s1",
        )
        for _ in range(2)
    ]
    assert [m.status_code for m in made] == [201, 201]
    assert made[0].json() == made[1].json()
    got = made[0].json()
    assert ResearchSlotOut.model_validate(got).model_dump(mode="json") == got
    assert (got["start_time"], got["booked"], got["cancelled"]) == (
        "10:00:00",
        False,
        False,
    )
    assert ResearchVisitSlot.objects.count() == 1
    second = api(
        client,
        staff,
        "post",
        f"/{item.pk}/slots",
        data=body | {"start_time": "13:00", "end_time": "14:00"},
    ).json()
    r = request_item(world, item, mode="visit", slot_id=got["id"], pupils=10)
    listed = api(client, staff, "get", f"/{item.pk}/slots").json()
    assert listed["count"] == 2
    assert [s["booked"] for s in listed["items"]] == [True, False]
    # a teacher sees the free slots only
    teacher = api_token(world.teacher)
    free = api(client, teacher, "get", f"/{item.pk}/slots").json()
    assert [s["id"] for s in free["items"]] == [second["id"]]
    # the booked slot is refused, the free one cancelled
    refused = api(client, staff, "post", f"/{item.pk}/slots/{got['id']}/cancel")
    assert refused.status_code == 409
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "slot_booked"
    done = api(client, staff, "post", f"/{item.pk}/slots/{second['id']}/cancel")
    assert done.status_code == 200 and done.json()["cancelled"] is True
    assert ResearchRequest.objects.get(pk=r.pk).status == "review"


def test_the_api_refuses_bad_input_and_outsiders_with_problems(
    world, client, api_token
):
    item = make_item(world, lending="on_site")
    staff = api_token(world.bank_officer)
    body = {
        "date": str(monday()),
        "start_time": "12:00",
        "end_time": "11:00",
        "max_pupils": 30,
    }
    bad = api(client, staff, "post", f"/{item.pk}/slots", data=body)
    assert bad.status_code == 422
    assert bad["Content-Type"] == "application/problem+json"
    assert "end_time" in str(bad.json())
    too_many = api(
        client,
        staff,
        "post",
        f"/{item.pk}/slots",
        data=body | {"end_time": "13:00", "max_pupils": 201},
    )
    assert too_many.status_code == 422
    teacher = api(
        client,
        api_token(world.teacher),
        "post",
        f"/{item.pk}/slots",
        data=body | {"end_time": "13:00"},
    )
    assert teacher.status_code == 403
    outsider = api_token(world.pyeongchang_officer)
    assert api(client, outsider, "get", f"/{item.pk}/slots").status_code == 404
    assert not ResearchVisitSlot.objects.exists()


def test_a_visit_request_through_the_api_books_a_slot(world, client, api_token):
    item = make_item(world, lending="on_site")
    slot = publish_slot(world, item)
    token = api_token(world.teacher)
    body = {
        "item_id": item.pk,
        "school_id": world.small_school.pk,
        "bank_id": world.district_bank.pk,
        "mode": "visit",
        "slot_id": slot.pk,
        "pupils": 20,
        "purpose": "현장 체험",
    }
    resp = client.post(
        "/api/v1/lending/research/requests",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert resp.status_code == 201
    assert (resp.json()["slot_id"], resp.json()["start_date"]) == (
        slot.pk,
        str(slot.date),
    )
    twice = client.post(
        "/api/v1/lending/research/requests",
        body | {"school_id": world.big_school.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.other_teacher)}",
    )
    assert twice.status_code == 409
    assert twice["Content-Type"] == "application/problem+json"
    assert twice.json()["code"] == "slot_taken"
    no_slot = client.post(
        "/api/v1/lending/research/requests",
        body | {"slot_id": None},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert no_slot.status_code == 422 and "slot" in str(no_slot.json())
    assert ResearchRequest.objects.count() == 1
