"""Catalogue exports are formula-safe (CSV escaped, Excel strings); formulas in an
upload are refused."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from nanum.lending.models import EquipmentModel

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
    "+1",
    "-1",
    "\t=1",
]


def _import_names(client) -> None:
    lines = ["code,name_ko,category,max_loan_days"]
    for i, name in enumerate(PAYLOADS):
        quoted = '"' + name.replace('"', '""') + '"'
        lines.append(f"m-{i},{quoted},science,7")
    body = ("\n".join(lines) + "\n").encode()
    r = client.post(
        "/lending/staff/import/",
        {"kind": "models", "file": SimpleUploadedFile("m.csv", body)},
    )
    assert r.status_code == 302


def test_csv_export_escapes_formula_names_and_keeps_numbers(world, lending, client_for):
    c = client_for(world.district_bank_officer)
    _import_names(c)
    r = c.get("/lending/staff/export/models.csv")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    by_code = {row[0]: row for row in rows[1:]}
    for i, name in enumerate(PAYLOADS):
        assert by_code[f"m-{i}"][1] == "'" + name.strip()
        assert by_code[f"m-{i}"][12] == "7"  # max_loan_days: a number, unescaped


def test_excel_export_holds_the_names_as_text_never_formulas(
    world, lending, client_for
):
    c = client_for(world.district_bank_officer)
    _import_names(c)
    r = c.get("/lending/staff/export/models.xlsx")
    sheet = zipfile.ZipFile(io.BytesIO(r.content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet
    cells = {
        row[0].value: row
        for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(min_row=2)
    }
    for i, name in enumerate(PAYLOADS):
        cell = cells[f"m-{i}"][1]
        assert cell.data_type == "s" and cell.value == name.strip()
        assert cells[f"m-{i}"][12].data_type == "n"


def test_an_upload_with_formula_cells_is_refused_and_nothing_imported(
    world, lending, client_for
):
    book = Workbook()
    book.active.append(["code", "name_ko", "category"])
    book.active.append(["evil", '=HYPERLINK("http://x","y")', "science"])
    out = io.BytesIO()
    book.save(out)
    r = client_for(world.district_bank_officer).post(
        "/lending/staff/import/",
        {"kind": "models", "file": SimpleUploadedFile("m.xlsx", out.getvalue())},
    )
    assert r.status_code == 422
    assert "formula" in r.content.decode() or "수식" in r.content.decode()
    assert not EquipmentModel.objects.filter(code="evil").exists()
