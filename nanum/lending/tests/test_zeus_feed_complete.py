"""A feed glitch never empties the catalogue: items missing from the ZEUS feed are
withdrawn only when the whole feed was read, and never too many at once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from nanum.lending import selectors, services
from nanum.lending.models import ResearchItem, ZeusSync
from nanum.lending.services import zeus_sync as module

from .fake_zeus import KEY, FakeZeus, feed, serve

pytestmark = pytest.mark.django_db


def client(url: str) -> services.ZeusClient:
    return services.ZeusClient(
        base_url=url,
        api_key=KEY,
        page_size=10,
        timeout=2.0,
        retries=1,
        sleep=lambda s: None,
    )


def sync(world, zeus: FakeZeus, **kw) -> ZeusSync:
    return services.zeus_sync_run(
        bank_id=world.central_bank.pk, client=client(zeus.url), **kw
    )


def withdrawn() -> set[str]:
    return set(
        ResearchItem.objects.filter(withdrawn_at__isnull=False).values_list(
            "nfec_no", flat=True
        )
    )


@pytest.mark.parametrize("mode", ["empty", "short", "shifted"])
def test_a_wrong_page_mid_way_withdraws_nothing_but_keeps_the_changes(world, mode):
    with serve(FakeZeus(feed(25))) as zeus:
        first = sync(world, zeus)
        assert (first.added, first.feed_complete) == (25, True)
        zeus.records[0]["korNm"] = "새 이름 현미경"  # page 1: a real change
        zeus.fail[2] = mode
        again = sync(world, zeus)
    assert again.feed_complete is False
    assert again.status == ZeusSync.Status.PARTIAL
    assert again.problems[0]["code"] == "feed_incomplete"
    assert (again.changed, again.withdrawn) == (1, 0)
    assert withdrawn() == set()
    assert selectors.research_item_list(actor=world.teacher).count() == 25
    changed = ResearchItem.objects.get(nfec_no=feed(1)[0]["equipNo"])
    assert changed.name_ko == "새 이름 현미경"


def test_a_feed_that_ends_before_its_total_withdraws_nothing(world):
    with serve(FakeZeus(feed(25))) as zeus:
        sync(world, zeus)
        del zeus.records[20:]  # 20 items served ...
        zeus.totals = {p: 25 for p in range(1, 5)}  # ... of 25 reported
        again = sync(world, zeus)
    assert again.feed_complete is False and again.withdrawn == 0
    assert "20 of the 25" in again.problems[0]["detail"]
    assert withdrawn() == set()


def test_pages_that_disagree_on_the_total_withdraw_nothing(world):
    with serve(FakeZeus(feed(25))) as zeus:
        sync(world, zeus)
        zeus.totals = {2: 12}  # page 2 says the feed has 12 items: the read stops
        again = sync(world, zeus)
    assert again.feed_complete is False and again.withdrawn == 0
    assert "different totals" in again.problems[0]["detail"]
    assert withdrawn() == set()


def test_a_failed_page_mid_way_withdraws_nothing(world):
    with serve(FakeZeus(feed(25))) as zeus:
        sync(world, zeus)
        zeus.fail[3] = "500"
        again = sync(world, zeus)
    assert again.status == ZeusSync.Status.FAILED and again.withdrawn == 0
    assert withdrawn() == set()


def test_a_complete_but_empty_feed_is_held_not_applied(world):
    with serve(FakeZeus(feed(25))) as zeus:
        sync(world, zeus)
        zeus.records = []
        again = sync(world, zeus)
    assert again.feed_complete is True
    assert (again.withdrawn, again.held, again.status) == (0, 25, "partial")
    assert again.problems[0]["code"] == "withdrawals_held"
    assert withdrawn() == set()


def test_more_than_the_share_is_held_until_an_operator_forces_it(world, settings):
    settings.ZEUS_WITHDRAW_MIN_HOLD = 0  # the share alone
    records = feed(20)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        gone = [r["equipNo"] for r in records[:3]]
        del records[:3]
        records[0]["idleDisuseCd"] = "3"  # disused: 4 of 20 (20%) is allowed ...
        records[1]["idleDisuseCd"] = "3"  # ... 5 of 20 is not
        held = sync(world, zeus)
        assert (held.withdrawn, held.held, held.changed) == (0, 5, 0)
        assert "5 of 20" in held.problems[0]["detail"]
        assert withdrawn() == set()
        # a re-run weighs them again: still held
        assert sync(world, zeus).held == 5
        forced = sync(world, zeus, force_withdraw=True)
    assert (forced.withdrawn, forced.held, forced.status) == (5, 0, "done")
    assert withdrawn() == {*gone, records[0]["equipNo"], records[1]["equipNo"]}


def test_the_share_is_a_setting(world, settings):
    settings.ZEUS_WITHDRAW_MAX_SHARE = 0.5
    records = feed(20)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        del records[:8]
        again = sync(world, zeus)
    assert (again.withdrawn, again.held) == (8, 0)


def test_the_command_can_force_the_withdrawals(world, settings):
    records = feed(10)
    with serve(FakeZeus(records)) as zeus:
        settings.ZEUS_BASE_URL, settings.ZEUS_API_KEY = zeus.url, KEY
        out = io.StringIO()
        call_command("zeus", "sync", stdout=out)
        del records[:6]  # more than 5 and more than 20%
        call_command("zeus", "sync", stdout=out)
        assert "withdrawals_held" in out.getvalue() and withdrawn() == set()
        call_command("zeus", "sync", "--force-withdraw", stdout=out)
    assert len(withdrawn()) == 6


@pytest.mark.parametrize(("gone", "held"), [(5, 0), (6, 6)])
def test_a_small_catalogue_is_not_stuck_on_a_few_withdrawals(world, gone, held):
    """Up to ZEUS_WITHDRAW_MIN_HOLD (5) withdrawals are never held: 5 of 8 go, 6 wait."""
    records = feed(8)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        del records[:gone]
        again = sync(world, zeus)
    assert (again.withdrawn, again.held) == (gone - held, held)
    assert len(withdrawn()) == gone - held
    assert again.status == ("partial" if held else "done")


def test_a_single_withdrawal_from_a_tiny_catalogue_is_not_held(world):
    records = feed(3)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        del records[:1]  # 1 of 3 is 33%: over the share, under the floor
        again = sync(world, zeus)
    assert (again.withdrawn, again.held, again.status) == (1, 0, "done")


@pytest.mark.parametrize(("floor", "held"), [(2, 3), (3, 0)])
def test_the_floor_is_a_setting(world, settings, floor, held):
    settings.ZEUS_WITHDRAW_MIN_HOLD = floor
    records = feed(10)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        del records[:3]  # 3 of 10: over 20%
        again = sync(world, zeus)
    assert (again.withdrawn, again.held) == (3 - held, held)


def test_a_total_too_low_with_a_full_last_page_is_incomplete(world):
    """Pages of 10; the feed says 20 but a third page still serves items."""
    records = feed(25)
    with serve(FakeZeus(records)) as zeus:
        zeus.totals = {1: 20, 2: 20, 3: 20}
        first = sync(world, zeus)
        assert zeus.asked[3] == 1  # the page after a full last page was asked for
        assert first.feed_complete is False and first.status == ZeusSync.Status.PARTIAL
        assert first.problems[0]["code"] == "feed_incomplete"
        assert "served 5 more" in first.problems[0]["detail"]
        assert first.added == 25  # the items found there are real: taken
        del records[:2]  # now two are gone, but the feed still looks short
        again = sync(world, zeus)
    assert (again.feed_complete, again.withdrawn) == (False, 0)
    assert withdrawn() == set()


def test_a_full_last_page_followed_by_an_empty_one_is_complete(world):
    records = feed(20)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        del records[:2]
        records.extend(feed(22)[20:])  # still 20 items: two full pages
        again = sync(world, zeus)
        assert zeus.asked[3] == 2  # asked each run, empty each time
    assert (again.feed_complete, again.status) == (True, "done")
    assert (again.added, again.withdrawn) == (2, 2)


def test_a_page_after_the_last_that_fails_withdraws_nothing(world):
    records = feed(20)
    with serve(FakeZeus(records)) as zeus:
        sync(world, zeus)
        del records[:1]
        records.append(feed(21)[20])
        zeus.fail[3] = "500"
        again = sync(world, zeus)
    assert (again.feed_complete, again.withdrawn, again.added) == (False, 0, 1)
    assert "page after the last (3) failed" in again.problems[0]["detail"]
    assert withdrawn() == set()


def test_the_sync_page_shows_an_incomplete_feed_and_the_held_withdrawals(
    world, client_for
):
    with serve(FakeZeus(feed(25))) as zeus:
        sync(world, zeus)
        zeus.fail[2] = "empty"
        sync(world, zeus)  # incomplete: nothing withdrawn
        zeus.fail.clear()
        del zeus.records[5:]
        sync(world, zeus)  # complete, but 20 of 25 would go: held
    page = client_for(world.bank_officer).get("/lending/research/syncs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("피드를 끝까지 읽지 못함: 철회하지 않음") == 1
    assert "보류된 철회" in html
    # the last run: 0 withdrawn, 20 held back, 0 skipped
    assert "<td>0</td><td>20</td><td>0</td>" in html


@pytest.mark.parametrize("where", ["reading", "writing"])
def test_an_unexpected_fault_marks_the_run_failed_and_changes_nothing(
    world, monkeypatch, where
):
    with serve(FakeZeus(feed(12))) as zeus:
        sync(world, zeus)
        zeus.records[0]["korNm"] = "바뀐 이름"

        def boom(*args, **kwargs):
            raise RuntimeError("a bug")

        if where == "reading":
            monkeypatch.setattr(module._Plan, "take", boom)
        else:
            monkeypatch.setattr(module, "research_requests_withdrawn", boom)
        with pytest.raises(RuntimeError):
            sync(world, zeus)
    last = ZeusSync.objects.order_by("-pk").first()
    assert last is not None and last.status == ZeusSync.Status.FAILED
    assert last.problems[0]["code"] == "internal_error"
    assert "RuntimeError" in last.problems[0]["detail"]
    assert last.finished_at is not None
    assert not ResearchItem.objects.filter(name_ko="바뀐 이름").exists()
