"""Hostile spreadsheets for the import tests of every app (not collected by pytest)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>"
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _cols(n: int) -> list[str]:
    out = []
    for i in range(n):
        name, k = "", i + 1
        while k:
            k, r = divmod(k - 1, 26)
            name = chr(65 + r) + name
        out.append(name)
    return out


def _row_xml(number: int, values: Sequence[str]) -> str:
    cells = "".join(
        f'<c r="{col}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for col, v in zip(_cols(len(values)), values, strict=True)
    )
    return f'<row r="{number}">{cells}</row>'


def xlsx_rows(
    header: Sequence[str], row: Sequence[str], count: int, *, level: int = 6
) -> bytes:
    """A real XLSX (shared strings, as Excel writes them) with ``header`` and
    ``count`` copies of ``row``: 400,000 short rows fit in about half a megabyte."""
    strings = [*header, *row]
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{v}</t></si>" for v in strings)
        + "</sst>"
    )
    rels = _WORKBOOK_RELS.replace(
        "</Relationships>",
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
    )
    cols = _cols(max(len(header), len(row)))
    offset = len(header)
    template = "".join(
        f'<c r="{col}{{n}}" t="s"><v>{offset + i}</v></c>'
        for i, col in enumerate(cols[: len(row)])
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", rels)
        zf.writestr("xl/sharedStrings.xml", shared)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(_SHEET_HEAD.encode())
            head = "".join(
                f'<c r="{col}1" t="s"><v>{i}</v></c>'
                for i, col in enumerate(cols[: len(header)])
            )
            fh.write(f'<row r="1">{head}</row>'.encode())
            for start in range(2, count + 2, 10_000):
                fh.write(
                    "".join(
                        f'<row r="{n}">' + template.replace("{n}", str(n)) + "</row>"
                        for n in range(start, min(start + 10_000, count + 2))
                    ).encode()
                )
            fh.write(_SHEET_TAIL.encode())
    return buf.getvalue()


def xlsx_zip_bomb(megabytes: int = 300) -> bytes:
    """An XLSX whose sheet XML unpacks to ``megabytes`` MB from well under 1 MB:
    one header row, then one cell holding megabytes of spaces."""
    buf = io.BytesIO()
    block = b" " * (1024 * 1024)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(_SHEET_HEAD.encode())
            fh.write(_row_xml(1, ["a", "b"]).encode())
            fh.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
            for _ in range(megabytes):
                fh.write(block)
            fh.write(b"</t></is></c></row>")
            fh.write(_SHEET_TAIL.encode())
    return buf.getvalue()


def csv_rows(header: Sequence[str], row: Sequence[str], count: int) -> bytes:
    """A UTF-8 CSV with ``header`` and ``count`` copies of ``row``."""
    line = ",".join(row) + "\r\n"
    return (",".join(header) + "\r\n" + line * count).encode("utf-8")
