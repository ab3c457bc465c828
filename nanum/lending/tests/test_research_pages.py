"""Research equipment pages and their API twins, in Korean and English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nanum.lending.models import ResearchItem, ResearchRequest

from .research_helpers import make_item, monday

pytestmark = pytest.mark.django_db


def search(client, **kw):
    start = monday()
    params = {"start": start, "end": start + timedelta(days=4), "quantity": 1} | kw
    return client.get("/lending/", params).content.decode()


def test_the_equipment_search_shows_research_items_marked_with_their_source(
    world, client_for
):
    make_item(world, name_ko="원자힘현미경", owner_name="연세대학교")
    make_item(world, name_ko="퇴역 장비", withdrawn_at="2026-01-01T00:00Z")
    c = client_for(world.teacher)
    html = search(c, q="현미경")
    assert 'id="research-results"' in html
    assert "원자힘현미경" in html and "연세대학교" in html and ">ZEUS<" in html
    assert "퇴역 장비" not in search(c, q="장비")
    assert "research-results" not in search(c, q="현미경", category="maths")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ko", ["보유기관", "이 장비 신청하기"]),
        ("en", ["owner institution", "Request this item"]),
    ],
)
def test_the_item_page_is_complete_in_both_languages(world, client_for, lang, words):
    item = make_item(world)
    c = client_for(world.teacher)
    c.post(reverse("set_language"), {"language": lang, "next": "/"})
    html = c.get(f"/lending/research/{item.pk}/").content.decode()
    for w in words:
        assert w in html


def test_a_teacher_requests_on_the_page_and_sees_the_refusal_on_the_form(
    world, client_for
):
    item = make_item(world)
    sole = make_item(world, use_scope="sole")
    c = client_for(world.teacher)
    start = monday()
    form = {
        "mode": "loan",
        "school": world.small_school.pk,
        "bank": world.district_bank.pk,
        "start_date": start,
        "end_date": start + timedelta(days=4),
        "pupils": 0,
        "purpose": "전자현미경으로 보는 세포",
    }
    resp = c.post(f"/lending/research/{item.pk}/", form)
    r = ResearchRequest.objects.get()
    assert (
        resp.status_code == 302
        and resp["Location"] == f"/lending/research/requests/{r.pk}/"
    )
    assert "신청" in c.get(resp["Location"]).content.decode()
    page = c.get(f"/lending/research/{sole.pk}/").content.decode()
    assert "단독활용" in page and "신청 보내기" not in page
    again = c.post(f"/lending/research/{item.pk}/", form)
    assert again.status_code == 422
    assert "다른 신청이" in again.content.decode()
    assert ResearchRequest.objects.count() == 1


def test_the_api_pages_creates_idempotently_and_refuses_with_a_problem(
    world, client, api_token
):
    item = make_item(world)
    sole = make_item(world, use_scope="sole")
    token = api_token(world.teacher)
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    page = client.get("/api/v1/lending/research/items?limit=1", **h).json()
    assert set(page) == {"count", "items", "limit", "offset"}
    assert page["count"] == 2 and len(page["items"]) == 1
    start = monday()
    body = {
        "item_id": item.pk,
        "school_id": world.small_school.pk,
        "bank_id": world.district_bank.pk,
        "mode": "loan",
        "start_date": str(start),
        "end_date": str(start + timedelta(days=4)),
        "purpose": "수업",
    }
    made = [
        client.post(
            "/api/v1/lending/research/requests",
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="k1",
            **h,
        )
        for _ in range(2)
    ]
    assert [m.status_code for m in made] == [201, 201]
    assert made[0].json() == made[1].json()
    assert ResearchRequest.objects.count() == 1
    refused = client.post(
        "/api/v1/lending/research/requests",
        body | {"item_id": sole.pk},
        content_type="application/json",
        **h,
    )
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "sole_use"


def test_page_and_api_twin_give_the_same_item_and_the_same_not_found(
    world, client, api_token
):
    item = make_item(world)
    for user, status in ((world.teacher, 200), (world.gimpo_officer, 404)):
        client.force_login(user)
        page = client.get(f"/lending/research/{item.pk}/")
        twin = client.get(
            f"/api/v1/lending/research/items/{item.pk}",
            HTTP_AUTHORIZATION=f"Bearer {api_token(user)}",
        )
        assert page.status_code == twin.status_code == status
        if status == 200:
            assert twin.json()["nfec_no"] in page.content.decode()


def test_the_central_bank_imports_an_idle_list_on_the_page(world, client_for):
    c = client_for(world.bank_officer)
    data = (
        "NFEC 등록번호,장비명,보유기관\nNFEC-2015-03-111111,원자힘현미경,서울대학교\n"
    )
    resp = c.post(
        "/lending/research/syncs/",
        {"file": SimpleUploadedFile("idle.csv", data.encode())},
    )
    assert resp.status_code == 302
    assert ResearchItem.objects.get().idle_status == "idle"
    bad = c.post(
        "/lending/research/syncs/", {"file": SimpleUploadedFile("idle.csv", b"")}
    )
    assert bad.status_code == 422
    page = c.get("/lending/research/syncs/").content.decode()
    assert "유휴장비 목록" in page
