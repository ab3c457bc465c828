"""What one import may cost: the limits, the refusals, and the reader's clock.

Every refusal is an ``InvalidInput`` on the field ``file`` with a localized message.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from nanum.core.errors import InvalidInput

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """What one import may cost. The defaults suit a web request."""

    max_rows: int = 50_000  # data rows, after the header
    max_columns: int = 64
    max_bytes: int = 64 * MB  # uncompressed: the CSV text, or all XLSX members
    max_ratio: int = 200  # per XLSX member larger than 1 MB: uncompressed/compressed
    max_members: int = 1000
    max_cell_chars: int = 32_767  # Excel's own limit
    max_seconds: float = 4.0


class SpreadsheetRejected(InvalidInput):
    """The file is unreadable or over a limit. ``limit`` names which one."""

    code = "file_rejected"

    def __init__(self, message: Any, *, limit: str) -> None:
        super().__init__(
            message, field_errors={"file": [message]}, extra={"limit": limit}
        )
        self.limit = limit


class TooManyRows(SpreadsheetRejected):
    def __init__(self, max_rows: int) -> None:
        super().__init__(
            _("The file has more than %(n)s data rows; split it into smaller files.")
            % {"n": f"{max_rows:,}"},
            limit="rows",
        )
        self.max_rows = max_rows


def _too_slow(limits: ReadLimits) -> SpreadsheetRejected:
    return SpreadsheetRejected(
        _(
            "Reading the file took longer than %(s)s seconds; split it into smaller files."
        )
        % {"s": f"{limits.max_seconds:g}"},
        limit="time",
    )


def _too_big(limits: ReadLimits) -> SpreadsheetRejected:
    return SpreadsheetRejected(
        _("Unpacked, the file is larger than %(mb)s MB; split it into smaller files.")
        % {"mb": limits.max_bytes // MB},
        limit="size",
    )


def _too_wide(limits: ReadLimits) -> SpreadsheetRejected:
    return SpreadsheetRejected(
        _("The file has more than %(n)s columns.") % {"n": limits.max_columns},
        limit="columns",
    )


def _cell_too_long(limits: ReadLimits) -> SpreadsheetRejected:
    return SpreadsheetRejected(
        _("A cell is longer than %(n)s characters.")
        % {"n": f"{limits.max_cell_chars:,}"},
        limit="cell",
    )


def _unreadable_xlsx() -> SpreadsheetRejected:
    return SpreadsheetRejected(
        _("This is not a readable Excel (.xlsx) file."), limit="format"
    )


class _Clock:
    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise _too_slow(self.limits)
