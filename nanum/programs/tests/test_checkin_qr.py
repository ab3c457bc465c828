"""The attendance page's QR code displays (a standalone SVG) and encodes an absolute
check-in URL that a signed-in participant opens on a phone."""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

import pytest
import segno
from django.core import signing
from django.utils import timezone

from nanum.core.errors import DomainError
from nanum.programs import services
from nanum.programs.models import Attendance
from nanum.programs.services.running import CHECKIN_SALT
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)


def test_qr_is_a_standalone_svg_of_the_absolute_check_in_url(
    client_for, world, settings
):
    settings.ALLOWED_HOSTS = ["centre.example.org"]
    p = make_programme(world.centre_staff, world.centre)
    s = p.sessions.all()[0]
    c = client_for(world.centre_staff)
    page = c.get(
        f"/programs/organiser/{p.pk}/sessions/{s.pk}/attendance/",
        HTTP_HOST="centre.example.org",
    ).content.decode()
    url = "http://centre.example.org" + services.checkin_url(s)
    assert f'href="{url}"' in page and "qr.svg" in page and 'alt="' in page
    r = c.get(
        f"/programs/organiser/{p.pk}/sessions/{s.pk}/qr.svg",
        HTTP_HOST="centre.example.org",
    )
    assert r["Content-Type"] == "image/svg+xml"
    body = r.content
    assert body.startswith(b"<?xml") and b'xmlns="http://www.w3.org/2000/svg"' in body
    assert b"<title>" in body
    expected = io.BytesIO()
    segno.make(url, error="m").save(
        expected, kind="svg", scale=8, xmldecl=True, svgns=True, title="x"
    )
    # Same modules as a code made from the absolute URL (titles aside).
    path = body.split(b"<path")[1:]
    assert path and path == expected.getvalue().split(b"<path")[1:]


def test_scanning_the_code_on_a_phone_checks_the_participant_in(client_for, world):
    now = timezone.now()
    p = make_programme(world.centre_staff, world.centre)
    s = p.sessions.all()[0]
    s.starts_at, s.ends_at = now - timedelta(minutes=5), now + timedelta(hours=2)
    s.save()
    app = services.application_apply(actor=world.student, programme=p)
    url = services.checkin_url(s)
    phone = client_for(world.student)
    assert phone.get(url, HTTP_USER_AGENT=PHONE).status_code == 200
    r = phone.post(url, HTTP_USER_AGENT=PHONE)
    assert r.status_code == 200 and 'role="status"' in r.content.decode()
    att = Attendance.objects.get(application=app, session=s)
    assert att.present and att.method == Attendance.Method.QR


def test_a_signed_out_phone_is_sent_to_sign_in_and_back(client):
    r = client.get("/programs/checkin/abc/")
    assert r.status_code == 302 and "next=/programs/checkin/abc/" in r["Location"]


def test_the_code_is_the_same_every_second_and_earlier_codes_still_work(world):
    """A code printed before the session and the one on screen are the same code
    (the signed token carries no timestamp); a code made the earlier way (with
    Django's timestamped signing) is still read; one signed for something else is not."""
    p = make_programme(world.centre_staff, world.centre)
    services.application_apply(actor=world.student, programme=p)
    s = p.sessions.all()[0]
    with mock.patch("time.time", return_value=1_800_000_000.0):
        first = services.checkin_url(s)
    with mock.patch("time.time", return_value=1_800_000_001.0):
        second = services.checkin_url(s)
    assert first == second
    at = s.starts_at + timedelta(minutes=5)
    expires = int((s.ends_at + timedelta(minutes=30)).timestamp())
    with mock.patch("time.time", return_value=1_800_000_000.0):
        legacy = signing.dumps(
            {"s": s.pk, "e": expires}, salt=CHECKIN_SALT, compress=True
        )
    assert legacy.count(":") == 2
    assert not Attendance.objects.filter(application__programme=p).exists()
    services.checkin(actor=world.student, token=legacy, now=at)
    assert (
        Attendance.objects.filter(application__programme=p, present=True).count() == 1
    )
    other = signing.Signer(salt="something.else").sign_object({"s": s.pk, "e": expires})
    with pytest.raises(DomainError) as exc:
        services.checkin(actor=world.student, token=other, now=at)
    assert exc.value.code == "bad_code"
