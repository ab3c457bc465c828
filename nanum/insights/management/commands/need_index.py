"""Import the yearly need index of schools from .xlsx/.csv: all rows or none.

nanum need_index import indicators-2026.xlsx [--source "..."] [--user admin]

Columns: school_code, year, benefit_pct, multicultural_pct, students and optionally
district_need (0..1) and source. Each bad row is reported; a bad file changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nanum.core.errors import DomainError
from nanum.core.models import User
from nanum.core.spreadsheets import read_table_from

from ... import services


class Command(BaseCommand):
    help = "Import each school's need index inputs for a school year (CSV or Excel)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument("path")
        parser.add_argument("--source", default="", help="where the figures come from")
        parser.add_argument(
            "--user", default="", help="username of the administrator (audit trail)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["path"])
        if not path.is_file():
            raise CommandError(f"no file {path}")
        actor = None
        if opts["user"]:
            actor = User.objects.filter(username=opts["user"]).first()
            if actor is None:
                raise CommandError(f"no user {opts['user']!r}")
        limits = services.NEED_INDEX_LIMITS
        try:
            with path.open("rb") as fh:
                rows = read_table_from(
                    fh, path.name, limits=limits, required=services.NEED_INDEX_COLUMNS
                )
            result = services.need_index_import(
                actor=actor, rows=rows, source=opts["source"] or path.name
            )
        except DomainError as exc:
            for e in exc.extra.get("row_errors", []):
                self.stderr.write(f"row {e['row']}: {e['field']}: {e['message']}")
            if not exc.extra.get("row_errors"):
                for msgs in exc.field_errors.values():
                    for m in msgs:
                        self.stderr.write(str(m))
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            f"{result.created} records created, {result.updated} updated; "
            f"{result.current_changed} schools have a new current index."
        )
