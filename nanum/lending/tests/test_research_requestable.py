"""The search offers only what a school can borrow: items their owners use (not
idle) are left out, sole-use and not-lendable ones are marked with the reason, and a
request for any of them is refused with that reason (page, API and service alike)."""

from __future__ import annotations

import pytest
from django.utils import translation

from nanum.core.errors import DomainError
from nanum.lending import selectors
from nanum.lending.models import ResearchRequest

from .research_helpers import make_item, monday, request_item

pytestmark = pytest.mark.django_db


def test_the_search_leaves_out_items_in_use_and_marks_the_others(world, client_for):
    ok = make_item(world, name_ko="공초점 현미경 A")
    busy = make_item(world, name_ko="공초점 현미경 B", idle_status="in_use")
    sole = make_item(world, name_ko="공초점 현미경 C", use_scope="sole")
    closed = make_item(world, name_ko="공초점 현미경 D", lending="none")
    shown, total = selectors.research_search(actor=world.teacher, q="공초점")
    assert [i.pk for i in shown] == [ok.pk, sole.pk, closed.pk] and total == 3
    assert [i.requestable for i in shown] == [True, False, False]
    start = monday()
    params = {"q": "공초점", "start": start, "end": start, "quantity": 1}
    html = client_for(world.teacher).get("/lending/", params).content.decode()
    assert 'id="research-results"' in html
    assert f"/lending/research/{busy.pk}/" not in html
    assert html.count("신청할 수 없음") == 2  # sole and not lendable, with why
    assert "단독활용" in html and "대여나 방문" in html


def test_a_request_for_an_item_in_use_is_refused_with_the_reason(world):
    busy = make_item(world, idle_status="in_use")
    with pytest.raises(DomainError) as caught:
        request_item(world, busy)
    assert caught.value.code == "in_use"
    with translation.override("en"):
        assert "is using this item" in str(caught.value.message)
    assert not ResearchRequest.objects.exists()


def test_the_item_page_and_the_api_say_why_not(world, client_for, client, api_token):
    busy = make_item(world, idle_status="in_use")
    page = client_for(world.teacher).get(f"/lending/research/{busy.pk}/")
    html = page.content.decode()
    assert "신청 보내기" not in html and "유휴 상태가 아님" in html
    h = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.teacher)}"}
    got = client.get(f"/api/v1/lending/research/items/{busy.pk}", **h).json()
    assert (got["requestable"], got["not_requestable"]) == (False, "in_use")
    fine = make_item(world)
    got = client.get(f"/api/v1/lending/research/items/{fine.pk}", **h).json()
    assert (got["requestable"], got["not_requestable"]) == (True, "")
