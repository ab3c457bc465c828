"""The officers' application export is formula-safe in CSV and Excel."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nanum.learning.models import Application

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://x","y")'


@pytest.fixture
def app(world, towns, apply_for):
    application = apply_for(
        world.student,
        world.seoul,
        category="multicultural",
        documents=[("eligibility", pdf_upload())],
    )
    Application.objects.filter(pk=application.pk).update(full_name=NAME)
    return application


def test_csv_export_escapes_an_applicant_named_like_a_formula(world, app, client_for):
    r = client_for(world.seoul_officer).get(reverse("learning:export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    name_col = rows[0].index("name")
    assert rows[1][name_col] == "'" + NAME
    assert rows[1][0] == str(app.pk)  # the id: a number, not escaped
    assert "no-store" in r["Cache-Control"]


def test_excel_export_holds_the_name_as_text(world, app, client_for):
    r = client_for(world.seoul_officer).get(reverse("learning:export", args=["xlsx"]))
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(r.content)).read(
        "xl/worksheets/sheet1.xml"
    )
    sheet = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in sheet[1]]
    cell = sheet[2][header.index("name")]
    assert cell.data_type == "s" and cell.value == NAME
    assert sheet[2][0].data_type == "n"
