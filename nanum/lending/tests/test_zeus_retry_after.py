"""The ZEUS client waits as long as a throttled or busy ZEUS asks (Retry-After),
within reason, and treats an answer that is not HTTP as a failure to retry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from nanum.lending import services
from nanum.lending.models import ResearchItem
from nanum.lending.services.zeus_client import retry_after_seconds

from .fake_zeus import KEY, FakeZeus, feed, serve

pytestmark = pytest.mark.django_db


def run(world, zeus: FakeZeus, waits: list[float], **kw):
    kw.setdefault("retries", 2)
    client = services.ZeusClient(
        base_url=zeus.url,
        api_key=KEY,
        page_size=10,
        timeout=2.0,
        sleep=waits.append,
        **kw,
    )
    return services.zeus_sync_run(bank_id=world.central_bank.pk, client=client)


@pytest.mark.parametrize("code", ["429", "503"])
def test_retry_after_in_seconds_is_honoured(world, code):
    waits: list[float] = []
    with serve(FakeZeus(feed(5))) as zeus:
        zeus.fail[1], zeus.fail_times[1] = code, 2
        zeus.retry_after = "7"
        sync = run(world, zeus, waits)
        assert zeus.asked[1] == 3
    assert waits == [7.0, 7.0]  # not the back-off's 1 and 2 seconds
    assert (sync.status, sync.added) == ("done", 5)


def test_retry_after_as_an_http_date_is_honoured(world):
    waits: list[float] = []
    with serve(FakeZeus(feed(5))) as zeus:
        zeus.fail[1], zeus.fail_times[1] = "503", 1
        when = datetime.now(UTC) + timedelta(seconds=40)
        zeus.retry_after = format_datetime(when, usegmt=True)
        sync = run(world, zeus, waits)
    assert len(waits) == 1 and 30 <= waits[0] <= 40
    assert sync.status == "done"


def test_a_long_retry_after_is_capped_and_a_bad_one_falls_back_to_back_off(world):
    waits: list[float] = []
    with serve(FakeZeus(feed(5))) as zeus:
        zeus.fail[1], zeus.fail_times[1] = "429", 1
        zeus.retry_after = "86400"
        run(world, zeus, waits, max_retry_after=120.0)
        zeus.fail[1], zeus.fail_times[1] = "429", 1
        zeus.retry_after = "soon, maybe"
        run(world, zeus, waits)
    assert waits == [120.0, 1.0]


def test_a_throttle_that_lasts_fails_the_sync_and_changes_nothing(world):
    waits: list[float] = []
    with serve(FakeZeus(feed(5))) as zeus:
        zeus.fail[1] = "429"
        zeus.retry_after = "3"
        sync = run(world, zeus, waits)
    assert waits == [3.0, 3.0]
    assert sync.status == "failed" and sync.problems[0]["code"] == "http_error"
    assert not ResearchItem.objects.exists()


def test_an_answer_that_is_not_http_is_retried_then_reported(world):
    waits: list[float] = []
    with serve(FakeZeus(feed(5))) as zeus:
        zeus.fail[1] = "garbage"
        sync = run(world, zeus, waits)
    assert waits == [1.0, 2.0]
    assert sync.status == "failed" and sync.problems[0]["code"] == "unreachable"
    assert not ResearchItem.objects.exists()


def test_retry_after_values():
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert retry_after_seconds("0", cap=60) == 0.0
    assert retry_after_seconds(" 12 ", cap=60) == 12.0
    assert retry_after_seconds("999", cap=60) == 60.0
    assert retry_after_seconds("Mon, 02 Mar 2026 09:00:30 GMT", cap=60, now=now) == 30
    assert retry_after_seconds("Mon, 02 Mar 2026 08:00:00 GMT", cap=60, now=now) == 0
    assert retry_after_seconds("-5", cap=60) is None
    assert retry_after_seconds("", cap=60) is None
    assert retry_after_seconds(None, cap=60) is None
