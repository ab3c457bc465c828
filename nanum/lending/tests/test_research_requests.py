"""Requests for ZEUS research items: refusals with reasons, no overlap, the review,
the owner's signed link, hand-over at the bank, and transfers into the bank."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from nanum.core.errors import DomainError, InvalidInput, NotFound
from nanum.core.models import AuditLog, Notification
from nanum.lending import selectors, services
from nanum.lending.models import Asset, ResearchItem, ResearchRequest

from .research_helpers import make_item, monday, publish_slot, request_item

pytestmark = pytest.mark.django_db


def owner_path() -> str:
    """The signed link in the last e-mail to the owner's contact."""
    to_owner = [m for m in mail.outbox if "/lending/research/owner/" in m.body]
    found = re.search(
        r"https?://[^/\s]+(/lending/research/owner/[^/\s]+/)", str(to_owner[-1].body)
    )
    assert found
    return found.group(1)


def test_a_teacher_request_goes_to_the_central_bank_and_is_audited(world):
    item = make_item(world)
    r = request_item(world, item)
    assert r.status == ResearchRequest.Status.REVIEW
    assert r.bank == world.district_bank
    assert AuditLog.objects.filter(action="lending.research_request").count() == 1
    told = Notification.objects.filter(user=world.bank_officer)
    assert told.filter(kind="lending.research_review").exists()
    assert not Notification.objects.filter(user=world.other_bank_officer).exists()


@pytest.mark.parametrize(
    ("kw", "mode", "code", "ko"),
    [
        ({"use_scope": "sole"}, "loan", "sole_use", "단독활용"),
        ({"lending": "none"}, "visit", "not_lendable", "유휴"),
        ({"lending": "on_site"}, "loan", "on_site_only", "현장"),
    ],
)
def test_refusals_say_why_in_korean_and_english_and_change_nothing(
    world, kw, mode, code, ko
):
    item = make_item(world, **kw)
    with pytest.raises(DomainError) as caught:
        request_item(world, item, mode=mode, pupils=20, end_date=monday())
    assert caught.value.code == code
    with translation.override("ko"):
        assert ko in str(caught.value.message)
    with translation.override("en"):
        assert str(caught.value.message).isascii()
    assert not ResearchRequest.objects.exists()


def test_bad_dates_and_visits_without_pupils_are_refused_field_by_field(world):
    item = make_item(world, lending="on_site")
    start = monday()
    slot = publish_slot(world, item, max_pupils=30)
    with pytest.raises(InvalidInput) as no_pupils:
        request_item(world, item, mode="visit", slot_id=slot.pk)
    assert set(no_pupils.value.field_errors) == {"pupils"}
    with pytest.raises(InvalidInput) as too_many:
        request_item(world, item, mode="visit", slot_id=slot.pk, pupils=31)
    assert "30" in str(too_many.value.field_errors["pupils"][0])
    with pytest.raises(InvalidInput) as no_slot:
        request_item(world, item, mode="visit", pupils=10, slot_id=None)
    assert set(no_slot.value.field_errors) == {"slot"}
    loan_item = make_item(world)
    with pytest.raises(InvalidInput) as too_soon:
        request_item(
            world,
            loan_item,
            start_date=start - timedelta(days=14),
            end_date=start - timedelta(days=14),
        )
    assert "start_date" in too_soon.value.field_errors
    with pytest.raises(InvalidInput) as backwards:
        request_item(world, loan_item, end_date=start - timedelta(days=1))
    assert "end_date" in backwards.value.field_errors
    assert not ResearchRequest.objects.exists()
    visit = request_item(world, item, mode="visit", pupils=25, slot_id=slot.pk)
    assert (visit.mode, visit.pupils) == ("visit", 25)
    assert (visit.start_date, visit.end_date) == (start, start)


def test_no_overlap_like_bank_units(world):
    item = make_item(world)
    first = request_item(world, item)
    other = {
        "actor": world.other_teacher,
        "school_id": world.big_school.pk,
        "offset": 2,  # Wednesday to Friday of the same week
        "end_date": first.end_date,
    }
    with pytest.raises(DomainError) as caught:
        request_item(world, item, **other)
    assert caught.value.code == "item_taken"
    assert ResearchRequest.objects.count() == 1
    # after a refusal the period is free again
    services.research_request_refuse(
        actor=world.bank_officer, request_id=first.pk, reason="장비 점검 기간"
    )
    again = request_item(world, item, **other)
    assert again.status == "review"
    # the next week is free
    assert request_item(world, item, offset=7).status == "review"


@pytest.mark.postgres_only
def test_the_database_refuses_an_overlap_the_application_missed(world):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraint: PostgreSQL only")
    item = make_item(world)
    r = request_item(world, item)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResearchRequest.objects.create(
            tenant=world.seoul,
            item=item,
            school=world.big_school,
            bank=world.district_bank,
            requested_by=world.other_teacher,
            mode="loan",
            start_date=r.end_date,
            end_date=r.end_date + timedelta(days=2),
            purpose="x",
            status="approved",
        )


