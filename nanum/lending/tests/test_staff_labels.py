"""QR labels encode the unit page's absolute address and stay inside their label."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from nanum.lending.models import Asset
from nanum.lending.services import labels as catalogue

from .helpers import make_assets

pytestmark = pytest.mark.django_db


class Recorder(rl_canvas.Canvas):
    """A canvas that remembers every box it draws (x0, y0, x1, y1, page)."""

    boxes: list[tuple[float, float, float, float, int]] = []

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self._page_no = 0

    def showPage(self) -> None:
        self._page_no += 1
        super().showPage()

    def drawImage(self, image, x, y, width=None, height=None, **kw):
        Recorder.boxes.append((x, y, x + width, y + height, self._page_no))
        return super().drawImage(image, x, y, width=width, height=height, **kw)

    def drawString(self, x, y, text, *a, **kw):
        width = pdfmetrics.stringWidth(text, self._fontname, self._fontsize)
        Recorder.boxes.append((x, y, x + width, y + self._fontsize, self._page_no))
        return super().drawString(x, y, text, *a, **kw)

    def drawCentredString(self, x, y, text, *a, **kw):
        width = pdfmetrics.stringWidth(text, self._fontname, self._fontsize)
        Recorder.boxes.append(
            (x - width / 2, y, x + width / 2, y + self._fontsize, self._page_no)
        )
        return super().drawCentredString(x, y, text, *a, **kw)


def test_labels_encode_the_absolute_unit_url_and_print_the_code(
    world, lending, client_for, monkeypatch
):
    encoded: list[str] = []
    real_make = catalogue.segno.make

    def spy(data: str, **kw: Any):
        encoded.append(data)
        return real_make(data, **kw)

    monkeypatch.setattr(catalogue.segno, "make", spy)
    resp = client_for(world.district_bank_officer).get(reverse("lending:labels"))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    url = "http://testserver" + reverse("lending:unit", args=["MICROSCOPE-001"])
    assert url in encoded
    # the address opens that unit's page for the staff
    page = client_for(world.district_bank_officer).get(
        reverse("lending:unit", args=["MICROSCOPE-001"])
    )
    assert page.context["page"].asset.tag_code == "MICROSCOPE-001"


def test_label_sheet_draws_nothing_outside_a_label(world, lending, monkeypatch):
    long = lending.microscope
    long.name_ko = "아주 긴 이름의 생물 현미경 교육용 세트 " * 4
    long.save()
    make_assets(world, long, 30, prefix="WWWW-WWWW-WWWW-WWWW-WWWW-WWWW-WWW")
    assets = list(Asset.objects.select_related("equipment").order_by("tag_code"))
    assert len(assets) > 24  # two pages
    Recorder.boxes = []
    monkeypatch.setattr(catalogue.canvas, "Canvas", Recorder)
    pdf = catalogue.label_sheet_pdf(assets, base_url="https://nanum.example/t")
    assert pdf.startswith(b"%PDF")
    w = A4[0] / catalogue.LABEL_COLS
    h = (A4[1] - 2 * catalogue.LABEL_MARGIN) / catalogue.LABEL_ROWS
    assert {b[4] for b in Recorder.boxes} == {0, 1}
    for x0, y0, x1, y1, _page in Recorder.boxes:
        col = int(x0 // w)
        row = int((A4[1] - catalogue.LABEL_MARGIN - y1) // h)
        left, right = col * w, (col + 1) * w
        top = A4[1] - catalogue.LABEL_MARGIN - row * h
        assert left <= x0 and x1 <= right, (x0, x1, left, right)
        assert top - h <= y0 and y1 <= top + 0.01, (y0, y1, top)


def test_label_url_quotes_the_tag():
    assert (
        catalogue.label_url("https://x.example/lending/staff/tag/", "A B/1")
        == "https://x.example/lending/staff/tag/A%20B%2F1/"
    )
