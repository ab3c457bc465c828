"""Synchronising research equipment from ZEUS, or from an idle-equipment spreadsheet.

Upsert by NFEC number. The whole feed is read first; only then, in one transaction,
new items are inserted, items whose digest changed are updated and items that became
disused or left the feed are withdrawn (hidden, rows and requests kept). So a refused
key, a timeout or a malformed page is written to the sync record and changes nothing
else, and a re-run of the same feed writes no item at all. A record without an NFEC
number (or otherwise unusable) is skipped and reported; the others are taken. The
conditions of use the central bank set itself (``local_fields``) are never written.

Withdrawing is guarded twice, because a feed glitch must never empty the catalogue:

* items missing from the feed are withdrawn only when the feed was read whole: every
  page answered, one ``total`` on every page, exactly that many records served and
  no item served twice (pages that shifted while they were read). Otherwise the
  record says the feed was incomplete (``feed_complete`` false, a ``feed_incomplete``
  problem); added and changed items are still written, nothing missing is withdrawn.
  When the pages add up exactly to ``total`` and the last one was full, the page
  after it is asked for too (a ``total`` that is too low looks complete otherwise):
  if it serves items, or cannot be read, the feed is incomplete;
* a run that would withdraw more than ``ZEUS_WITHDRAW_MAX_SHARE`` (default 20%) of
  the bank's active items withdraws nothing (``held``, a ``withdrawals_held``
  problem) unless an operator forces it (``nanum zeus sync --force-withdraw``).
  Withdrawals of at most ``ZEUS_WITHDRAW_MIN_HOLD`` items (default 5) are never
  held, so a small catalogue is not stuck on a single withdrawal.

Requests on an item the run withdraws are settled by
:func:`~nanum.lending.services.research_withdrawn.research_requests_withdrawn`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import InvalidInput, NotFound
from nanum.core.models import Organisation, Tenant, User
from nanum.core.services import audit_record
from nanum.core.spreadsheets import ReadLimits, read_table

from ..models import ResearchItem, ZeusSync
from ..selectors import central_bank_ids
from . import zeus_fields as F
from .research_conditions import local_fields_of
from .research_withdrawn import research_requests_withdrawn
from .zeus_client import ZeusClient, ZeusError

logger = logging.getLogger(__name__)

DETAIL_CAP = 500  # NFEC numbers kept per outcome in the sync record
PROBLEM_CAP = 500
BATCH = 1000
LIST_LIMITS = ReadLimits(max_rows=20_000, max_columns=64, max_seconds=20.0)
# Written on insert or change: every synchronised field (the NFEC number is the key).
SYNCED = [f for f in F.Record.__slots__ if f not in ("nfec_no", "withdrawn")]
# The most a run may withdraw, as a share of the bank's active items, unless forced.
DEFAULT_WITHDRAW_MAX_SHARE = 0.2
# Withdrawals of at most this many items are never held, whatever the share.
DEFAULT_WITHDRAW_MIN_HOLD = 5


def withdraw_max_share() -> float:
    """``settings.ZEUS_WITHDRAW_MAX_SHARE`` (0..1), else 20%."""
    share = getattr(settings, "ZEUS_WITHDRAW_MAX_SHARE", DEFAULT_WITHDRAW_MAX_SHARE)
    return min(max(float(share), 0.0), 1.0)


def withdraw_min_hold() -> int:
    """``settings.ZEUS_WITHDRAW_MIN_HOLD`` (0 or more), else 5."""
    floor = getattr(settings, "ZEUS_WITHDRAW_MIN_HOLD", DEFAULT_WITHDRAW_MIN_HOLD)
    return max(int(floor), 0)


def default_client() -> ZeusClient:
    if not settings.ZEUS_API_KEY:
        raise ZeusError("key_missing", "NANUM_ZEUS_API_KEY is not set")
    return ZeusClient(
        base_url=settings.ZEUS_BASE_URL,
        api_key=settings.ZEUS_API_KEY,
        page_size=settings.ZEUS_PAGE_SIZE,
        timeout=settings.ZEUS_TIMEOUT,
        retries=settings.ZEUS_RETRIES,
    )


def _bank(bank_id: int) -> Organisation:
    bank = Organisation.objects.filter(
        pk=bank_id,
        is_active=True,
        kind=Organisation.Kind.BANK,
        bank_type=Organisation.BankType.CENTRAL,
    ).first()
    if bank is None:
        raise NotFound()
    return bank


class _Plan:
    """What one run will write, gathered while the feed is read."""

    def __init__(self, bank: Organisation) -> None:
        self.existing: dict[str, tuple[int, str, bool, str]] = {
            nfec: (pk, digest, withdrawn is not None, source)
            for nfec, pk, digest, withdrawn, source in ResearchItem.objects.filter(
                tenant_id=bank.tenant_id
            ).values_list("nfec_no", "pk", "digest", "withdrawn_at", "source")
        }
        self.new: list[F.Record] = []
        # (pk, record, withdrawn before this run)
        self.changed: list[tuple[int, F.Record, bool]] = []
        # NFEC number -> (hash of its record, the page it came on)
        self.seen: dict[str, tuple[int, int]] = {}
        # the very same record again on a later page: the pages shifted while they
        # were read, so some other item may have been missed
        self.served_twice = 0
        self.problems: list[dict[str, Any]] = []
        self.skipped = 0
        self.read = 0

    def take(self, raw: dict[str, str], where: str, page: int = 0) -> None:
        self.read += 1
        try:
            rec = F.normalise(raw)
        except F.Unusable as exc:
            self.skip(exc.code, exc.detail, where)
            return
        first = self.seen.get(rec.nfec_no)
        if first is not None:
            if first[0] == hash(rec) and first[1] != page:
                self.served_twice += 1
            self.skip("duplicate", rec.nfec_no, where)
            return
        self.seen[rec.nfec_no] = (hash(rec), page)
        known = self.existing.get(rec.nfec_no)
        if known is None:
            self.new.append(rec)
        elif known[1] != rec.digest() or (known[2] and not rec.withdrawn):
            self.changed.append((known[0], rec, known[2]))

    def skip(self, code: str, detail: str, where: str) -> None:
        self.skipped += 1
        if len(self.problems) < PROBLEM_CAP:
            self.problems.append({"code": code, "detail": detail[:80], "at": where})

    def missing(self, source: str) -> list[tuple[int, str]]:
        """Active items of ``source`` the feed did not carry: (pk, NFEC number)."""
        return [
            (pk, nfec)
            for nfec, (pk, _d, withdrawn, src) in self.existing.items()
            if not withdrawn and src == source and nfec not in self.seen
        ]

    def disused(self) -> list[tuple[int, str]]:
        """Active items the feed now says are disused or deregistered."""
        return [
            (pk, r.nfec_no) for pk, r, was in self.changed if r.withdrawn and not was
        ]

    def active(self) -> int:
        return sum(
            1 for _pk, _d, withdrawn, _s in self.existing.values() if not withdrawn
        )


@dataclass
class _Feed:
    """What the pages said about the feed as a whole."""

    totals: set[int] = field(default_factory=set)
    served: int = 0
    last_page: int = 0
    last_size: int = 0  # records on the last page read
    beyond: str = ""  # what the page after the last one said, when it was asked for

    def looks_complete(self) -> bool:
        return len(self.totals) == 1 and self.served == next(iter(self.totals))

    def probe(self, client: ZeusClient, plan: _Plan) -> None:
        """Ask for the page after a full last page that made up ``total`` exactly:
        items there mean ``total`` was too low. Its items are taken (they are real
        items); the feed counts as incomplete. A page that cannot be read counts as
        incomplete too: nothing is withdrawn on a guess."""
        if not self.last_size or self.last_size < client.page_size:
            return
        if not self.looks_complete():
            return
        number = self.last_page + 1
        try:
            page = client.page(number)
        except ZeusError as exc:
            self.beyond = f"the page after the last ({number}) failed: {exc.code}"
            return
        if page.records:
            self.beyond = (
                f"page {number}, after the {self.served} items reported, "
                f"served {len(page.records)} more"
            )
            for i, raw in enumerate(page.records):
                plan.take(raw, f"p{number}#{i + 1}", number)

    def gaps(self, plan: _Plan) -> list[str]:
        """Why the feed cannot be taken as complete (empty: it can)."""
        if len(self.totals) != 1:
            shown = ", ".join(str(t) for t in sorted(self.totals)[:5])
            return [f"the pages reported different totals ({shown})"]
        total = next(iter(self.totals))
        gaps = []
        if self.served != total:
            gaps.append(
                f"the feed served {self.served} of the {total} items it reported"
            )
        if self.beyond:
            gaps.append(self.beyond)
        if plan.served_twice:
            gaps.append(
                f"{plan.served_twice} items were served twice (the pages shifted)"
            )
        return gaps


def _values(rec: F.Record, now: Any) -> dict[str, Any]:
    values: dict[str, Any] = {f: getattr(rec, f) for f in SYNCED}
    values["registered_on"] = (
        date.fromisoformat(rec.registered_on) if rec.registered_on else None
    )
    values["digest"] = rec.digest()
    values["withdrawn_at"] = now if rec.withdrawn else None
    values["updated_at"] = now
    return values


def _write(
    bank: Organisation,
    source: str,
    plan: _Plan,
    gone: list[tuple[int, str]],
) -> None:
    """Insert, update and withdraw as planned."""
    now = clock.now()
    # in slices, so that a first run of 90,000 items never holds them all as rows
    for i in range(0, len(plan.new), BATCH):
        ResearchItem.objects.bulk_create(
            [
                ResearchItem(
                    tenant_id=bank.tenant_id,
                    bank=bank,
                    source=source,
                    nfec_no=rec.nfec_no,
                    created_at=now,
                    **_values(rec, now),
                )
                for rec in plan.new[i : i + BATCH]
            ]
        )
    # One UPDATE per changed item: a few hundred a night, each cheap (a bulk CASE
    # statement costs rows x rows comparisons); ZEUS is the authority: an item a list
    # brought in becomes a ZEUS item when the feed carries it, never the other way.
    local = local_fields_of([pk for pk, _rec, _was in plan.changed])
    for pk, rec, was_withdrawn in plan.changed:
        values = _values(rec, now)
        for name in local.get(pk, ()):
            values.pop(name, None)  # set by the central bank: not the feed's to write
        if was_withdrawn and rec.withdrawn:
            del values["withdrawn_at"]  # keep when it was first withdrawn
        if source == ResearchItem.Source.ZEUS:
            values["source"] = source
        ResearchItem.objects.filter(pk=pk).update(**values)
    pks = [pk for pk, _nfec in gone]
    for i in range(0, len(pks), BATCH):
        ResearchItem.objects.filter(
            tenant_id=bank.tenant_id, pk__in=pks[i : i + BATCH]
        ).update(withdrawn_at=now, updated_at=now)


def _hold(
    plan: _Plan,
    would: list[tuple[int, str]],
    max_share: float | None,
    min_hold: int = DEFAULT_WITHDRAW_MIN_HOLD,
) -> dict[str, Any] | None:
    """The problem to record when ``would`` is too many to withdraw, else None:
    more than ``max_share`` of the active items and more than ``min_hold`` items.

    Held items are left exactly as they are (a changed item that would be withdrawn
    is not written either), so the next run weighs them again."""
    active = plan.active()
    if max_share is None or len(would) <= max(max_share * active, min_hold):
        return None
    plan.changed = [c for c in plan.changed if not (c[1].withdrawn and not c[2])]
    return {
        "code": "withdrawals_held",
        "detail": (
            f"would withdraw {len(would)} of {active} active items, more than "
            f"{max_share:.0%} and more than {min_hold}: nothing withdrawn "
            "(force with --force-withdraw)"
        ),
        "at": None,
    }


def _finish(
    sync: ZeusSync,
    plan: _Plan,
    bank: Organisation,
    actor: User | None,
    *,
    withdraw_missing: bool,
    gaps: list[str] | None = None,
    max_share: float | None = None,
) -> ZeusSync:
    """Write the plan. ``gaps``: why the feed is incomplete (None: not a feed);
    ``max_share``: the cap on withdrawals (None: no cap)."""
    with transaction.atomic():
        feed_problems: list[dict[str, Any]] = [
            {"code": "feed_incomplete", "detail": gap[:200], "at": None}
            for gap in gaps or []
        ]
        gone = plan.missing(sync.source) if withdraw_missing and not gaps else []
        gone += plan.disused()
        held = _hold(plan, gone, max_share, withdraw_min_hold())
        sync.held = 0
        if held is not None:
            sync.held = len(gone)
            feed_problems.append(held)
            gone = []
        _write(bank, sync.source, plan, gone)
        cancelled, flagged = research_requests_withdrawn(
            item_ids=[pk for pk, _nfec in gone]
        )
        sync.feed_complete = None if gaps is None else not gaps
        sync.seen = plan.read
        sync.added = len(plan.new)
        sync.changed = len(plan.changed)
        sync.withdrawn = len(gone)
        sync.skipped = plan.skipped
        sync.problems = feed_problems + plan.problems
        sync.details = {
            "added": [r.nfec_no for r in plan.new[:DETAIL_CAP]],
            "changed": [r.nfec_no for _p, r, _w in plan.changed[:DETAIL_CAP]],
            "withdrawn": [nfec for _pk, nfec in gone[:DETAIL_CAP]],
            "requests_cancelled": cancelled[:DETAIL_CAP],
            "loans_flagged": flagged[:DETAIL_CAP],
        }
        problems = plan.skipped or feed_problems
        sync.status = ZeusSync.Status.PARTIAL if problems else ZeusSync.Status.DONE
        sync.finished_at = clock.now()
        sync.save()
        audit_record(
            actor=actor,
            action="lending.zeus_sync",
            obj=sync,
            tenant=Tenant(pk=bank.tenant_id),
            after={
                "source": sync.source,
                "added": sync.added,
                "changed": sync.changed,
                "withdrawn": sync.withdrawn,
                "skipped": sync.skipped,
                "feed_complete": sync.feed_complete,
                "held": sync.held,
                "requests_cancelled": len(cancelled),
                "loans_flagged": len(flagged),
            },
        )
    return sync


def _failed(sync: ZeusSync, exc: ZeusError, actor: User | None) -> ZeusSync:
    sync.status = ZeusSync.Status.FAILED
    sync.problems = [{"code": exc.code, "detail": exc.detail[:200], "at": exc.page}]
    sync.finished_at = clock.now()
    with transaction.atomic():
        sync.save()
        audit_record(
            actor=actor,
            action="lending.zeus_sync_failed",
            obj=sync,
            tenant=Tenant(pk=sync.tenant_id),
            after={"code": exc.code},
        )
    return sync


def _failed_unexpectedly(sync: ZeusSync, exc: Exception, actor: User | None) -> None:
    """A fault that is not the feed's (a database error, a bug): the record says the
    run failed instead of staying 'running'; the caller raises the fault on. When
    even that record cannot be written (the database is down), it is logged."""
    error = ZeusError("internal_error", f"{type(exc).__name__}: {exc}")
    try:
        _failed(sync, error, actor)
    except Exception:
        logger.exception("ZEUS sync %s: the failure could not be recorded", sync.pk)


def zeus_sync_run(
    *,
    bank_id: int,
    client: ZeusClient | None = None,
    actor: User | None = None,
    force_withdraw: bool = False,
) -> ZeusSync:
    """Read the whole ZEUS feed and bring the bank's copy up to date (see module).
    ``force_withdraw``: withdraw even more than the share cap allows (an operator
    who checked that so many items really left ZEUS)."""
    bank = _bank(bank_id)
    sync = ZeusSync.objects.create(
        tenant_id=bank.tenant_id, bank=bank, source=ResearchItem.Source.ZEUS
    )
    plan = _Plan(bank)
    feed = _Feed()
    try:
        client = client or default_client()
        for page in client.pages():
            sync.pages += 1
            feed.totals.add(page.total)
            feed.served += len(page.records)
            feed.last_page, feed.last_size = page.number, len(page.records)
            for i, raw in enumerate(page.records):
                plan.take(raw, f"p{page.number}#{i + 1}", page.number)
        feed.probe(client, plan)
    except ZeusError as exc:
        return _failed(sync, exc, actor)
    except Exception as exc:
        _failed_unexpectedly(sync, exc, actor)
        raise
    try:
        return _finish(
            sync,
            plan,
            bank,
            actor,
            withdraw_missing=True,
            gaps=feed.gaps(plan),
            max_share=None if force_withdraw else withdraw_max_share(),
        )
    except Exception as exc:  # the writes rolled back: nothing changed
        _failed_unexpectedly(sync, exc, actor)
        raise


def zeus_sync_all(
    *, client: ZeusClient | None = None, force_withdraw: bool = False
) -> list[ZeusSync]:
    """Synchronise every central bank (the periodic task)."""
    ids = Organisation.objects.filter(
        is_active=True,
        kind=Organisation.Kind.BANK,
        bank_type=Organisation.BankType.CENTRAL,
    ).values_list("pk", flat=True)
    return [
        zeus_sync_run(bank_id=pk, client=client, force_withdraw=force_withdraw)
        for pk in sorted(ids)
    ]


def _rows(rows: Iterable[dict[str, str]]) -> Iterable[dict[str, str]]:
    for row in rows:
        if not F.first(row, F.FIELDS["idle"]):
            row = {**row, "idleDisuseCd": "2"}  # an idle list: idle unless it says
        yield row


def zeus_list_import(
    *, actor: User, bank_id: int, data: bytes, filename: str
) -> ZeusSync:
    """Import a circulated idle-equipment list (CSV or XLSX) into the central bank's
    copy: upsert by NFEC number, nothing withdrawn (a list is never complete)."""
    ids = central_bank_ids(actor)
    if ids is not None and bank_id not in ids:
        raise NotFound()
    bank = _bank(bank_id)
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise InvalidInput(
            _("Upload a .csv or .xlsx file."),
            field_errors={"file": [_("Upload a .csv or .xlsx file.")]},
        )
    table = read_table(data, filename, limits=LIST_LIMITS)
    plan = _Plan(bank)
    for i, row in enumerate(_rows(table)):
        plan.take(row, f"row {i + 2}")
    sync = ZeusSync(
        tenant_id=bank.tenant_id,
        bank=bank,
        source=ResearchItem.Source.SPREADSHEET,
        pages=1,
    )
    return _finish(sync, plan, bank, actor, withdraw_missing=False)
