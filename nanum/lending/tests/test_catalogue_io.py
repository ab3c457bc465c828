"""Bulk import/export (all rows or none), QR label sheets, the import command."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from nanum.lending.models import Asset, EquipmentModel

pytestmark = pytest.mark.django_db

GOOD = (
    "code,name_ko,name_en,category,min_grade,max_grade,requires_training,max_loan_days,kit_parts\n"
    "vr-headset,VR 헤드셋,VR headset,ai_sw,5,12,yes,10,headset;controller × 2\n"
    "oscilloscope,오실로스코프,Oscilloscope,advanced,10,12,no,14,\n"
)


def test_a_bad_row_means_nothing_is_imported_with_a_row_report(
    world, lending, client_for
):
    bad = GOOD + "drone-x,,Drone,space,13,12,maybe,0,\n"
    c = client_for(world.district_bank_officer)
    resp = c.post(
        "/lending/staff/import/",
        {"kind": "models", "file": SimpleUploadedFile("m.csv", bad.encode())},
    )
    assert resp.status_code == 422
    text = resp.content.decode()
    assert "name_ko" in text and "category" in text and "requires_training" in text
    assert not EquipmentModel.objects.filter(code="vr-headset").exists()


def test_good_excel_file_imports_models_and_assets(world, lending, client_for):
    c = client_for(world.district_bank_officer)
    resp = c.post(
        "/lending/staff/import/",
        {"kind": "models", "file": SimpleUploadedFile("m.csv", GOOD.encode())},
    )
    assert resp.status_code == 302
    assert EquipmentModel.objects.get(code="vr-headset").kit_parts == [
        "headset",
        "controller × 2",
    ]
    wb = Workbook()
    ws = wb.active
    ws.append(
        ["tag_code", "model_code", "serial", "condition", "bank_code", "acquired_on"]
    )
    for i in range(5):
        ws.append(
            [
                f"VR-{i}",
                "vr-headset",
                f"SN{i}",
                "new",
                "bank-gangseo-yangcheon",
                "2025-03-02",
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    resp = c.post(
        "/lending/staff/import/",
        {"kind": "assets", "file": SimpleUploadedFile("a.xlsx", buf.getvalue())},
    )
    assert resp.status_code == 302
    assert Asset.objects.filter(equipment__code="vr-headset").count() == 5
    export = c.get("/lending/staff/export/assets.xlsx")
    rows = list(
        load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
    )
    assert rows[0][0] == "tag_code" and any(r[0] == "VR-0" for r in rows)


def test_label_sheet_is_a_pdf(world, lending, client_for):
    resp = client_for(world.district_bank_officer).get("/lending/staff/labels.pdf")
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF")


def test_import_command_with_progress(world, lending, tmp_path):
    path = tmp_path / "models.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command(
        "lending_import", str(path), kind="models", user=world.bank_officer.username
    )
    assert EquipmentModel.objects.filter(code="oscilloscope").exists()
