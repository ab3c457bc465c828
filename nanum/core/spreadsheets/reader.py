"""Reading: CSV and XLSX streamed row by row, bounded by ``ReadLimits``.

Rows stop at limits on rows, columns, uncompressed size, cell length and time. A file
without data rows is an error, not a success with 0 rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from typing import IO

from django.utils.translation import gettext_lazy as _

from nanum.core.spreadsheets.limits import (
    ReadLimits,
    SpreadsheetRejected,
    TooManyRows,
    _cell_too_long,
    _Clock,
    _too_big,
    _too_wide,
)
from nanum.core.spreadsheets.writer import is_formula_like
from nanum.core.spreadsheets.xlsx import _xlsx_rows, _XlsxBook


def unescape_text(text: str) -> str:
    """Undo :func:`escape_text`: ``'=A1`` (as our CSV exports write it) reads as ``=A1``."""
    if len(text) > 1 and text[0] == "'" and is_formula_like(text[1:]):
        return text[1:]
    return text


def _csv_rows(data: bytes, limits: ReadLimits, clock: _Clock) -> Iterator[list[str]]:
    if len(data) > limits.max_bytes:
        raise _too_big(limits)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpreadsheetRejected(
            _("Save the CSV file as UTF-8 (in Excel: CSV UTF-8)."), limit="encoding"
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    n = 0
    try:
        for row in reader:
            n += 1
            if n % 512 == 0:
                clock.check()
            if len(row) > limits.max_columns:
                raise _too_wide(limits)
            if any(len(c) > limits.max_cell_chars for c in row):
                raise _cell_too_long(limits)
            yield row
    except csv.Error as exc:
        raise SpreadsheetRejected(
            _("This is not a readable CSV file (line %(n)s).") % {"n": n + 1},
            limit="format",
        ) from exc


def precheck(data: bytes, filename: str, *, limits: ReadLimits | None = None) -> None:
    """The cheap checks, without reading rows: size, and for XLSX the zip directory
    (declared sizes, compression ratios, member count). For files kept for later."""
    limits = limits or ReadLimits()
    if len(data) > limits.max_bytes:
        raise _too_big(limits)
    if filename.lower().endswith(".xlsx"):
        _XlsxBook(data, limits, _Clock(limits))
    elif not data.strip():
        raise SpreadsheetRejected(_("The file is empty."), limit="empty")


def iter_rows(
    data: bytes, filename: str, *, limits: ReadLimits | None = None
) -> Iterator[list[str]]:
    """Every non-blank row of a .csv or .xlsx file (the header first), as stripped
    text, streamed and bounded by ``limits``. ``TooManyRows`` past ``max_rows``."""
    limits = limits or ReadLimits()
    clock = _Clock(limits)
    source = (
        _xlsx_rows(data, limits, clock)
        if filename.lower().endswith(".xlsx")
        else _csv_rows(data, limits, clock)
    )
    n = 0
    for raw in source:
        row = [unescape_text(c.strip()).strip() for c in raw]
        if not any(row):
            continue
        n += 1
        if n > limits.max_rows + 1:  # + the header
            raise TooManyRows(limits.max_rows)
        yield row


def read_table(
    data: bytes,
    filename: str,
    *,
    limits: ReadLimits | None = None,
    required: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
) -> list[dict[str, str]]:
    """Data rows as dicts keyed by the header row (lower case), all text.

    Refused: an empty file, a file with a header and no data rows, a header missing
    any ``required`` column, and everything :func:`iter_rows` refuses.
    ``progress(n)`` is called with the number of data rows read, every 1,000 rows.
    """
    rows = iter_rows(data, filename, limits=limits)
    header_row = next(rows, None)
    if header_row is None:
        raise SpreadsheetRejected(_("The file is empty."), limit="empty")
    header = [h.strip().lower() for h in header_row]
    missing = [c for c in required if c not in header]
    if missing:
        raise SpreadsheetRejected(
            _("The first row must name the columns: %(cols)s")
            % {"cols": ", ".join(required)},
            limit="header",
        )
    width = len(header)
    table = [dict(zip(header, r + [""] * (width - len(r)), strict=False)) for r in rows]
    if not table:
        raise SpreadsheetRejected(
            _("The file has a header row but no data rows."), limit="empty"
        )
    return table


def read_table_from(
    fh: IO[bytes],
    filename: str,
    *,
    limits: ReadLimits | None = None,
    required: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
) -> list[dict[str, str]]:
    """:func:`read_table` of an open file, reading at most ``max_bytes`` + 1 bytes."""
    limits = limits or ReadLimits()
    data = fh.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise _too_big(limits)
    return read_table(
        data, filename, limits=limits, required=required, progress=progress
    )
