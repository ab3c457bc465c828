"""Organisers export participants and attendance (CSV, Excel) and message everyone
with a place; others cannot, and bad input changes nothing."""

from __future__ import annotations

import io
import zipfile

import pytest

from nanum.core.models import AccessLog, AuditLog, Notification, Role
from nanum.core.testing import make_user
from nanum.programs import services
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


def _programme_with_people(world):
    p = make_programme(world.centre_staff, world.centre, capacity=1, sessions=2)
    first = services.application_apply(actor=world.student, programme=p)
    other = make_user("=cmd|calc", Role.STUDENT, world.middle_school, birth_year=2012)
    other.display_name = "=HYPERLINK(1)"
    other.save()
    services.application_apply(actor=other, programme=p)  # waiting list
    s = p.sessions.all()[0]
    services.attendance_mark(
        actor=world.centre_staff,
        session=s,
        application_ids=[first.pk],
        present_ids=[first.pk],
    )
    return p, other


def test_participants_csv_is_formula_safe_and_access_logged(client_for, world):
    p, _other = _programme_with_people(world)
    c = client_for(world.centre_staff)
    page = c.get(f"/programs/organiser/{p.pk}/").content.decode()
    assert f"/programs/organiser/{p.pk}/export/" in page
    assert f"/programs/organiser/{p.pk}/message/" in page
    before = AccessLog.objects.filter(action="export").count()
    r = c.get(
        f"/programs/organiser/{p.pk}/export/",
        {"what": "participants", "format": "csv"},
    )
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    text = r.content.decode("utf-8-sig")
    assert str(world.student) in text
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text
    assert AccessLog.objects.filter(action="export").count() == before + 1
    log = AccessLog.objects.filter(action="export").latest("pk")
    assert log.record_count == 2


def test_attendance_excel_lists_each_session(client_for, world):
    p, _other = _programme_with_people(world)
    c = client_for(world.centre_staff)
    r = c.get(
        f"/programs/organiser/{p.pk}/export/", {"what": "attendance", "format": "xlsx"}
    )
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    assert str(world.student) in xml and "=HYPERLINK" not in xml  # waitlisted: no row
    assert ">O<" in xml and ">X<" in xml


def test_export_bad_input_and_strangers_get_no_file(client_for, world):
    p, _other = _programme_with_people(world)
    before = AccessLog.objects.count()
    c = client_for(world.centre_staff)
    r = c.get(f"/programs/organiser/{p.pk}/export/", {"what": "x", "format": "pdf"})
    assert r.status_code == 302
    assert (
        client_for(world.student)
        .get(
            f"/programs/organiser/{p.pk}/export/",
            {"what": "participants", "format": "csv"},
        )
        .status_code
        == 404
    )
    assert AccessLog.objects.count() == before


def test_message_reaches_everyone_with_a_place_and_is_audited(client_for, world):
    p, _other = _programme_with_people(world)
    c = client_for(world.centre_staff)
    assert c.get(f"/programs/organiser/{p.pk}/message/").status_code == 200
    r = c.post(
        f"/programs/organiser/{p.pk}/message/",
        {"subject": "준비물 안내", "body": "필기구를 챙겨 오세요."},
    )
    assert r.status_code == 302
    got = Notification.objects.filter(kind="programs.message")
    assert [n.user for n in got] == [world.student]  # waiting list not included
    assert "준비물 안내" in got[0].subject and got[0].body == "필기구를 챙겨 오세요."
    assert AuditLog.objects.filter(action="programme.message").count() == 1


def test_an_empty_message_or_a_stranger_sends_nothing(client_for, world):
    p, _other = _programme_with_people(world)
    c = client_for(world.centre_staff)
    r = c.post(f"/programs/organiser/{p.pk}/message/", {"subject": "", "body": ""})
    assert r.status_code == 422 and 'role="alert"' in r.content.decode()
    r = client_for(world.student).post(
        f"/programs/organiser/{p.pk}/message/", {"subject": "a", "body": "b"}
    )
    assert r.status_code == 404
    assert not Notification.objects.filter(kind="programs.message").exists()
    assert not AuditLog.objects.filter(action="programme.message").exists()
