"""Completion certificates as PDF (reportlab).

Korean text uses reportlab's built-in CID font HYSMyeongJo-Medium (UnicodeCIDFont), so no
font file is needed; PDF readers supply the glyphs from their Korean font pack.
"""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ..models import Certificate

FONT = "HYSMyeongJo-Medium"
FONT_BOLD = "HYGothic-Medium"


def _fonts() -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    for name in (FONT, FONT_BOLD):
        if name not in registered:
            pdfmetrics.registerFont(UnicodeCIDFont(name))


def certificate_pdf(cert: Certificate, verify_url: str) -> bytes:
    _fonts()
    app = cert.application
    p = app.programme
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    w, h = A4
    c.setTitle(f"{_('Certificate of completion')} {cert.code}")
    c.setLineWidth(3)
    c.rect(36, 36, w - 72, h - 72)
    c.setFont(FONT_BOLD, 30)
    c.drawCentredString(w / 2, h - 150, "수 료 증")
    c.setFont(FONT, 14)
    c.drawCentredString(w / 2, h - 180, "Certificate of Completion")
    lines = [
        ("성명 / Name", cert.holder_name),
        ("과정 / Programme", p.name_ko),
        ("", p.name_en),
        ("주관 / Organiser", p.organiser.name_ko),
        ("출석 / Attendance", f"{cert.attended} / {cert.total_sessions}"),
    ]
    if cert.hours:
        lines.append(("연수 시간 / Training hours", f"{cert.hours}시간 (hours)"))
    lines.append(
        ("발급일 / Issued", timezone.localtime(cert.issued_at).strftime("%Y-%m-%d"))
    )
    y = h - 260
    for label, value in lines:
        c.setFont(FONT_BOLD, 12)
        c.drawString(90, y, label)
        c.setFont(FONT, 13)
        c.drawString(260, y, str(value)[:60])
        y -= 30
    c.setFont(FONT, 13)
    c.drawCentredString(
        w / 2, y - 40, "위 사람은 본 과정을 성실히 이수하였기에 이 증서를 수여합니다."
    )
    c.drawCentredString(
        w / 2,
        y - 62,
        "This certifies that the person named above completed the programme.",
    )
    c.setFont(FONT_BOLD, 16)
    c.drawCentredString(w / 2, y - 120, p.organiser.name_ko)
    c.setFont(FONT, 10)
    c.drawString(60, 80, f"확인 코드 / Verification code: {cert.code}")
    c.drawString(60, 64, f"{verify_url}")
    c.showPage()
    c.save()
    return buf.getvalue()


def certificate_response(cert: Certificate, request: HttpRequest) -> HttpResponse:
    url = request.build_absolute_uri(reverse("programs:verify")) + f"?code={cert.code}"
    response = HttpResponse(certificate_pdf(cert, url), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{cert.code}.pdf"'
    )
    return response
