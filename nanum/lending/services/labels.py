"""QR label sheets for the units of the catalogue (A4 PDF)."""

from __future__ import annotations

import io
from urllib.parse import quote

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ..models import Asset

LABEL_COLS, LABEL_ROWS = 3, 8
LABEL_MARGIN = 10 * mm  # top and bottom of the sheet
LABEL_PAD = 3 * mm  # inside each label


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut (with an ellipsis) so that it fits ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def label_url(base_url: str, tag_code: str) -> str:
    """The absolute address a label's QR code encodes: the unit page of its tag."""
    return f"{base_url.rstrip('/')}/{quote(tag_code, safe='')}/"


def label_sheet_pdf(assets: list[Asset], *, base_url: str = "") -> bytes:
    """A4 sheet of QR labels (3 × 8).

    Each QR code encodes the absolute address of the unit's page (``base_url`` is the
    tag page's address on this site, e.g. ``https://nanum.example/lending/staff/tag``;
    without it, the bare tag code). The tag code is printed under the code, so a
    label can also be typed; beside it the tag code and the model name, both cut to
    the label's width: nothing is drawn outside a label.
    """
    try:
        pdfmetrics.registerFont(UnicodeCIDFont("HYSMyeongJo-Medium"))
        font = "HYSMyeongJo-Medium"
    except Exception:
        font = "Helvetica"
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    per_page = LABEL_COLS * LABEL_ROWS
    w = A4[0] / LABEL_COLS
    h = (A4[1] - 2 * LABEL_MARGIN) / LABEL_ROWS
    code_size = 6.0
    qr = h - 2 * LABEL_PAD - code_size - 1 * mm  # square, leaves room for the code
    text_x = LABEL_PAD + qr + LABEL_PAD
    text_w = w - text_x - LABEL_PAD
    for i, asset in enumerate(assets):
        if i and i % per_page == 0:
            c.showPage()
        slot = i % per_page
        x = (slot % LABEL_COLS) * w
        y = A4[1] - LABEL_MARGIN - (slot // LABEL_COLS + 1) * h
        data = label_url(base_url, asset.tag_code) if base_url else asset.tag_code
        png = io.BytesIO()
        segno.make(data, error="m").save(png, kind="png", scale=4, border=1)
        png.seek(0)
        c.drawImage(
            ImageReader(png),
            x + LABEL_PAD,
            y + h - LABEL_PAD - qr,
            width=qr,
            height=qr,
        )
        c.setFont("Helvetica", code_size)
        c.drawCentredString(
            x + LABEL_PAD + qr / 2,
            y + LABEL_PAD,
            _fit(asset.tag_code, "Helvetica", code_size, qr + LABEL_PAD),
        )
        c.setFont("Helvetica-Bold", 10)
        c.drawString(
            x + text_x,
            y + h - LABEL_PAD - 10 * mm,
            _fit(asset.tag_code, "Helvetica-Bold", 10, text_w),
        )
        c.setFont(font, 7)
        c.drawString(
            x + text_x,
            y + h - LABEL_PAD - 15 * mm,
            _fit(str(asset.equipment.name_ko), font, 7, text_w),
        )
    if not assets:
        c.drawString(20 * mm, A4[1] - 20 * mm, "-")
    c.save()
    return buf.getvalue()
