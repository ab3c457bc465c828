"""Synchronising research equipment from ZEUS, or from an idle-equipment spreadsheet.

Upsert by NFEC number. The whole feed is read first; only then, in one transaction,
new items are inserted, items whose digest changed are updated and items that became
disused or left the feed are withdrawn (hidden, rows and requests kept). So a refused
key, a timeout or a malformed page is written to the sync record and changes nothing
else, and a re-run of the same feed writes no item at all. A record without an NFEC
number (or otherwise unusable) is skipped and reported; the others are taken.
"""

from __future__ import annotations

from collections.abc import Iterable
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
from .zeus_client import ZeusClient, ZeusError

DETAIL_CAP = 500  # NFEC numbers kept per outcome in the sync record
PROBLEM_CAP = 500
BATCH = 1000
LIST_LIMITS = ReadLimits(max_rows=20_000, max_columns=64, max_seconds=20.0)
# Written on insert or change: every synchronised field (the NFEC number is the key).
SYNCED = [f for f in F.Record.__slots__ if f not in ("nfec_no", "withdrawn")]


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
        self.changed: list[tuple[int, F.Record]] = []
        self.seen: set[str] = set()
        self.problems: list[dict[str, Any]] = []
        self.skipped = 0
        self.read = 0

    def take(self, raw: dict[str, str], where: str) -> None:
        self.read += 1
        try:
            rec = F.normalise(raw)
        except F.Unusable as exc:
            self.skip(exc.code, exc.detail, where)
            return
        if rec.nfec_no in self.seen:
            self.skip("duplicate", rec.nfec_no, where)
            return
        self.seen.add(rec.nfec_no)
        known = self.existing.get(rec.nfec_no)
        if known is None:
            self.new.append(rec)
        elif known[1] != rec.digest() or (known[2] and not rec.withdrawn):
            self.changed.append((known[0], rec))

    def skip(self, code: str, detail: str, where: str) -> None:
        self.skipped += 1
        if len(self.problems) < PROBLEM_CAP:
            self.problems.append({"code": code, "detail": detail[:80], "at": where})


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
    bank: Organisation, source: str, plan: _Plan, *, withdraw_missing: bool
) -> tuple[list[str], list[str], list[str]]:
    """Insert, update and withdraw as planned; the NFEC numbers of each."""
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
    for pk, rec in plan.changed:
        values = _values(rec, now)
        if source == ResearchItem.Source.ZEUS:
            values["source"] = source
        ResearchItem.objects.filter(pk=pk).update(**values)
    gone: list[str] = []
    if withdraw_missing:
        gone = [
            nfec
            for nfec, (_pk, _d, withdrawn, src) in plan.existing.items()
            if not withdrawn and src == source and nfec not in plan.seen
        ]
        for i in range(0, len(gone), BATCH):
            ResearchItem.objects.filter(
                tenant_id=bank.tenant_id, nfec_no__in=gone[i : i + BATCH]
            ).update(withdrawn_at=now, updated_at=now)
    return (
        [r.nfec_no for r in plan.new],
        [r.nfec_no for _pk, r in plan.changed],
        gone,
    )


def _finish(
    sync: ZeusSync,
    plan: _Plan,
    bank: Organisation,
    actor: User | None,
    *,
    withdraw_missing: bool,
) -> ZeusSync:
    with transaction.atomic():
        added, changed, gone = _write(
            bank, sync.source, plan, withdraw_missing=withdraw_missing
        )
        withdrawn_now = sum(1 for _pk, r in plan.changed if r.withdrawn)
        sync.seen = plan.read
        sync.added = len(added)
        sync.changed = len(changed)
        sync.withdrawn = len(gone) + withdrawn_now
        sync.skipped = plan.skipped
        sync.problems = plan.problems
        sync.details = {
            "added": added[:DETAIL_CAP],
            "changed": changed[:DETAIL_CAP],
            "withdrawn": (gone + [r.nfec_no for _p, r in plan.changed if r.withdrawn])[
                :DETAIL_CAP
            ],
        }
        sync.status = ZeusSync.Status.PARTIAL if plan.skipped else ZeusSync.Status.DONE
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


def zeus_sync_run(
    *, bank_id: int, client: ZeusClient | None = None, actor: User | None = None
) -> ZeusSync:
    """Read the whole ZEUS feed and bring the bank's copy up to date (see module)."""
    bank = _bank(bank_id)
    sync = ZeusSync.objects.create(
        tenant_id=bank.tenant_id, bank=bank, source=ResearchItem.Source.ZEUS
    )
    plan = _Plan(bank)
    try:
        client = client or default_client()
        for page in client.pages():
            sync.pages += 1
            for i, raw in enumerate(page.records):
                plan.take(raw, f"p{page.number}#{i + 1}")
    except ZeusError as exc:
        return _failed(sync, exc, actor)
    return _finish(sync, plan, bank, actor, withdraw_missing=True)


def zeus_sync_all(*, client: ZeusClient | None = None) -> list[ZeusSync]:
    """Synchronise every central bank (the periodic task)."""
    ids = Organisation.objects.filter(
        is_active=True,
        kind=Organisation.Kind.BANK,
        bank_type=Organisation.BankType.CENTRAL,
    ).values_list("pk", flat=True)
    return [zeus_sync_run(bank_id=pk, client=client) for pk in sorted(ids)]


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
