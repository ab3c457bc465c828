"""Requests on research items that a ZEUS sync withdraws: those not started are
cancelled with the reason (teacher told in their language, audited); running ones are
left alone and flagged to the central bank."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation
from django.utils.translation import gettext

from nanum.core import clock
from nanum.core.models import AuditLog, Notification
from nanum.lending import services
from nanum.lending.models import ResearchItem, ResearchRequest, ZeusSync
from nanum.lending.services.research_withdrawn import WITHDRAWN_REASON

from .fake_zeus import KEY, FakeZeus, feed, serve
from .research_helpers import monday, request_item

pytestmark = pytest.mark.django_db
S = ResearchRequest.Status


def sync(world, zeus: FakeZeus) -> ZeusSync:
    client = services.ZeusClient(
        base_url=zeus.url, api_key=KEY, page_size=10, sleep=lambda s: None
    )
    return services.zeus_sync_run(bank_id=world.central_bank.pk, client=client)


def item(i: int) -> ResearchItem:
    return ResearchItem.objects.get(nfec_no=feed(i + 1)[i]["equipNo"])


def requests(world) -> dict[str, ResearchRequest]:
    """One request per stage, each on its own item (items 1, 2, 3, 5, 6 of the feed
    can be lent: shared use, lendable)."""
    made = {
        "review": request_item(world, item(1)),
        "with_owner": request_item(world, item(2)),
        "approved": request_item(world, item(3)),
        "handed_out": request_item(world, item(5)),
    }
    visit = request_item(world, item(6), mode="visit", pupils=20, end_date=monday())
    today = clock.today()
    ResearchRequest.objects.filter(pk=visit.pk).update(
        status=S.APPROVED, start_date=today, end_date=today
    )
    made["visit_today"] = visit
    for status in ("with_owner", "approved", "handed_out"):
        ResearchRequest.objects.filter(pk=made[status].pk).update(status=status)
    return {k: ResearchRequest.objects.get(pk=v.pk) for k, v in made.items()}


def test_withdrawn_items_cancel_waiting_requests_and_flag_running_ones(world):
    world.teacher.preferred_language = "en"
    world.teacher.save()
    records = feed(40)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        made = requests(world)
        Notification.objects.all().delete()
        for i in (1, 2, 3):
            records[i]["idleDisuseCd"] = "3"  # disused
        del records[5:7]  # items 5 and 6 leave ZEUS: 5 of 40 withdrawn
        done = sync(world, zeus)
    assert (done.status, done.withdrawn) == ("done", 5)
    after = {k: ResearchRequest.objects.get(pk=r.pk) for k, r in made.items()}
    cancelled = [made[k].pk for k in ("review", "with_owner", "approved")]
    assert sorted(done.details["requests_cancelled"]) == sorted(cancelled)
    assert sorted(done.details["loans_flagged"]) == sorted(
        [made["handed_out"].pk, made["visit_today"].pk]
    )
    for key in ("review", "with_owner", "approved"):
        assert after[key].status == S.CANCELLED
        with translation.override("en"):
            assert after[key].reason == str(WITHDRAWN_REASON)  # the teacher's language
    assert after["handed_out"].status == S.HANDED_OUT
    assert after["visit_today"].status == S.APPROVED
    # the teacher is told, in English, once per cancelled request
    told = Notification.objects.filter(user=world.teacher)
    assert told.count() == 3
    assert {n.subject for n in told} == {"Research equipment request cancelled"}
    assert all("withdrawn from ZEUS" in n.body for n in told)
    # the pickup bank hears of the approved loan it was preparing, and only that
    pickup = Notification.objects.filter(user=world.district_bank_officer)
    assert pickup.count() == 1 and str(made["approved"].item.name) in pickup[0].body
    # the central bank is told of the two running ones, in its own language
    flags = Notification.objects.filter(
        user=world.bank_officer, kind="lending.research_withdrawn_in_use"
    )
    assert flags.count() == 2
    with translation.override(world.bank_officer.preferred_language or "ko"):
        subject = gettext("Research equipment withdrawn from ZEUS while in use")
    assert {n.subject for n in flags} == {subject}
    audit = AuditLog.objects.filter(action="lending.research_cancel", actor=None)
    assert sorted(int(a.object_id) for a in audit) == sorted(cancelled)
    assert all((a.after or {}).get("reason") == "withdrawn_from_zeus" for a in audit)
    assert (
        AuditLog.objects.filter(
            action="lending.research_withdrawn_in_use", actor=None
        ).count()
        == 2
    )


def test_a_held_or_incomplete_run_cancels_nothing(world):
    records = feed(20)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        r = request_item(world, item(1))
        zeus.fail[2] = "empty"  # incomplete: items 10-19 unseen
        del records[1:7]  # and 6 of 20 gone: over the cap
        incomplete = sync(world, zeus)
        zeus.fail.clear()
        held = sync(world, zeus)
    assert (incomplete.feed_complete, incomplete.withdrawn) == (False, 0)
    assert (held.held, held.withdrawn) == (6, 0)
    assert ResearchRequest.objects.get(pk=r.pk).status == S.REVIEW
    assert not AuditLog.objects.filter(action="lending.research_cancel").exists()


def test_an_approved_visit_already_past_is_left_alone(world):
    records = feed(20)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        visit = request_item(world, item(1), mode="visit", pupils=10, end_date=monday())
        past = clock.today() - timedelta(days=3)
        ResearchRequest.objects.filter(pk=visit.pk).update(
            status=S.APPROVED, start_date=past, end_date=past
        )
        records[1]["idleDisuseCd"] = "3"
        done = sync(world, zeus)
    assert done.withdrawn == 1
    assert (done.details["requests_cancelled"], done.details["loans_flagged"]) == (
        [],
        [],
    )
    assert ResearchRequest.objects.get(pk=visit.pk).status == S.APPROVED