def test_review_owner_link_approval_and_hand_over(
    world, client, django_capture_on_commit_callbacks
):
    world.teacher.preferred_language = "en"
    world.teacher.save()
    item = make_item(world)
    r = request_item(world, item)
    with django_capture_on_commit_callbacks(execute=True):
        services.research_request_forward(actor=world.bank_officer, request_id=r.pk)
    assert [m.to for m in mail.outbox if "/research/owner/" in m.body] == [
        ["sem@snu.example.ac.kr"]
    ]
    path = owner_path()
    page = client.get(path)  # no account: the link is the key
    assert page.status_code == 200 and "주사전자현미경" in page.content.decode()
    answer = client.post(path, {"decision": "approve", "name": "박연구"})
    assert answer.status_code == 200
    r.refresh_from_db()
    assert (r.status, r.owner_decided_by) == ("approved", "박연구")
    note = Notification.objects.filter(user=world.teacher).latest("pk")
    assert note.subject == "Your research equipment request is approved"
    assert AuditLog.objects.filter(
        action="lending.research_owner_decide", actor=None
    ).exists()
    # the link cannot decide twice
    client.post(path, {"decision": "decline", "name": "누군가"})
    r.refresh_from_db()
    assert r.status == "approved"
    # pickup and return at the district bank
    with pytest.raises(DomainError):
        services.research_request_hand_over(
            actor=world.district_bank_officer, request_id=r.pk, step="back"
        )
    services.research_request_hand_over(
        actor=world.district_bank_officer, request_id=r.pk, step="out"
    )
    r = services.research_request_hand_over(
        actor=world.district_bank_officer, request_id=r.pk, step="back"
    )
    assert r.status == "returned"


def test_a_tampered_or_foreign_link_decides_nothing(
    world, client, django_capture_on_commit_callbacks
):
    item = make_item(world)
    r = request_item(world, item)
    with django_capture_on_commit_callbacks(execute=True):
        services.research_request_forward(actor=world.bank_officer, request_id=r.pk)
    path = owner_path()
    assert client.get(path[:-3] + "xx/").status_code == 404
    resp = client.post(path[:-3] + "xx/", {"decision": "approve", "name": "x"})
    assert resp.status_code == 404
    # a missing name is a form error, nothing decided
    assert client.post(path, {"decision": "approve", "name": ""}).status_code == 422
    r.refresh_from_db()
    assert r.status == "with_owner"


def test_the_owner_declines_with_a_message(world):
    item = make_item(world, contact_email="")
    r = request_item(world, item)
    services.research_request_forward(actor=world.bank_officer, request_id=r.pk)
    # no address: the central bank passes the link on itself
    assert not [m for m in mail.outbox if "/research/owner/" in m.body]
    token = selectors.owner_token("r", r.pk)
    decided = services.research_owner_decide(
        token=token, approve=False, name="김교수", reason="학기 중 연구에 사용"
    )
    assert isinstance(decided, ResearchRequest)
    assert (decided.status, decided.reason) == ("declined", "학기 중 연구에 사용")


def test_a_transfer_makes_a_bank_unit_with_its_provenance(
    world, django_capture_on_commit_callbacks
):
    item = make_item(world, idle_status="idle", asset_no="A2018-000123")
    with django_capture_on_commit_callbacks(execute=True):
        services.research_transfer_propose(actor=world.bank_officer, item_id=item.pk)
    assert any("/lending/research/owner/" in m.body for m in mail.outbox)
    token = selectors.owner_token("t", item.pk)
    services.research_owner_decide(token=token, approve=True, name="박연구")
    item.refresh_from_db()
    asset = item.transferred_asset
    assert asset is not None and asset.home_bank == world.central_bank
    assert item.nfec_no in asset.notes and "서울대학교" in asset.notes
    assert asset.serial == "A2018-000123"
    assert not selectors.research_item_list(actor=world.teacher).filter(pk=item.pk)
    assert selectors.model_list(actor=world.teacher, q=item.name_ko).filter(
        pk=asset.equipment_id
    )
    with pytest.raises(DomainError):  # decided once
        services.research_owner_decide(token=token, approve=True, name="박연구")
    assert Asset.objects.filter(tag_code__startswith="ZEUS-").count() == 1


def test_only_idle_items_can_be_transferred_and_only_by_the_central_bank(world):
    busy = make_item(world, idle_status="in_use")
    with pytest.raises(DomainError) as caught:
        services.research_transfer_propose(actor=world.bank_officer, item_id=busy.pk)
    assert caught.value.code == "not_idle"
    idle = make_item(world)
    with pytest.raises(NotFound):
        services.research_transfer_propose(
            actor=world.district_bank_officer, item_id=idle.pk
        )
    idle.refresh_from_db()
    assert idle.transfer == ResearchItem.Transfer.NONE
