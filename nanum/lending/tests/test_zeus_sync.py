"""ZEUS sync against a local fake ZEUS server: paging, XML/JSON, errors, re-runs."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from nanum.core.errors import InvalidInput, NotFound
from nanum.core.models import AuditLog
from nanum.lending import selectors, services
from nanum.lending.models import ResearchItem, ZeusSync

from .fake_zeus import KEY, FakeZeus, feed, serve

pytestmark = pytest.mark.django_db


def client(url: str, **kw) -> services.ZeusClient:
    kw.setdefault("page_size", 10)
    kw.setdefault("timeout", 2.0)
    kw.setdefault("retries", 2)
    kw.setdefault("sleep", lambda s: None)
    return services.ZeusClient(base_url=url, api_key=KEY, **kw)


def snapshot(world) -> dict[str, tuple]:
    return {
        i.nfec_no: (i.digest, i.updated_at, i.withdrawn_at)
        for i in ResearchItem.objects.filter(tenant=world.seoul)
    }


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_sync_reads_every_page_and_a_rerun_writes_nothing(world, fmt):
    with serve(FakeZeus(feed(25))) as zeus:
        first = services.zeus_sync_run(
            bank_id=world.central_bank.pk, client=client(zeus.url, fmt=fmt)
        )
        assert (first.status, first.pages, first.added, first.seen) == (
            "done",
            3,
            25,
            25,
        )
        before = snapshot(world)
        again = services.zeus_sync_run(
            bank_id=world.central_bank.pk, client=client(zeus.url, fmt=fmt)
        )
    assert (again.added, again.changed, again.withdrawn) == (0, 0, 0)
    assert snapshot(world) == before  # not one item row was written
    item = ResearchItem.objects.get(nfec_no=feed(1)[0]["equipNo"])
    assert (
        item.owner_name == "서울대학교"
        and item.name_en == "Scanning electron microscope"
    )
    assert item.use_scope == "sole" and item.idle_status == "under_used"
    assert AuditLog.objects.filter(action="lending.zeus_sync").count() == 2


def test_changes_disused_and_vanished_items_are_recorded_and_hidden(world):
    records = feed(12)
    with serve(FakeZeus(records)) as zeus:
        services.zeus_sync_run(bank_id=world.central_bank.pk, client=client(zeus.url))
        records[1]["korNm"] = "새 이름 현미경"
        records[2]["idleDisuseCd"] = "3"  # disused
        gone = records.pop(3)
        sync = services.zeus_sync_run(
            bank_id=world.central_bank.pk, client=client(zeus.url)
        )
    assert (sync.added, sync.changed, sync.withdrawn) == (0, 2, 2)
    assert records[1]["equipNo"] in sync.details["changed"]
    assert gone["equipNo"] in sync.details["withdrawn"]
    visible = selectors.research_item_list(actor=world.teacher)
    assert not visible.filter(nfec_no__in=[gone["equipNo"], records[2]["equipNo"]])
    # history kept: the rows are still there, only hidden
    assert ResearchItem.objects.get(nfec_no=gone["equipNo"]).withdrawn_at is not None
    assert visible.get(nfec_no=records[1]["equipNo"]).name_ko == "새 이름 현미경"


@pytest.mark.parametrize(
    ("mode", "code"),
    [
        ("refused", "key_refused"),
        ("refused_code", "key_refused"),
        ("malformed", "malformed"),
        ("500", "http_error"),
    ],
)
def test_a_bad_page_is_reported_and_changes_nothing(world, mode, code):
    with serve(FakeZeus(feed(12))) as zeus:
        services.zeus_sync_run(bank_id=world.central_bank.pk, client=client(zeus.url))
        before = snapshot(world)
        zeus.records[0]["korNm"] = "바뀐 이름"  # page 1 would change ...
        zeus.fail[2] = mode  # ... but page 2 fails
        sync = services.zeus_sync_run(
            bank_id=world.central_bank.pk, client=client(zeus.url)
        )
    assert sync.status == ZeusSync.Status.FAILED
    assert sync.problems[0]["code"] == code and sync.problems[0]["at"] == 2
    assert snapshot(world) == before


def test_a_refused_key_is_not_retried_and_the_key_is_never_shown(world):
    with serve(FakeZeus(feed(5))) as zeus:
        zeus.key = "another-key"
        sync = services.zeus_sync_run(
            bank_id=world.central_bank.pk, client=client(zeus.url)
        )
        assert zeus.asked[1] == 0  # refused before any page was served
    assert sync.problems[0]["code"] == "key_refused"
    assert KEY not in str(sync.problems)
    assert not ResearchItem.objects.exists()


def test_a_timeout_is_retried_with_back_off_then_reported(world):
    waits: list[float] = []
    with serve(FakeZeus(feed(5))) as zeus:
        zeus.fail[1] = "slow"
        zeus.slow_seconds = 0.6
        sync = services.zeus_sync_run(
            bank_id=world.central_bank.pk,
            client=client(zeus.url, timeout=0.2, retries=2, sleep=waits.append),
        )
    assert waits == [1.0, 2.0]
    assert sync.status == "failed" and sync.problems[0]["code"] == "timeout"
    assert not ResearchItem.objects.exists()


def test_a_server_error_that_passes_is_retried_and_the_sync_succeeds(world):
    with serve(FakeZeus(feed(5))) as zeus:
        zeus.fail[1], zeus.fail_times[1] = "500", 1
        sync = services.zeus_sync_run(
            bank_id=world.central_bank.pk, client=client(zeus.url)
        )
        assert zeus.asked[1] == 2
    assert (sync.status, sync.added) == ("done", 5)


def test_items_without_an_nfec_number_are_skipped_and_reported(world):
    records = feed(6)
    records[2]["equipNo"] = ""
    records[4]["equipNo"] = "12345"
    records.append(dict(records[0]))  # the same NFEC number twice
    with serve(FakeZeus(records)) as zeus:
        sync = services.zeus_sync_run(
            bank_id=world.central_bank.pk, client=client(zeus.url)
        )
    assert (sync.status, sync.added, sync.skipped) == ("partial", 4, 3)
    assert [p["code"] for p in sync.problems] == ["no_nfec", "bad_nfec", "duplicate"]
    assert ResearchItem.objects.count() == 4


def test_without_a_key_the_sync_fails_cleanly(world, settings):
    settings.ZEUS_API_KEY = ""
    sync = services.zeus_sync_run(bank_id=world.central_bank.pk)
    assert sync.status == "failed" and sync.problems[0]["code"] == "key_missing"


def test_the_nanum_zeus_sync_command_uses_settings(world, settings):
    out = io.StringIO()
    with serve(FakeZeus(feed(7))) as zeus:
        settings.ZEUS_BASE_URL, settings.ZEUS_API_KEY = zeus.url, KEY
        settings.ZEUS_PAGE_SIZE = 3
        call_command("zeus", "sync", stdout=out)
        assert "added 7" in out.getvalue()
        zeus.key = "revoked"
        with pytest.raises(CommandError):
            call_command("zeus", "sync", "--bank", "bank-central", stdout=out)
    assert "key_refused" in out.getvalue()


CSV = (
    "NFEC 등록번호,장비명,영문장비명,보유기관,담당자,이메일,사용범위,대여가능\n"
    "NFEC-2015-03-111111,원자힘현미경,Atomic force microscope,서울대학교,"
    "박교수,afm@snu.example.ac.kr,공동활용허용,Y\n"
    ",이름만 있는 장비,,연세대학교,,,,\n"
    'NFEC-2016-04-222222,=HYPERLINK("x"),,고려대학교,,,단독활용,N\n'
)


def test_an_idle_list_spreadsheet_is_imported_by_nfec_number(world):
    sync = services.zeus_list_import(
        actor=world.bank_officer,
        bank_id=world.central_bank.pk,
        data=CSV.encode(),
        filename="idle.csv",
    )
    assert (sync.source, sync.added, sync.skipped) == ("spreadsheet", 2, 1)
    afm = ResearchItem.objects.get(nfec_no="NFEC-2015-03-111111")
    assert (afm.idle_status, afm.use_scope, afm.lending) == ("idle", "shared", "loan")
    assert afm.contact_email == "afm@snu.example.ac.kr"
    again = services.zeus_list_import(
        actor=world.bank_officer,
        bank_id=world.central_bank.pk,
        data=CSV.encode(),
        filename="idle.csv",
    )
    assert (again.added, again.changed) == (0, 0)


def test_a_bad_list_changes_nothing_and_other_banks_cannot_import(world):
    with pytest.raises(InvalidInput):
        services.zeus_list_import(
            actor=world.bank_officer,
            bank_id=world.central_bank.pk,
            data=b"",
            filename="idle.csv",
        )
    with pytest.raises(InvalidInput):
        services.zeus_list_import(
            actor=world.bank_officer,
            bank_id=world.central_bank.pk,
            data=b"x",
            filename="idle.pdf",
        )
    with pytest.raises(NotFound):
        services.zeus_list_import(
            actor=world.district_bank_officer,
            bank_id=world.central_bank.pk,
            data=CSV.encode(),
            filename="idle.csv",
        )
    assert not ResearchItem.objects.exists() and not ZeusSync.objects.exists()
