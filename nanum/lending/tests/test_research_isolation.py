"""Research equipment pages and API: every town, bank and teacher sees only its own."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nanum.core.models import AuditLog
from nanum.lending import selectors, services
from nanum.lending.models import ResearchItem, ResearchRequest

from .research_helpers import make_item, request_item

pytestmark = pytest.mark.django_db
LIST = "NFEC 등록번호,장비명,보유기관\nNFEC-2015-03-111111,현미경,서울대학교\n".encode()


def api(client: Client, token: str, method: str, path: str, **kw):
    call = getattr(client, method)
    return call(f"/api/v1/lending{path}", HTTP_AUTHORIZATION=f"Bearer {token}", **kw)


def test_another_towns_people_see_no_seoul_research_items(world, client, api_token):
    item = make_item(world)
    outsider = world.pyeongchang_officer
    assert not selectors.research_item_list(actor=outsider).exists()
    client.force_login(outsider)
    assert client.get(f"/lending/research/{item.pk}/").status_code == 404
    body = api(client, api_token(outsider), "get", "/research/items").json()
    assert body == {"count": 0, "items": [], "limit": 50, "offset": 0}
    resp = api(client, api_token(outsider), "get", f"/research/items/{item.pk}")
    assert resp.status_code == 404
    assert resp["Content-Type"] == "application/problem+json"
    page = client.get(
        "/lending/",
        {"q": "현미경", "start": "2030-03-04", "end": "2030-03-05", "quantity": 1},
    )
    assert "주사전자현미경" not in page.content.decode()


def test_another_teacher_cannot_read_or_cancel_a_request(world, client, api_token):
    r = request_item(world, make_item(world))
    client.force_login(world.other_teacher)
    assert client.get(f"/lending/research/requests/{r.pk}/").status_code == 404
    assert client.post(f"/lending/research/requests/{r.pk}/cancel/").status_code == 404
    token = api_token(world.other_teacher)
    assert api(client, token, "get", f"/research/requests/{r.pk}").status_code == 404
    resp = api(
        client,
        token,
        "post",
        f"/research/requests/{r.pk}/cancel",
        data={"reason": ""},
        content_type="application/json",
    )
    assert resp.status_code == 404
    mine = api(client, token, "get", "/research/requests").json()
    assert mine["count"] == 0
    r.refresh_from_db()
    assert r.status == ResearchRequest.Status.REVIEW


def test_only_the_central_bank_reviews_and_forwards(world, client, api_token):
    r = request_item(world, make_item(world))
    # the district bank hands the item out, but does not review it
    client.force_login(world.district_bank_officer)
    queue = client.get("/lending/research/review/")
    assert queue.status_code == 200 and f"#{r.pk}<" not in queue.content.decode()
    assert client.get("/lending/research/syncs/").status_code == 403
    assert client.post(f"/lending/research/requests/{r.pk}/forward/").status_code == 403
    token = api_token(world.district_bank_officer)
    assert (
        api(client, token, "get", "/research/requests?scope=review").status_code == 403
    )
    # another bank's staff: not even the request exists for them
    client.force_login(world.other_bank_officer)
    assert client.get(f"/lending/research/requests/{r.pk}/").status_code == 404
    assert client.post(f"/lending/research/requests/{r.pk}/forward/").status_code == 404
    resp = api(
        client,
        api_token(world.other_bank_officer),
        "post",
        f"/research/requests/{r.pk}/forward",
        data={},
        content_type="application/json",
    )
    assert resp.status_code == 404
    r.refresh_from_db()
    assert r.status == ResearchRequest.Status.REVIEW
    assert not AuditLog.objects.filter(action="lending.research_forward").exists()
    # teachers have no review page
    client.force_login(world.teacher)
    assert client.get("/lending/research/review/").status_code == 403
    # the central bank does
    client.force_login(world.bank_officer)
    assert f"#{r.pk}<" in client.get("/lending/research/review/").content.decode()
    client.post(f"/lending/research/requests/{r.pk}/forward/")
    r.refresh_from_db()
    assert r.status == ResearchRequest.Status.WITH_OWNER


def test_other_bank_staff_cannot_hand_out_or_import_lists(world, client):
    r = request_item(world, make_item(world))
    services.research_request_forward(actor=world.bank_officer, request_id=r.pk)
    services.research_owner_decide(
        token=selectors.owner_token("r", r.pk), approve=True, name="박연구"
    )
    client.force_login(world.other_bank_officer)
    assert client.post(f"/lending/research/requests/{r.pk}/out/").status_code == 404
    r.refresh_from_db()
    assert r.status == ResearchRequest.Status.APPROVED
    upload = client.post(
        "/lending/research/syncs/",
        {"file": SimpleUploadedFile("x.csv", LIST)},
    )
    assert upload.status_code == 403
    assert not ResearchItem.objects.filter(source="spreadsheet").exists()


def test_a_link_for_one_request_decides_only_that_one(world):
    a = request_item(world, make_item(world))
    b = request_item(world, make_item(world))
    for r in (a, b):
        services.research_request_forward(actor=world.bank_officer, request_id=r.pk)
    services.research_owner_decide(
        token=selectors.owner_token("r", a.pk), approve=True, name="박연구"
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("approved", "with_owner")


def test_other_banks_do_not_see_the_sync_records(world, client, settings):
    services.zeus_list_import(
        actor=world.bank_officer,
        bank_id=world.central_bank.pk,
        data=LIST,
        filename="idle.csv",
    )
    assert selectors.zeus_sync_list(actor=world.bank_officer).count() == 1
    assert selectors.zeus_sync_list(actor=world.other_bank_officer).count() == 0
    assert selectors.zeus_sync_list(actor=world.gimpo_officer).count() == 0
