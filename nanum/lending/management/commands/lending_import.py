"""Import equipment models or assets from .xlsx/.csv: all rows or none, with progress.

nanum lending_import assets.xlsx --kind assets --user bank
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from nanum.core.errors import DomainError
from nanum.core.models import User
from nanum.lending.selectors import staff_bank_ids
from nanum.lending.services import CLI_LIMITS, catalogue_import, read_table


class Command(BaseCommand):
    help = "Import K-STEM Bank equipment models or assets from an Excel or CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--kind", choices=["models", "assets"], required=True)
        parser.add_argument(
            "--user", required=True, help="username of the bank staff member importing"
        )
        parser.add_argument(
            "--tenant", type=int, default=None, help="tenant id (default: the user's)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        console = Console(stderr=True)
        user = User.objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"no user {opts['user']!r}")
        path = Path(opts["path"])
        if not path.exists():
            raise CommandError(f"no file {path}")
        tenant_id = opts["tenant"] or user.home_tenant_id
        if tenant_id is None:
            raise CommandError("give --tenant")
        if staff_bank_ids(user) == set():
            raise CommandError("the user is not bank staff")
        try:
            with path.open("rb") as fh:
                data = fh.read(CLI_LIMITS.max_bytes + 1)
            rows = read_table(data, path.name, limits=CLI_LIMITS)
            with Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as progress:
                task = progress.add_task(f"{opts['kind']}", total=len(rows))
                n = catalogue_import(
                    actor=user,
                    tenant_id=tenant_id,
                    kind=opts["kind"],
                    rows=rows,
                    progress=lambda k: progress.advance(task, k),
                )
        except DomainError as exc:
            table = Table(title=str(exc.message))
            for col in ("row", "field", "message"):
                table.add_column(col)
            for e in exc.extra.get("row_errors", []):
                table.add_row(str(e["row"]), e["field"], e["message"])
            for field, msgs in exc.field_errors.items():
                if not exc.extra.get("row_errors"):
                    table.add_row("-", field, "; ".join(str(m) for m in msgs))
            console.print(table)
            raise CommandError("nothing was imported") from None
        self.stdout.write(f"imported {n} {opts['kind']}")
