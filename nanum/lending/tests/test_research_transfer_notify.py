"""The owner's decision on a transfer into the bank is told to the people concerned:
the central bank's staff in their own language, the owner's contact by mail (Korean
then English, they have no account), once; and it is audited."""

from __future__ import annotations

import pytest
from django.core import mail

from nanum.core.errors import DomainError
from nanum.core.models import AuditLog, Notification
from nanum.lending import selectors, services, tasks
from nanum.lending.models import ResearchItem

from .research_helpers import make_item

pytestmark = pytest.mark.django_db


def propose(world, item: ResearchItem, capture) -> str:
    with capture(execute=True):
        services.research_transfer_propose(actor=world.bank_officer, item_id=item.pk)
    mail.outbox.clear()
    return selectors.owner_token("t", item.pk)


def test_an_accepted_transfer_is_told_to_the_staff_in_their_language_and_the_owner(
    world, django_capture_on_commit_callbacks
):
    world.bank_officer.preferred_language = "en"
    world.bank_officer.save(update_fields=["preferred_language"])
    item = make_item(world)
    token = propose(world, item, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.research_owner_decide(token=token, approve=True, name="박연구")
    note = Notification.objects.get(
        user=world.bank_officer, kind="lending.research_transfer_accepted"
    )
    assert note.subject == "Transfer to the K-STEM Bank accepted"
    assert "agreed to transfer" in note.body and "Decided by 박연구." in note.body
    assert item.nfec_no in note.body and "ZEUS-" in note.body
    assert note.url == f"/lending/research/{item.pk}/"
    # the district bank's staff are not concerned
    assert not Notification.objects.filter(
        user=world.district_bank_officer, kind__startswith="lending.research_transfer"
    ).exists()
    owner_mail = [m for m in mail.outbox if item.contact_email in m.to]
    assert len(owner_mail) == 1
    body = owner_mail[0].body
    assert owner_mail[0].subject == "K-STEM 뱅크 이전 수락됨"  # Korean first
    assert "agreed to transfer" in body  # English after the Korean
    assert body.index("---") > 0 and item.nfec_no in body.split("---")[0]
    assert AuditLog.objects.filter(
        action="lending.research_transfer_accept", object_id=str(item.pk)
    ).exists()
    # the mail goes once: the task run again sends nothing
    assert tasks.research_owner_email.call("d", item.pk) is False
    assert len([m for m in mail.outbox if item.contact_email in m.to]) == 1


def test_a_declined_transfer_is_told_in_korean_to_korean_staff(
    world, django_capture_on_commit_callbacks
):
    item = make_item(world)
    token = propose(world, item, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.research_owner_decide(token=token, approve=False, name="박연구")
    item.refresh_from_db()
    assert item.transfer == ResearchItem.Transfer.DECLINED
    note = Notification.objects.get(
        user=world.bank_officer, kind="lending.research_transfer_declined"
    )
    assert note.subject == "K-STEM 뱅크 이전 거절됨"
    assert "박연구" in note.body and item.nfec_no in note.body
    assert len([m for m in mail.outbox if item.contact_email in m.to]) == 1
    assert item.transfer_decision_mailed_at is not None  # marked: sent once
    assert AuditLog.objects.filter(
        action="lending.research_transfer_decline", object_id=str(item.pk)
    ).exists()


def test_a_decision_taken_twice_notifies_once(
    world, django_capture_on_commit_callbacks
):
    item = make_item(world, contact_email="")
    token = propose(world, item, django_capture_on_commit_callbacks)
    services.research_owner_decide(token=token, approve=False, name="박연구")
    with pytest.raises(DomainError):  # already decided
        services.research_owner_decide(token=token, approve=True, name="박연구")
    assert (
        Notification.objects.filter(
            kind__startswith="lending.research_transfer"
        ).count()
        == 1
    )
    assert mail.outbox == []  # no contact address: no mail
