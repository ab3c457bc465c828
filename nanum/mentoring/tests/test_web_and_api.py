"""The pages and the API, from the user's side: flows, isolation, no 500s."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from nanum.mentoring import services
from nanum.mentoring.models import Match, MenteeSurvey, MentorProfile

from .conftest import EVENING, survey_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(world, term, eligible, active_mentor) -> Match:
    eligible(world.student, world.seoul)
    services.survey_submit(actor=world.student, term_id=term.pk, data=survey_input())
    active_mentor(user=world.mentor)
    run = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    services.match_run_publish(actor=world.seoul_officer, run_id=run.pk)
    return Match.objects.get()


def test_every_page_answers_for_every_persona_without_a_500(world, pair, client_for):
    run = pair.run
    booking_slot = services.slot_publish(
        actor=world.counsellor,
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, minutes=50),
    )
    booking = services.booking_create(
        actor=world.student, slot_id=booking_slot.pk, topic="career", question="q"
    )
    session = pair.sessions.first()
    urls = [
        reverse("mentoring:home"),
        reverse("mentoring:apply"),
        reverse("mentoring:survey", args=[pair.term_id]),
        reverse("mentoring:pair", args=[pair.pk]),
        reverse("mentoring:session_report", args=[session.pk]),
        reverse("mentoring:session_rate", args=[session.pk]),
        reverse("mentoring:problem"),
        reverse("mentoring:staff"),
        reverse("mentoring:staff_mentor", args=[pair.mentor_id]),
        reverse("mentoring:staff_term", args=[pair.term_id]),
        reverse("mentoring:staff_term_new"),
        reverse("mentoring:staff_run", args=[run.pk]),
        reverse("mentoring:staff_choose", args=[run.pk, pair.survey_id]),
        reverse("mentoring:staff_hours"),
        reverse("mentoring:counselling"),
        reverse("mentoring:booking", args=[booking.pk]),
        reverse("mentoring:documents", args=[pair.mentor_id]),
        "/mentoring/pairs/999999/",
        "/mentoring/survey/999999/",
        reverse("mentoring:staff_hours") + "?month=garbage&format=pdf",
    ]
    for user in (
        world.student,
        world.mentor,
        world.counsellor,
        world.seoul_officer,
        world.pyeongchang_officer,
        world.admin,
        world.teacher,
    ):
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 302, 403, 404), (user, url, response)
    client = client_for(world.pyeongchang_officer)
    assert client.get(reverse("mentoring:pair", args=[pair.pk])).status_code == 404
    assert client.get(reverse("mentoring:staff_run", args=[run.pk])).status_code == 404


def test_a_student_fills_the_survey_on_the_web(world, term, eligible, client_for):
    eligible(world.student, world.seoul)
    client = client_for(world.student)
    home = client.get(reverse("mentoring:home"))
    assert reverse("mentoring:survey", args=[term.pk]) in home.content.decode()
    assert "멘토 찾기" in home.content.decode()  # Korean first
    bad = client.post(
        reverse("mentoring:survey", args=[term.pk]),
        {
            "subjects": ["maths"],
            "level": "middle",
            "availability": EVENING,
            "mode": "offline",
        },
    )
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()
    assert not MenteeSurvey.objects.exists()
    ok = client.post(
        reverse("mentoring:survey", args=[term.pk]),
        {
            "subjects": ["maths", "english"],
            "level": "middle",
            "availability": EVENING,
            "mode": "online",
        },
    )
    assert ok.status_code == 302
    assert MenteeSurvey.objects.get().subjects == ["maths", "english"]


def test_a_mentor_sees_only_their_own_mentees(world, pair, active_mentor, client_for):
    other = active_mentor()
    client = client_for(other.user)
    assert client.get(reverse("mentoring:pair", args=[pair.pk])).status_code == 404
    page = client.get(reverse("mentoring:home")).content.decode()
    assert str(world.student) not in page
    mine = client_for(world.mentor).get(reverse("mentoring:home")).content.decode()
    assert str(world.student) in mine


def test_staff_run_adjust_and_publish_on_the_web(
    world, term, eligible, active_mentor, client_for
):
    eligible(world.student, world.seoul)
    services.survey_submit(actor=world.student, term_id=term.pk, data=survey_input())
    a = active_mentor()
    client = client_for(world.seoul_officer)
    response = client.post(reverse("mentoring:staff_term", args=[term.pk]))
    assert response.status_code == 302
    run_url = response["Location"]
    page = client.get(run_url).content.decode()
    assert str(world.student) in page
    run_id = int(run_url.rstrip("/").split("/")[-1])
    action = reverse("mentoring:staff_run_action", args=[run_id])
    match = Match.objects.get()
    sat = active_mentor(availability=[5 * 24 + 10])
    other = active_mentor()
    choose = client.get(
        reverse("mentoring:staff_choose", args=[run_id, match.survey_id])
    )
    listed = choose.content.decode()
    assert str(other.user) in listed and str(sat.user) not in listed
    client.post(action, {"action": "adjust", "match": match.pk, "mentor": sat.pk})
    match.refresh_from_db()
    assert match.mentor_id == a.pk  # refused: nothing changed
    assert client.post(action, {"action": "publish"}).status_code == 302
    match.refresh_from_db()
    assert match.status == "active"
    other = client_for(world.pyeongchang_officer)
    assert other.post(action, {"action": "publish"}).status_code == 404


def test_mentor_application_on_the_web(world, client_for):
    client = client_for(world.researcher)
    response = client.post(
        reverse("mentoring:apply"),
        {
            "university": world.university.pk,
            "major": "컴퓨터공학",
            "year": 2,
            "subjects": ["coding"],
            "levels": ["high"],
            "availability": EVENING,
            "mode": "online",
            "capacity": 11,
        },
    )
    assert response.status_code == 200 and not MentorProfile.objects.exists()
    response = client.post(
        reverse("mentoring:apply"),
        {
            "university": world.university.pk,
            "major": "컴퓨터공학",
            "year": 2,
            "subjects": ["coding"],
            "levels": ["high"],
            "availability": EVENING,
            "mode": "online",
            "capacity": 4,
        },
    )
    assert response.status_code == 302
    assert MentorProfile.objects.get().user == world.researcher


def _api(client, method, url, token, body=None, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    fn = getattr(client, method)
    if body is None:
        return fn(url, **headers)
    return fn(url, data=json.dumps(body), content_type="application/json", **headers)


def test_api_survey_is_idempotent_and_errors_are_problem_documents(
    world, term, eligible, client, api_token
):
    eligible(world.student, world.seoul)
    token = api_token(world.student)
    url = f"/api/v1/mentoring/terms/{term.pk}/survey"
    body = {
        "subjects": ["maths"],
        "level": "middle",
        "availability": EVENING,
        "mode": "online",
    }
    first = _api(client, "post", url, token, body, key="k-1")
    again = _api(client, "post", url, token, body, key="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert MenteeSurvey.objects.count() == 1
    bad = _api(client, "post", url, token, {**body, "mode": "teleport"})
    assert bad.status_code == 422
    assert bad["Content-Type"].startswith("application/problem+json")
    assert bad.json()["errors"][0]["field"] == "mode"


def test_api_tenant_isolation_and_own_mentees(
    world, pair, client, api_token, active_mentor
):
    other_officer = api_token(world.pyeongchang_officer)
    assert (
        _api(
            client, "get", f"/api/v1/mentoring/matches/{pair.pk}", other_officer
        ).status_code
        == 404
    )
    assert (
        _api(client, "get", "/api/v1/mentoring/matches", other_officer).json()["items"]
        == []
    )
    assert (
        _api(
            client,
            "post",
            f"/api/v1/mentoring/runs/{pair.run_id}/publish",
            other_officer,
        ).status_code
        == 404
    )
    stranger = api_token(active_mentor().user)
    assert _api(client, "get", "/api/v1/mentoring/matches", stranger).json() == {
        "count": 0,
        "items": [],
        "limit": 50,
        "offset": 0,
    }
    assert (
        _api(
            client, "get", f"/api/v1/mentoring/matches/{pair.pk}/sessions", stranger
        ).status_code
        == 404
    )
    mine = _api(
        client, "get", "/api/v1/mentoring/matches", api_token(world.mentor)
    ).json()["items"]
    assert [m["id"] for m in mine] == [pair.pk] and mine[0]["explanation"]
    staff = _api(
        client,
        "get",
        f"/api/v1/mentoring/runs/{pair.run_id}",
        api_token(world.seoul_officer),
    )
    assert staff.status_code == 200 and staff.json()["certified"] is True


def test_api_counselling_booking_and_private_notes(world, eligible, client, api_token):
    eligible(world.student, world.seoul)
    start = timezone.now() + timedelta(days=3)
    slot = _api(
        client,
        "post",
        "/api/v1/mentoring/counselling/slots",
        api_token(world.counsellor),
        {
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(minutes=50)).isoformat(),
            "topic": "both",
        },
        key="slot-1",
    )
    assert slot.status_code == 201, slot.content
    token = api_token(world.student)
    listed = _api(client, "get", "/api/v1/mentoring/counselling/slots", token).json()[
        "items"
    ]
    assert [s["id"] for s in listed] == [slot.json()["id"]]
    booked = _api(
        client,
        "post",
        "/api/v1/mentoring/counselling/bookings",
        token,
        {"slot_id": slot.json()["id"], "topic": "career", "question": "진로"},
        key="b-1",
    )
    assert booked.status_code == 201
    bid = booked.json()["id"]
    assert (
        _api(
            client,
            "get",
            f"/api/v1/mentoring/counselling/bookings/{bid}",
            api_token(world.seoul_officer),
        ).status_code
        == 404
    )
    assert (
        _api(
            client, "get", f"/api/v1/mentoring/counselling/bookings/{bid}", token
        ).status_code
        == 200
    )
    again = _api(
        client,
        "post",
        "/api/v1/mentoring/counselling/bookings",
        api_token(world.mentor),
        {"slot_id": slot.json()["id"], "topic": "career", "question": "x"},
    )
    assert again.status_code == 404


def test_a_mentor_uploads_a_document_and_bad_files_are_refused(
    world, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    profile = services.mentor_apply(
        actor=world.mentor,
        tenant=world.seoul,
        data=services.MentorInput(
            university_id=world.university.pk,
            major="수학",
            year=2,
            subjects=["maths"],
            levels=["middle"],
            availability=EVENING,
            mode="online",
        ),
    )
    client = client_for(world.mentor)
    url = reverse("mentoring:documents", args=[profile.pk])
    bad = client.post(
        url,
        {
            "kind": "enrolment",
            "file": SimpleUploadedFile("x.exe", b"MZ", "application/x"),
        },
    )
    assert bad.status_code == 200 and not profile.documents.exists()
    ok = client.post(
        url,
        {
            "kind": "enrolment",
            "file": SimpleUploadedFile(
                "재학증명서.pdf",
                b"%PDF-1.4\n2 0 obj << /Type /Page >> endobj\n%%EOF\n",
                "application/pdf",
            ),
        },
    )
    assert ok.status_code == 302 and profile.documents.count() == 1
    other = client_for(world.researcher).get(url)
    assert other.status_code == 404


def test_staff_record_that_a_mentor_left_on_the_web(world, pair, client_for):
    url = reverse("mentoring:staff_mentor", args=[pair.mentor_id])
    other = client_for(world.pyeongchang_officer)
    assert other.post(url, {"action": "leave"}).status_code == 404
    pair.refresh_from_db()
    assert pair.status == "active"
    client = client_for(world.seoul_officer)
    assert (
        client.post(url, {"action": "capacity", "capacity": "abc"}).status_code == 302
    )
    assert client.post(url, {"action": "leave", "reason": "군 입대"}).status_code == 302
    pair.refresh_from_db()
    assert pair.status == "ended" and pair.mentor.status == "left"


def test_the_mentor_sets_the_online_room_and_a_bad_link_changes_nothing(
    world, pair, client_for
):
    url = reverse("mentoring:meeting", args=[pair.pk])
    client = client_for(world.mentor)
    client.post(url, {"online_link": "javascript:alert(1)", "place": ""})
    pair.refresh_from_db()
    assert pair.online_link == ""
    client.post(
        url, {"online_link": "https://meet.example/room-7", "place": "관악도서관"}
    )
    pair.refresh_from_db()
    assert (
        pair.online_link == "https://meet.example/room-7" and pair.place == "관악도서관"
    )
    assert client_for(world.student).post(url, {"place": "x"}).status_code == 403
    assert (
        client_for(world.pyeongchang_officer).post(url, {"place": "x"}).status_code
        == 404
    )
    pair.refresh_from_db()
    assert pair.place == "관악도서관"
