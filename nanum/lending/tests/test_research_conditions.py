"""Conditions of use the central bank sets on a ZEUS item survive the next sync (and
an idle list); they are set on a page and through the API, validated, audited and
reserved to the staff of the central bank that keeps the item."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nanum.core.errors import InvalidInput, NotFound, PermissionDenied
from nanum.core.models import AuditLog, Organisation, Role
from nanum.core.testing import make_user
from nanum.lending import services
from nanum.lending.models import ResearchItem

from .fake_zeus import KEY, FakeZeus, feed, serve
from .research_helpers import make_item

pytestmark = pytest.mark.django_db

LOCAL: dict[str, Any] = {
    "lending": "none",
    "training_required": True,
    "insurance_required": True,
    "operator_needed": True,
    "contact_name": "이담당",
    "contact_email": "kstem@bank.example.kr",
    "contact_phone": "02-3999-1234",
    "note": "보호 안경 지참",
}


def sync(world: Any, zeus: Any) -> Any:
    client = services.ZeusClient(
        base_url=zeus.url, api_key=KEY, page_size=10, retries=0, sleep=lambda s: None
    )
    return services.zeus_sync_run(bank_id=world.central_bank.pk, client=client)


def api(client: Client, token: str, method: str, path: str, **kw: Any) -> Any:
    call = getattr(client, method)
    return call(
        f"/api/v1/lending/research/items{path}",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        content_type="application/json",
        **kw,
    )


def conditions(item: ResearchItem) -> dict[str, Any]:
    item.refresh_from_db()
    return {f: getattr(item, f if f != "note" else "conditions_note") for f in LOCAL}


def test_local_conditions_survive_a_sync_that_changes_the_item(world):
    records = feed(12)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        item = ResearchItem.objects.get(nfec_no=records[1]["equipNo"])
        assert (item.lending, item.contact_name) == ("loan", "김연구")  # from ZEUS
        services.research_conditions_set(
            actor=world.bank_officer, item_id=item.pk, **LOCAL
        )
        again = sync(world, zeus)  # the same feed: nothing written at all
        assert again.changed == 0
        assert conditions(item) == LOCAL
        # ZEUS changes the item, the very fields set at the bank included
        records[1] |= {"korNm": "새 이름 현미경", "rentPsblYn": "Y", "eduNeedYn": "N"}
        records[1] |= {"chargerNm": "최연구", "chargerTelno": "02-880-9999"}
        changed = sync(world, zeus)
    assert changed.changed == 1
    item.refresh_from_db()
    assert item.name_ko == "새 이름 현미경"  # the feed's fields are still the feed's
    assert conditions(item) == LOCAL  # the bank's are the bank's
    assert item.local_fields == [
        "lending",
        "training_required",
        "insurance_required",
        "operator_needed",
        "contact_name",
        "contact_email",
        "contact_phone",
    ]
    # the others were not touched by the officer: the feed keeps writing them
    other = ResearchItem.objects.get(nfec_no=records[2]["equipNo"])
    assert other.local_fields == [] and other.contact_name == "김연구"


def test_only_the_fields_changed_become_local_and_the_rest_follow_zeus(world):
    records = feed(5)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        item = ResearchItem.objects.get(nfec_no=records[1]["equipNo"])
        services.research_conditions_set(
            actor=world.bank_officer,
            item_id=item.pk,
            lending="on_site",
            training_required=item.training_required,
            insurance_required=item.insurance_required,
            operator_needed=item.operator_needed,
            contact_name=item.contact_name,
            contact_email=item.contact_email,
            contact_phone=item.contact_phone,
        )
        item.refresh_from_db()
        assert item.local_fields == ["lending"]
        records[1] |= {"rentPsblYn": "N", "chargerNm": "최연구"}
        sync(world, zeus)
    item.refresh_from_db()
    assert item.lending == "on_site"  # kept
    assert item.contact_name == "최연구"  # not set at the bank: ZEUS's


def test_an_idle_list_does_not_overwrite_them_either(world):
    item = make_item(world, nfec_no="NFEC-2015-03-111111")
    services.research_conditions_set(actor=world.bank_officer, item_id=item.pk, **LOCAL)
    data = (
        "NFEC 등록번호,장비명,보유기관,대여가능,담당자\n"
        "NFEC-2015-03-111111,현미경,서울대학교,대여,김연구\n"
    ).encode()
    result = services.zeus_list_import(
        actor=world.bank_officer,
        bank_id=world.central_bank.pk,
        data=data,
        filename="idle.csv",
    )
    assert result.changed == 1
    item.refresh_from_db()
    assert item.name_ko == "현미경"
    assert conditions(item) == LOCAL


def test_a_reset_hands_the_fields_back_to_zeus_at_the_next_sync(world):
    records = feed(5)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        item = ResearchItem.objects.get(nfec_no=records[1]["equipNo"])
        services.research_conditions_set(
            actor=world.bank_officer, item_id=item.pk, **LOCAL
        )
        services.research_conditions_reset(actor=world.bank_officer, item_id=item.pk)
        item.refresh_from_db()
        assert item.local_fields == []
        sync(world, zeus)  # the same feed: this item is written again
    item.refresh_from_db()
    assert (item.lending, item.contact_name) == ("loan", "김연구")
    assert item.conditions_note == "보호 안경 지참"  # the bank's own note stays
    actions = list(
        AuditLog.objects.filter(object_id=str(item.pk)).values_list("action", flat=True)
    )
    assert "lending.research_conditions_set" in actions
    assert "lending.research_conditions_reset" in actions


def test_a_change_is_audited_with_the_values_before_and_after(world):
    item = make_item(world)
    services.research_conditions_set(actor=world.bank_officer, item_id=item.pk, **LOCAL)
    row = AuditLog.objects.get(action="lending.research_conditions_set")
    assert row.actor == world.bank_officer and row.object_id == str(item.pk)
    before, after = row.before or {}, row.after or {}
    assert before["lending"] == "loan" and after["lending"] == "none"
    assert after["contact_phone"] == "02-3999-1234"
    # the same values again: nothing changes, nothing audited
    services.research_conditions_set(actor=world.bank_officer, item_id=item.pk, **LOCAL)
    assert (
        AuditLog.objects.filter(action="lending.research_conditions_set").count() == 1
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lending", "sometimes"),
        ("contact_email", "not-an-address"),
        ("contact_email", "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".kr"),
        ("contact_phone", "call me maybe"),
        ("contact_name", "가" * 101),
        ("note", "x" * 1001),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(world, field, value):
    item = make_item(world)
    with pytest.raises(InvalidInput) as exc:
        services.research_conditions_set(
            actor=world.bank_officer, item_id=item.pk, **(LOCAL | {field: value})
        )
    assert (field if field != "note" else "conditions_note") in exc.value.field_errors
    item.refresh_from_db()
    assert item.lending == "loan" and item.local_fields == []
    assert not AuditLog.objects.filter(action__startswith="lending.research_cond")


def test_only_the_central_banks_staff_may_set_them(world):
    item = make_item(world)
    for outsider in (world.teacher, world.district_bank_officer, world.seoul_officer):
        with pytest.raises(PermissionDenied):
            services.research_conditions_set(actor=outsider, item_id=item.pk, **LOCAL)
    # the central bank of another town does not find Seoul's item
    pc_central = Organisation.objects.create(
        code="bank-pc-central",
        kind="bank",
        bank_type="central",
        name_ko="평창 교구은행",
        name_en="Pyeongchang bank",
        tenant=world.pyeongchang,
    )
    other = make_user("bank.pc", Role.BANK_STAFF, pc_central)
    with pytest.raises(NotFound):
        services.research_conditions_set(actor=other, item_id=item.pk, **LOCAL)
    item.refresh_from_db()
    assert item.lending == "loan" and item.local_fields == []


def test_the_page_sets_them_and_refuses_bad_input_in_korean(world, client):
    item = make_item(world)
    client.force_login(world.bank_officer)
    page = client.get(f"/lending/research/{item.pk}/")
    assert f"/lending/research/{item.pk}/conditions/" in page.content.decode()
    form = client.get(f"/lending/research/{item.pk}/conditions/")
    assert form.status_code == 200
    bad = client.post(
        f"/lending/research/{item.pk}/conditions/",
        {"lending": "none", "contact_phone": "전화 주세요", "contact_email": ""},
    )
    assert bad.status_code == 422
    assert "전화번호" in bad.content.decode()
    item.refresh_from_db()
    assert item.lending == "loan"
    ok = client.post(
        f"/lending/research/{item.pk}/conditions/",
        {
            "lending": "on_site",
            "training_required": "on",
            "contact_name": "이담당",
            "contact_phone": "02-3999-1234",
            "note": "보호 안경 지참",
        },
    )
    assert ok.status_code == 302
    item.refresh_from_db()
    assert (item.lending, item.training_required) == ("on_site", True)
    assert "lending" in item.local_fields and "contact_name" in item.local_fields
    shown = client.get(f"/lending/research/{item.pk}/").content.decode()
    assert "보호 안경 지참" in shown
    reset = client.post(f"/lending/research/{item.pk}/conditions/reset/")
    assert reset.status_code == 302
    item.refresh_from_db()
    assert item.local_fields == [] and item.digest == ""


def test_the_pages_are_closed_to_others(world, client):
    item = make_item(world)
    client.force_login(world.teacher)
    assert client.get(f"/lending/research/{item.pk}/conditions/").status_code == 403
    assert (
        client.post(f"/lending/research/{item.pk}/conditions/", LOCAL).status_code
        == 403
    )
    client.force_login(world.pyeongchang_officer)
    assert client.get(f"/lending/research/{item.pk}/conditions/").status_code == 403
    client.force_login(world.district_bank_officer)
    assert (
        client.post(f"/lending/research/{item.pk}/conditions/reset/").status_code == 403
    )
    item.refresh_from_db()
    assert item.local_fields == [] and item.lending == "loan"


def test_the_api_reads_sets_and_resets_them(world, client, api_token):
    item = make_item(world)
    token = api_token(world.bank_officer)
    got = api(client, token, "get", f"/{item.pk}/conditions")
    assert got.status_code == 200
    assert got.json()["lending"] == "loan" and got.json()["local_fields"] == []
    put = api(client, token, "put", f"/{item.pk}/conditions", data=LOCAL)
    assert put.status_code == 200, put.content
    body = put.json()
    assert body["lending"] == "none" and body["note"] == "보호 안경 지참"
    # teachers read the note with the item
    seen = api(client, api_token(world.teacher), "get", f"/{item.pk}").json()
    assert seen["conditions_note"] == "보호 안경 지참" and seen["lending"] == "none"
    assert "contact_phone" in body["local_fields"] and body["item_id"] == item.pk
    bad = api(
        client,
        token,
        "put",
        f"/{item.pk}/conditions",
        data=LOCAL | {"contact_email": "nope"},
    )
    assert bad.status_code == 422
    assert bad["Content-Type"] == "application/problem+json"
    assert "contact_email" in str(bad.json())
    wrong = api(
        client, token, "put", f"/{item.pk}/conditions", data=LOCAL | {"lending": "x"}
    )
    assert wrong.status_code == 422
    assert wrong["Content-Type"] == "application/problem+json"
    item.refresh_from_db()
    assert (
        item.contact_email == "kstem@bank.example.kr"
    )  # the refused ones changed nothing
    gone = api(client, token, "delete", f"/{item.pk}/conditions")
    assert gone.status_code == 200 and gone.json()["local_fields"] == []


def test_the_api_is_closed_to_others(world, client, api_token):
    item = make_item(world)
    teacher = api_token(world.teacher)
    for method, data in (("get", None), ("put", LOCAL), ("delete", None)):
        kw = {"data": data} if data else {}
        resp = api(client, teacher, method, f"/{item.pk}/conditions", **kw)
        assert resp.status_code == 403
        assert resp["Content-Type"] == "application/problem+json"
    outsider = api_token(world.pyeongchang_officer)
    resp = api(client, outsider, "put", f"/{item.pk}/conditions", data=LOCAL)
    assert resp.status_code == 403
    item.refresh_from_db()
    assert item.local_fields == [] and item.lending == "loan"


def test_uploading_an_idle_list_on_the_page_keeps_them(world, client):
    item = make_item(world, nfec_no="NFEC-2015-03-222222")
    services.research_conditions_set(actor=world.bank_officer, item_id=item.pk, **LOCAL)
    client.force_login(world.bank_officer)
    data = "NFEC 등록번호,장비명,보유기관,대여가능\nNFEC-2015-03-222222,현미경,서울대학교,대여\n"
    resp = client.post(
        "/lending/research/syncs/",
        {"file": SimpleUploadedFile("idle.csv", data.encode(), "text/csv")},
    )
    assert resp.status_code == 302
    assert conditions(item) == LOCAL
