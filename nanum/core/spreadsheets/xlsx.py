"""XLSX reading: a zip of XML parts, read without trusting any of it.

The declared sizes and compression ratios of the zip members are checked before
anything is decompressed (the pre-checks in ``_XlsxBook``), and the sheet is parsed as
a stream (expat, no DTDs or entities), so a "zip bomb" is refused in milliseconds with
little memory. Formula cells are refused (never evaluated).
"""

from __future__ import annotations

import io
import xml.parsers.expat
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from posixpath import dirname, join, normpath
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from nanum.core.spreadsheets.limits import (
    MB,
    ReadLimits,
    SpreadsheetRejected,
    _cell_too_long,
    _Clock,
    _too_big,
    _too_wide,
    _unreadable_xlsx,
)

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
