"""The ZEUS tasks are safe to run twice (see tests/test_tasks_twice.py)."""

from __future__ import annotations

import pytest
from django.core import mail

from nanum.lending import selectors, services, tasks
from nanum.lending.models import ResearchItem, ResearchRequest, ZeusSync

from .fake_zeus import KEY, FakeZeus, feed, serve
from .research_helpers import make_item, request_item

pytestmark = pytest.mark.django_db


def test_the_daily_sync_run_twice_writes_the_items_once(world, settings):
    with serve(FakeZeus(feed(15))) as zeus:
        settings.ZEUS_BASE_URL, settings.ZEUS_API_KEY = zeus.url, KEY
        first = tasks.zeus_sync.call()
        stamps = dict(ResearchItem.objects.values_list("nfec_no", "updated_at"))
        second = tasks.zeus_sync.call()
    assert len(first) == len(second) == 1  # one central bank
    assert dict(ResearchItem.objects.values_list("nfec_no", "updated_at")) == stamps
    runs = ZeusSync.objects.order_by("pk")
    assert [(s.added, s.changed, s.withdrawn) for s in runs] == [(15, 0, 0), (0, 0, 0)]


def test_the_owner_email_run_twice_sends_once(world):
    r = request_item(world, make_item(world))
    ResearchRequest.objects.filter(pk=r.pk).update(status="with_owner")
    assert tasks.research_owner_email.call("r", r.pk) is True
    assert tasks.research_owner_email.call("r", r.pk) is False
    to_owner = [m for m in mail.outbox if m.to == ["sem@snu.example.ac.kr"]]
    assert len(to_owner) == 1
    assert "/lending/research/owner/" in to_owner[0].body
    assert "Approve or decline here" in to_owner[0].body  # Korean, then English


def test_the_transfer_email_run_twice_sends_once(world):
    item = make_item(world)
    services.research_transfer_propose(actor=world.bank_officer, item_id=item.pk)
    mail.outbox.clear()
    assert tasks.research_owner_email.call("t", item.pk) is True
    assert tasks.research_owner_email.call("t", item.pk) is False
    assert len(mail.outbox) == 1
    assert selectors.owner_token("t", item.pk)[:10] in mail.outbox[0].body
