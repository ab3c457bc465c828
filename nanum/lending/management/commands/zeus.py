"""ZEUS research equipment: synchronise from the Open API, or import an idle list.

nanum zeus sync [--bank CODE] [--base-url URL] [--force-withdraw]
nanum zeus import idle.xlsx --user bank [--bank CODE]

The key comes from NANUM_ZEUS_API_KEY and the base URL from NANUM_ZEUS_BASE_URL
(settings ZEUS_API_KEY, ZEUS_BASE_URL). Exit status 1 when a sync failed. A run
that would withdraw more than ZEUS_WITHDRAW_MAX_SHARE (20%) of the active items
withdraws nothing and says so; --force-withdraw applies it after an operator has
checked that those items really left ZEUS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nanum.core.errors import DomainError
from nanum.core.models import Organisation, User
from nanum.lending.models import ZeusSync
from nanum.lending.selectors import central_bank_ids
from nanum.lending.services import (
    ZeusClient,
    zeus_list_import,
    zeus_sync_all,
    zeus_sync_run,
)

MAX_LIST_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = "ZEUS research equipment: `sync` from the Open API, `import` an idle list."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sync = sub.add_parser("sync", help="synchronise from the ZEUS Open API")
        sync.add_argument("--bank", help="central bank code (default: every one)")
        sync.add_argument("--base-url", help="override NANUM_ZEUS_BASE_URL")
        sync.add_argument("--format", choices=["json", "xml"], default="json")
        sync.add_argument(
            "--force-withdraw",
            action="store_true",
            help="withdraw the missing items even above the share cap",
        )
        imp = sub.add_parser("import", help="import an idle-equipment list")
        imp.add_argument("path")
        imp.add_argument("--user", required=True, help="central bank staff username")
        imp.add_argument("--bank", help="central bank code (default: the user's)")

    def _bank_id(self, code: str) -> int:
        pk = (
            Organisation.objects.filter(code=code, bank_type="central")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            raise CommandError(f"no central bank {code!r}")
        return pk

    def _report(self, sync: ZeusSync) -> None:
        self.stdout.write(
            f"{sync.bank.code}: {sync.status} · read {sync.seen} · added {sync.added}"
            f" · changed {sync.changed} · withdrawn {sync.withdrawn}"
            f" · skipped {sync.skipped} · held {sync.held}"
            f"{' · feed incomplete' if sync.feed_complete is False else ''}"
            f" (sync #{sync.pk})"
        )
        for p in sync.problems[:20]:
            self.stdout.write(
                f"  {p.get('code')}: {p.get('detail')} {p.get('at') or ''}"
            )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["verb"] == "import":
            return self._import(opts)
        client = None
        if opts.get("base_url") or opts.get("format") != "json":
            client = ZeusClient(
                base_url=opts.get("base_url") or settings.ZEUS_BASE_URL,
                api_key=settings.ZEUS_API_KEY,
                page_size=settings.ZEUS_PAGE_SIZE,
                timeout=settings.ZEUS_TIMEOUT,
                retries=settings.ZEUS_RETRIES,
                fmt=opts["format"],
            )
        force = bool(opts.get("force_withdraw"))
        if opts.get("bank"):
            syncs = [
                zeus_sync_run(
                    bank_id=self._bank_id(opts["bank"]),
                    client=client,
                    force_withdraw=force,
                )
            ]
        else:
            syncs = zeus_sync_all(client=client, force_withdraw=force)
        if not syncs:
            raise CommandError("no central bank to synchronise")
        for sync in syncs:
            self._report(sync)
        if any(s.status == ZeusSync.Status.FAILED for s in syncs):
            raise CommandError("a synchronisation failed: nothing was changed by it")

    def _import(self, opts: dict[str, Any]) -> None:
        user = User.objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"no user {opts['user']!r}")
        path = Path(opts["path"])
        if not path.is_file():
            raise CommandError(f"no file {path}")
        central = sorted(central_bank_ids(user) or [])
        bank_id = (
            self._bank_id(opts["bank"])
            if opts.get("bank")
            else (central[0] if central else None)
        )
        if bank_id is None:
            raise CommandError("the user is not staff of a central bank; give --bank")
        with path.open("rb") as fh:
            data = fh.read(MAX_LIST_BYTES + 1)
        try:
            sync = zeus_list_import(
                actor=user, bank_id=bank_id, data=data, filename=path.name
            )
        except DomainError as exc:
            msgs = [str(m) for ms in exc.field_errors.values() for m in ms]
            raise CommandError(" ".join([str(exc.message), *msgs])) from None
        self._report(sync)
