"""Spreadsheets in and out: one formula-safe writer and one bounded, streaming reader.

Every CSV/Excel export and import of every app goes through this module.

Writing (OWASP "CSV injection"): a text cell that starts with ``= + - @``, a tab or a
carriage return (or their full-width forms, which a Korean or Japanese Excel may turn
into formulas) is written to CSV with a leading single quote, so a spreadsheet shows it
as text and never runs it. Real numbers stay numbers, negative ones too. In Excel files
every text cell is stored as a string (never a formula) and such cells also carry
Excel's own "quote prefix", so editing them does not turn them into formulas either.
CSV is UTF-8 with a byte-order mark so that Excel shows Korean correctly.

Reading: CSV and XLSX are streamed row by row and stop at limits on rows, columns,
uncompressed size, cell length and time. An XLSX file is a zip archive: the declared
sizes and compression ratios of its members are checked before anything is
decompressed, and the sheet is parsed as a stream (expat, no DTDs or entities), so a
"zip bomb" is refused in milliseconds with little memory. Formula cells are refused
(never evaluated). A file without data rows is an error, not a success with 0 rows.
Every refusal is an ``InvalidInput`` on the field ``file`` with a localized message.
"""

from __future__ import annotations

import csv
import io
import re
import time
import unicodedata
import xml.parsers.expat
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from posixpath import dirname, join, normpath
from typing import IO, Any, Literal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from nanum.core.errors import InvalidInput

Format = Literal["csv", "xlsx"]
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES: dict[str, str] = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}

# Characters that make a spreadsheet read a cell as a formula (OWASP), and the
# full-width forms an East Asian input method produces.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
MB = 1024 * 1024


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


# --------------------------------------------------------------------------- reading


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


def unescape_text(text: str) -> str:
    """Undo :func:`escape_text`: ``'=A1`` (as our CSV exports write it) reads as ``=A1``."""
    if len(text) > 1 and text[0] == "'" and is_formula_like(text[1:]):
        return text[1:]
    return text


class _Clock:
    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise _too_slow(self.limits)


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


# --- XLSX: a zip of XML parts, read without trusting any of it.

_XLSX_CHUNK = 64 * 1024


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _attr(attrs: dict[str, str], local: str) -> str | None:
    for key, value in attrs.items():
        if _local(key) == local:
            return value
    return None


def _refuse_dtd(*_args: Any) -> None:
    raise _unreadable_xlsx()


def _parser(
    start: Callable[[str, dict[str, str]], None] | None,
    end: Callable[[str], None] | None,
    chars: Callable[[str], None] | None,
) -> Any:
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if chars:
        parser.CharacterDataHandler = chars
    return parser


