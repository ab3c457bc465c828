"""The pages, as a visitor, student, guardian, teacher and centre staff would use them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from nanum.core.models import Organisation, Role
from nanum.core.testing import make_user
from nanum.programs import services
from nanum.programs.models import Application, Child, Programme
from nanum.programs.tests.helpers import make_programme

pytestmark = pytest.mark.django_db


def test_the_listing_filters_and_works_in_korean_and_english(client, world):
    make_programme(world.centre_staff, world.centre)
    make_programme(
        world.centre_staff,
        world.centre,
        name_ko="우리 가족 수학 나들이",
        name_en="Family maths",
        kind="family",
        audience="families",
        grade_min=1,
        grade_max=6,
    )
    r = client.get("/programs/", HTTP_ACCEPT_LANGUAGE="ko")
    html = r.content.decode()
    assert r.status_code == 200 and "매쓰업" in html and "가족 수학 나들이" in html
    html = client.get("/programs/?kind=family").content.decode()
    assert "가족 수학 나들이" in html and "매쓰업" not in html
    html = client.get("/programs/?grade=8").content.decode()
    assert "매쓰업" in html and "가족 수학 나들이" not in html
    client.cookies["nanum_language"] = "en"
    html = client.get("/programs/?audience=families").content.decode()
    assert "Family maths" in html and 'lang="en"' in html


def test_the_ical_feed_lists_sessions(client, world):
    p = make_programme(world.centre_staff, world.centre, sessions=2)
    r = client.get("/programs/calendar.ics")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    body = r.content.decode()
    assert body.count("BEGIN:VEVENT") == 2 and f"programme-{p.pk}-session" in body
    assert client.get(f"/programs/{p.pk}/calendar.ics").status_code == 200


def test_a_student_applies_without_javascript_and_sees_the_outcome(client_for, world):
    p = make_programme(world.centre_staff, world.centre)
    c = client_for(world.student)
    assert c.get(f"/programs/{p.pk}/").status_code == 200
    r = c.post(f"/programs/{p.pk}/", {}, follow=True)
    assert r.status_code == 200 and r.redirect_chain[-1][0] == "/programs/mine/"
    assert Application.objects.filter(
        participant=world.student, status="selected"
    ).exists()
    assert p.name_ko in r.content.decode()


def test_a_refusal_is_shown_on_the_form_and_changes_nothing(client_for, world):
    p = make_programme(world.centre_staff, world.centre, grade_min=1, grade_max=6)
    c = client_for(world.student)
    r = c.post(f"/programs/{p.pk}/", {}, HTTP_ACCEPT_LANGUAGE="ko")
    assert r.status_code == 422
    assert 'role="alert"' in r.content.decode()
    assert not Application.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(client, world):
    p = make_programme(world.centre_staff, world.centre)
    r = client.post(f"/programs/{p.pk}/", {})
    assert r.status_code == 302 and "login" in r["Location"]
    assert not Application.objects.exists()


def test_a_guardian_adds_a_child_and_applies_for_them(client_for, world):
    p = make_programme(
        world.centre_staff,
        world.centre,
        kind="family",
        audience="families",
        grade_min=1,
        grade_max=6,
    )
    c = client_for(world.guardian)
    r = c.post(
        "/programs/children/",
        {"name": "정어린", "grade": 3, "next_programme": str(p.pk)},
    )
    assert r.status_code == 302 and r["Location"] == f"/programs/{p.pk}/"
    child = Child.objects.get(guardian=world.guardian)
    r = c.post(f"/programs/{p.pk}/", {"child": child.pk})
    assert r.status_code == 302
    assert Application.objects.get().child == child


def test_a_teacher_nominates_from_the_page(client_for, world):
    p = make_programme(world.centre_staff, world.centre, grade_min=1, grade_max=6)
    pupil = make_user("pupil", Role.STUDENT, world.small_school, birth_year=2016)
    c = client_for(world.teacher)
    assert str(pupil) in c.get(f"/programs/{p.pk}/nominate/").content.decode()
    r = c.post(f"/programs/{p.pk}/nominate/", {"students": [pupil.pk]})
    assert r.status_code == 302
    assert Application.objects.get().participant == pupil


def test_withdraw_and_confirm_from_my_applications(client_for, world):
    p = make_programme(world.centre_staff, world.centre, capacity=1)
    first = services.application_apply(actor=world.student, programme=p)
    other = make_user("student2", Role.STUDENT, world.middle_school, birth_year=2012)
    second = services.application_apply(actor=other, programme=p)
    c = client_for(world.student)
    c.post(f"/programs/applications/{first.pk}/", {"action": "withdraw"})
    c = client_for(other)
    html = c.get("/programs/mine/").content.decode()
    assert 'value="accept"' in html
    c.post(f"/programs/applications/{second.pk}/", {"action": "accept"})
    second.refresh_from_db()
    assert second.status == "selected"


def test_organiser_creates_a_programme_through_the_form(client_for, world):
    c = client_for(world.centre_staff)
    assert c.get("/programs/organiser/").status_code == 200
    now = timezone.localtime()
    data = {
        "organiser": world.centre.pk,
        "name_ko": "유레카 아카데미",
        "name_en": "Eureka",
        "kind": "eureka",
        "audience": "students",
        "grade_min": 5,
        "grade_max": 9,
        "capacity": 20,
        "apply_opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "apply_closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "selection": "lottery",
        "priority_share": "0.30",
        "priority_need_index": "0.600",
        "completion_percent": 80,
        "offer_hours": 48,
    }
    r = c.post("/programs/organiser/new/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    p = Programme.objects.get()
    start = now + timedelta(days=10)
    r = c.post(
        f"/programs/organiser/{p.pk}/",
        {
            "action": "session",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "동부센터 2실",
            "capacity": 20,
            "instructor": "박강사",
        },
    )
    assert r.status_code == 302
    c.post(f"/programs/organiser/{p.pk}/", {"action": "published"})
    p.refresh_from_db()
    assert p.status == "published" and p.sessions.count() == 1


def test_organiser_form_errors_are_shown_field_by_field(client_for, world):
    c = client_for(world.centre_staff)
    r = c.post(
        "/programs/organiser/new/", {"organiser": world.centre.pk, "name_ko": ""}
    )
    assert r.status_code == 422 and 'role="alert"' in r.content.decode()
    assert not Programme.objects.exists()


def test_attendance_page_shows_a_qr_code_and_staff_can_mark(client_for, world):
    p = make_programme(world.centre_staff, world.centre)
    app = services.application_apply(actor=world.student, programme=p)
    s = p.sessions.all()[0]
    c = client_for(world.centre_staff)
    assert (
        "qr.svg"
        in c.get(
            f"/programs/organiser/{p.pk}/sessions/{s.pk}/attendance/"
        ).content.decode()
    )
    svg = c.get(f"/programs/organiser/{p.pk}/sessions/{s.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    c.post(
        f"/programs/organiser/{p.pk}/sessions/{s.pk}/attendance/", {"present": [app.pk]}
    )
    assert app.attendance.filter(present=True).count() == 1


def test_check_in_page_needs_a_post_and_a_valid_code(client_for, world):
    p = make_programme(world.centre_staff, world.centre)
    services.application_apply(actor=world.student, programme=p)
    c = client_for(world.student)
    token = services.checkin_token(p.sessions.all()[0])
    assert c.get(f"/programs/checkin/{token}/").status_code == 200
    r = c.post(f"/programs/checkin/{token}/")  # too early: a clear message, no 500
    assert r.status_code == 400 and 'role="alert"' in r.content.decode()
    assert c.post("/programs/checkin/garbage/").status_code == 400


def test_certificate_download_and_public_verification_page(client_for, client, world):
    p = make_programme(world.centre_staff, world.centre, sessions=1, past_sessions=True)
    app = services.application_apply(actor=world.student, programme=p)
    s = p.sessions.all()[0]
    services.attendance_mark(
        actor=world.centre_staff,
        session=s,
        application_ids=[app.pk],
        present_ids=[app.pk],
    )
    cert = services.certificates_issue(actor=world.centre_staff, programme=p)[0]
    c = client_for(world.student)
    r = c.get(f"/programs/applications/{app.pk}/certificate.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert (
        client_for(world.teacher)
        .get(f"/programs/applications/{app.pk}/certificate.pdf")
        .status_code
        == 404
    )
    client.logout()
    html = client.get(f"/programs/verify/?code={cert.code}").content.decode()
    assert "정" not in html or str(world.student) not in html
    assert p.name_ko in html


def test_survey_page_saves_answers(client_for, world):
    p = make_programme(world.centre_staff, world.centre, sessions=1, past_sessions=True)
    app = services.application_apply(actor=world.student, programme=p)
    c = client_for(world.student)
    r = c.post(
        f"/programs/applications/{app.pk}/survey/",
        {"overall": 5, "content": 4, "instructor": 5, "comment": "재미있어요"},
    )
    assert r.status_code == 302
    html = (
        client_for(world.centre_staff)
        .get(f"/programs/organiser/{p.pk}/")
        .content.decode()
    )
    assert "재미있어요" in html


def test_the_priority_declaration_is_asked_only_in_a_lottery(client_for, world):
    fcfs = make_programme(world.centre_staff, world.centre)
    lottery = make_programme(world.centre_staff, world.centre, selection="lottery")
    c = client_for(world.student)
    assert "declare_priority" not in c.get(f"/programs/{fcfs.pk}/").content.decode()
    assert "declare_priority" in c.get(f"/programs/{lottery.pk}/").content.decode()
    c.post(f"/programs/{lottery.pk}/", {"declare_priority": "on"})
    app = Application.objects.get(programme=lottery)
    assert app.priority and app.status == "submitted"


def test_the_survey_groups_each_score_in_a_fieldset(client_for, world):
    p = make_programme(world.centre_staff, world.centre, sessions=1, past_sessions=True)
    app = services.application_apply(actor=world.student, programme=p)
    html = (
        client_for(world.student)
        .get(f"/programs/applications/{app.pk}/survey/")
        .content
    )
    assert html.decode().count("<legend>") == 3


def test_the_listing_filters_by_organiser(client, world):
    west = Organisation.objects.create(
        code="msc-seobu",
        kind="centre",
        tenant=world.seoul,
        name_ko="서부 센터",
        name_en="West centre",
    )
    make_programme(world.admin, west, name_ko="서부 유레카")
    make_programme(world.centre_staff, world.centre)
    html = client.get(f"/programs/?organiser={west.pk}").content.decode()
    assert "서부 유레카" in html and "매쓰업" not in html


def test_the_dashboard_shows_attendance_so_far(client_for, world):
    p = make_programme(world.centre_staff, world.centre, sessions=2, past_sessions=True)
    app = services.application_apply(actor=world.student, programme=p)
    s = p.sessions.all()[0]
    services.attendance_mark(
        actor=world.centre_staff,
        session=s,
        application_ids=[app.pk],
        present_ids=[app.pk],
    )
    html = client_for(world.centre_staff).get("/programs/organiser/").content.decode()
    assert "50%" in html
