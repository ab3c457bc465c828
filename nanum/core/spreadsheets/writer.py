"""Formula-safe CSV and Excel writing, and the HTTP responses that carry them.

Writing (OWASP "CSV injection"): a text cell that starts with ``= + - @``, a tab or a
carriage return (or their full-width forms, which a Korean or Japanese Excel may turn
into formulas) is written to CSV with a leading single quote, so a spreadsheet shows it
as text and never runs it. Real numbers stay numbers, negative ones too. In Excel files
every text cell is stored as a string (never a formula) and such cells also carry
Excel's own "quote prefix", so editing them does not turn them into formulas either.
CSV is UTF-8 with a byte-order mark so that Excel shows Korean correctly.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from nanum.core.errors import InvalidInput

Format = Literal["csv", "xlsx"]
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES: dict[str, str] = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}

# Characters that make a spreadsheet read a cell as a formula (OWASP), and the
# full-width forms an East Asian input method produces.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")

# --------------------------------------------------------------------------- writing


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet treat this text as a formula (or a DDE command)?"""
    if not text:
        return False
    if text[0] in FORMULA_TRIGGERS:
        return True
    stripped = text.lstrip(" \n")
    return bool(stripped) and stripped[0] in FORMULA_TRIGGERS


def escape_text(text: str) -> str:
    """The text with a leading ``'`` if a spreadsheet would run it as a formula."""
    return "'" + text if is_formula_like(text) else text


def _plain(value: Any) -> Any:
    """A value a spreadsheet can hold: numbers and dates as they are, the rest as text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return value
    if isinstance(value, Promise):
        return str(value)
    return value if isinstance(value, str) else str(value)


def safe_csv_value(value: Any) -> Any:
    """One CSV cell: numbers stay numbers, dates become ISO text, text is escaped."""
    value = _plain(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return escape_text(value)
    return value


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (Excel shows Korean), every cell formula-safe."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    writer.writerow([safe_csv_value(v) for v in header])
    for row in rows:
        writer.writerow([safe_csv_value(v) for v in row])
    return buf.getvalue().encode("utf-8")


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", title).strip("'") or "Sheet"
    return cleaned[:31]


def xlsx_bytes(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, sheet_title: str = "Sheet"
) -> bytes:
    """An Excel workbook in which every text cell is a string, never a formula."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(sheet_title))

    def cells(values: Sequence[Any]) -> list[Any]:
        out: list[Any] = []
        for raw in values:
            value = _plain(raw)
            if value == "":
                out.append(None)
            elif isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = WriteOnlyCell(sheet)
                cell.value = value
                cell.data_type = "s"  # a string, even if it starts with "="
                if is_formula_like(value):
                    cell.quotePrefix = True  # stays text when edited in Excel
                out.append(cell)
            else:
                out.append(value)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def spreadsheet_bytes(
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    fmt: str,
    sheet_title: str = "Sheet",
) -> tuple[bytes, str]:
    """The file and its content type, for ``fmt`` "csv" or "xlsx"."""
    if fmt == "csv":
        return csv_bytes(header, rows), CSV_CONTENT_TYPE
    if fmt == "xlsx":
        return xlsx_bytes(header, rows, sheet_title=sheet_title), XLSX_CONTENT_TYPE
    raise InvalidInput(field_errors={"format": [_("Choose CSV or Excel.")]})


def attachment_disposition(filename: str) -> str:
    """``Content-Disposition`` for a download: an ASCII fallback and RFC 5987 UTF-8."""
    name = unicodedata.normalize("NFC", filename)
    name = re.sub(r"[\x00-\x1f\x7f/\\\"';]", "_", name).strip(" .") or "download"
    ascii_name = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    )
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", ascii_name).strip("_.") or "download"
    if "." in name and "." not in ascii_name:
        ascii_name += name[name.rfind(".") :]
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def file_response(body: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A private download: safe file name, never cached."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = attachment_disposition(filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def spreadsheet_response(
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    fmt: str,
    filename: str,
    sheet_title: str = "Sheet",
) -> HttpResponse:
    """A formula-safe CSV or Excel download named ``filename`` (extension added)."""
    body, content_type = spreadsheet_bytes(
        header, rows, fmt=fmt, sheet_title=sheet_title
    )
    return file_response(body, content_type=content_type, filename=f"{filename}.{fmt}")