class _XlsxBook:
    def __init__(self, data: bytes, limits: ReadLimits, clock: _Clock) -> None:
        self.limits = limits
        self.clock = clock
        self.read_bytes = 0
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise _unreadable_xlsx() from exc
        if len(infos) > limits.max_members:
            raise _unreadable_xlsx()
        # Check every member's declared size BEFORE decompressing anything.
        if sum(i.file_size for i in infos) > limits.max_bytes:
            raise _too_big(limits)
        for info in infos:
            if info.file_size > MB and (
                info.compress_size <= 0
                or info.file_size / info.compress_size > limits.max_ratio
            ):
                raise _too_big(limits)
        self.names = {i.filename for i in infos}

    def parse(self, name: str, parser: Any) -> Iterator[None]:
        """Feed one member to ``parser`` in chunks; yields after each chunk."""
        if name not in self.names:
            raise _unreadable_xlsx()
        try:
            with self.zip.open(name) as fh:
                while chunk := fh.read(_XLSX_CHUNK):
                    self.read_bytes += len(chunk)
                    if self.read_bytes > self.limits.max_bytes:
                        raise _too_big(self.limits)
                    parser.Parse(chunk, False)
                    self.clock.check()
                    yield None
                parser.Parse(b"", True)
        except SpreadsheetRejected:
            raise
        except (
            xml.parsers.expat.ExpatError,
            zipfile.BadZipFile,
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
        ) as exc:
            raise _unreadable_xlsx() from exc

    def parse_all(self, name: str, parser: Any) -> None:
        for _chunk in self.parse(name, parser):
            pass

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target path) of an XML part."""
        folder, base = dirname(part), part.rsplit("/", 1)[-1]
        rels_name = join(folder, "_rels", base + ".rels")
        out: dict[str, tuple[str, str]] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship":
                target = attrs.get("Target", "")
                path = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else normpath(join(folder, target))
                )
                out[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

        if rels_name in self.names:
            self.parse_all(rels_name, _parser(start, None, None))
        return out


def _of_type(rels: dict[str, tuple[str, str]], kind: str) -> str | None:
    return next((path for t, path in rels.values() if t.endswith("/" + kind)), None)


class _XlsxSheet:
    """The first (active) sheet, as text rows; numbers and dates as Excel shows them."""

    def __init__(self, book: _XlsxBook) -> None:
        self.book = book
        self.limits = book.limits
        workbook = _of_type(book.rels(""), "officeDocument") or "xl/workbook.xml"
        sheets: list[str] = []
        active = [0]
        epoch = [CALENDAR_WINDOWS_1900]

        def wb_start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "sheet":
                sheets.append(_attr(attrs, "id") or "")
            elif local == "workbookView":
                tab = attrs.get("activeTab", "0")
                active[0] = int(tab) if tab.isdigit() else 0
            elif local == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                epoch[0] = CALENDAR_MAC_1904

        book.parse_all(workbook, _parser(wb_start, None, None))
        if not sheets:
            raise _unreadable_xlsx()
        rels = book.rels(workbook)
        rid = sheets[active[0]] if active[0] < len(sheets) else sheets[0]
        self.sheet = rels.get(rid, ("", ""))[1]
        self.epoch = epoch[0]
        shared = _of_type(rels, "sharedStrings")
        styles = _of_type(rels, "styles")
        self.strings = self._shared_strings(shared) if shared else []
        self.date_styles = self._date_styles(styles) if styles else set()

    def _shared_strings(self, name: str) -> list[str]:
        strings: list[str] = []
        parts: list[str] = []
        depth = {"t": 0, "rPh": 0}
        cap = self.limits.max_rows * self.limits.max_columns + 1

        def start(name: str, _attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "si":
                parts.clear()
            elif local in depth:
                depth[local] += 1

        def end(name: str) -> None:
            local = _local(name)
            if local == "si":
                strings.append("".join(parts))
                if len(strings) > cap:
                    raise _too_big(self.limits)
            elif local in depth:
                depth[local] -= 1

        def chars(text: str) -> None:
            if depth["t"] and not depth["rPh"]:
                parts.append(text)

        self.book.parse_all(name, _parser(start, end, chars))
        return strings

    def _date_styles(self, name: str) -> set[int]:
        formats: dict[int, str] = dict(BUILTIN_FORMATS)
        xfs: list[int] = []
        in_xfs = [False]

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "numFmt":
                fid = attrs.get("numFmtId", "")
                if fid.isdigit():
                    formats[int(fid)] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                in_xfs[0] = True
            elif local == "xf" and in_xfs[0]:
                fid = attrs.get("numFmtId", "0")
                xfs.append(int(fid) if fid.isdigit() else 0)

        def end(name: str) -> None:
            if _local(name) == "cellXfs":
                in_xfs[0] = False

        self.book.parse_all(name, _parser(start, end, None))
        return {
            i
            for i, fid in enumerate(xfs)
            if (14 <= fid <= 22 or 45 <= fid <= 47)
            or is_date_format(formats.get(fid, "General"))
        }

    def _value(self, kind: str, style: int, text: str) -> str:
        if kind == "s":
            try:
                return self.strings[int(text)]
            except (ValueError, IndexError):
                raise _unreadable_xlsx() from None
        if kind in ("inlineStr", "str", "d", "e"):
            return text
        if kind == "b":
            return "TRUE" if text.strip() in ("1", "true") else "FALSE"
        text = text.strip()
        if not text:
            return ""
        try:
            number = float(text)
        except ValueError:
            return text
        if style in self.date_styles:
            try:
                moment = from_excel(number, self.epoch)
            except (ValueError, OverflowError, TypeError):
                return text
            if isinstance(moment, datetime):
                if moment.time() == datetime.min.time():
                    return moment.date().isoformat()
                return moment.isoformat(sep=" ", timespec="seconds")
            return str(moment)
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return text

    def rows(self) -> Iterator[list[str]]:
        done: list[list[str]] = []
        row: list[str] = []
        text: list[str] = []
        limits = self.limits
        names: dict[str, str] = {}  # expanded element name -> local name
        # The cell being read: column, type, style; capturing <v>/<t> text; formula.
        kind = ""
        column = style = row_no = 0
        capture = formula = False

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal column, kind, style, row_no, capture, formula
            local = names.get(name) or names.setdefault(name, _local(name))
            if local == "v" or local == "t":
                capture = True
            elif local == "c":
                ref = attrs.get("r", "")
                letters = ref.rstrip("0123456789")
                try:
                    column = (
                        column_index_from_string(letters) - 1 if letters else len(row)
                    )
                except ValueError:
                    raise _unreadable_xlsx() from None
                if column >= limits.max_columns:
                    raise _too_wide(limits)
                kind = attrs.get("t", "n")
                s = attrs.get("s")
                style = int(s) if s and s.isdigit() else 0
                formula = False
                text.clear()
            elif local == "row":
                row.clear()
                number = attrs.get("r", "")
                row_no = int(number) if number.isdigit() else row_no + 1
            elif local == "f":
                formula = True

        def end(name: str) -> None:
            nonlocal capture
            local = names[name]
            if local == "v" or local == "t":
                capture = False
            elif local == "c":
                if formula:
                    raise SpreadsheetRejected(
                        _(
                            "The file contains formulas (row %(row)s). Copy the cells"
                            " and paste them as values only, then try again."
                        )
                        % {"row": row_no},
                        limit="formula",
                    )
                value = self._value(kind, style, "".join(text)) if text else ""
                if len(value) > limits.max_cell_chars:
                    raise _cell_too_long(limits)
                if column >= len(row):
                    row.extend([""] * (column + 1 - len(row)))
                row[column] = value
            elif local == "row":
                done.append(list(row))

        def chars(data: str) -> None:
            if capture:
                text.append(data)

        if not self.sheet:
            raise _unreadable_xlsx()
        for _chunk in self.book.parse(self.sheet, _parser(start, end, chars)):
            if done:
                yield from done
                done.clear()
        yield from done


def _xlsx_rows(data: bytes, limits: ReadLimits, clock: _Clock) -> Iterator[list[str]]:
    if len(data) > limits.max_bytes:
        raise _too_big(limits)
    yield from _XlsxSheet(_XlsxBook(data, limits, clock)).rows()


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
