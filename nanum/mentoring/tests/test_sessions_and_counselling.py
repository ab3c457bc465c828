"""Sessions, reports, ratings, missed alerts, hours export, messages, counselling."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import AccessLog, Notification
from nanum.mentoring import services
from nanum.mentoring.models import (
    CounsellingBooking,
    CounsellingSlot,
    Match,
    Message,
    Session,
    SessionReport,
)
from nanum.mentoring.services import ReportInput

from .conftest import survey_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(world, term, eligible, active_mentor) -> Match:
    eligible(world.student, world.seoul)
    services.survey_submit(actor=world.student, term_id=term.pk, data=survey_input())
    active_mentor(user=world.mentor)
    run = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    services.match_run_publish(actor=world.seoul_officer, run_id=run.pk)
    return Match.objects.get()


def _past(pair: Match, days: int = 2) -> Session:
    session = pair.sessions.order_by("starts_at").first()
    assert session is not None, "a published pair has sessions"
    session.starts_at = timezone.now() - timedelta(days=days)
    session.save()
    return session


def test_both_confirm_then_the_mentor_reports_and_the_student_rates(world, pair):
    session = _past(pair)
    with pytest.raises(PermissionDenied):
        services.session_report_file(
            actor=world.student,
            session_id=session.pk,
            data=ReportInput(topics="x", learning_report="y"),
        )
    with pytest.raises(DomainError):  # must confirm first
        services.session_report_file(
            actor=world.mentor,
            session_id=session.pk,
            data=ReportInput(topics="x", learning_report="y"),
        )
    services.session_confirm(actor=world.mentor, session_id=session.pk)
    services.session_confirm(actor=world.student, session_id=session.pk)
    session.refresh_from_db()
    assert session.status == "held"
    with pytest.raises(InvalidInput) as exc:
        services.session_report_file(
            actor=world.mentor,
            session_id=session.pk,
            data=ReportInput(topics="", learning_report="ok", quiz_score=120),
        )
    assert set(exc.value.field_errors) == {"topics", "quiz_score", "quiz_title"}
    assert not SessionReport.objects.exists()
    services.session_report_file(
        actor=world.mentor,
        session_id=session.pk,
        data=ReportInput(
            topics="일차함수",
            learning_report="잘함",
            quiz_title="3주차 퀴즈",
            quiz_score=80,
            concerns="잠이 부족해 보임",
        ),
    )
    assert Notification.objects.filter(
        user=world.seoul_officer, kind="mentoring.concern"
    ).exists()
    with pytest.raises(InvalidInput):
        services.session_rate(actor=world.student, session_id=session.pk, stars=6)
    services.session_rate(actor=world.student, session_id=session.pk, stars=5)
    with pytest.raises(DomainError):
        services.session_rate(actor=world.student, session_id=session.pk, stars=4)


def test_a_future_session_cannot_be_confirmed(world, pair):
    session = pair.sessions.order_by("-starts_at").first()
    with pytest.raises(DomainError):
        services.session_confirm(actor=world.student, session_id=session.pk)


def test_missed_sessions_alert_the_towns_staff_only(world, pair):
    session = _past(pair, days=3)
    services.session_confirm(actor=world.mentor, session_id=session.pk)
    assert services.sessions_check_missed() == 1
    session.refresh_from_db()
    assert session.status == "missed"
    alert = Notification.objects.get(kind="mentoring.missed")
    assert alert.user == world.seoul_officer
    assert not Notification.objects.filter(
        user=world.pyeongchang_officer, kind="mentoring.missed"
    ).exists()
    assert services.sessions_check_missed() == 0  # alerted once


def test_hours_are_exported_and_the_export_is_logged(world, pair):
    session = _past(pair, days=0)
    session.starts_at = timezone.now() - timedelta(hours=2)
    session.save()
    services.session_confirm(actor=world.mentor, session_id=session.pk)
    services.session_confirm(actor=world.student, session_id=session.pk)
    month = timezone.localdate(session.starts_at).replace(day=1)
    rows = services.mentor_hours(
        actor=world.seoul_officer, tenant_id=world.seoul.pk, month=month
    )
    assert rows[0]["hours"] == 1.0 and rows[0]["sessions"] == 1
    body, _ctype, name = services.mentor_hours_export(
        actor=world.seoul_officer, tenant_id=world.seoul.pk, month=month, fmt="xlsx"
    )
    assert body[:2] == b"PK" and name.endswith(".xlsx")
    body, _c, _n = services.mentor_hours_export(
        actor=world.seoul_officer, tenant_id=world.seoul.pk, month=month, fmt="csv"
    )
    assert "mentor" in body.decode("utf-8-sig")
    assert (
        AccessLog.objects.filter(action="export", object_type="mentoring.hours").count()
        == 2
    )
    with pytest.raises(PermissionDenied):
        services.mentor_hours(
            actor=world.pyeongchang_officer, tenant_id=world.seoul.pk, month=month
        )


def test_messages_stay_between_the_pair_and_are_encrypted(world, pair, active_mentor):
    services.message_send(
        actor=world.student, match_id=pair.pk, body="안녕하세요 멘토님"
    )
    other = active_mentor()
    with pytest.raises(NotFound):
        services.message_send(actor=other.user, match_id=pair.pk, body="hi")
    with pytest.raises(InvalidInput):
        services.message_send(actor=world.mentor, match_id=pair.pk, body="  ")
    assert Message.objects.count() == 1
    with connection.cursor() as cur:
        cur.execute("SELECT body FROM mentoring_message")
        raw = cur.fetchone()[0]
    assert "안녕" not in raw


def test_a_student_reports_a_problem_and_staff_are_told(world, pair):
    services.problem_report(
        actor=world.student, body="멘토가 연락이 안 돼요", match_id=pair.pk
    )
    assert Notification.objects.filter(
        user=world.seoul_officer, kind="mentoring.problem"
    ).exists()


def _slot(world, hours: int = 48) -> CounsellingSlot:
    start = timezone.now() + timedelta(hours=hours)
    return services.slot_publish(
        actor=world.counsellor,
        starts_at=start,
        ends_at=start + timedelta(minutes=50),
        topic="both",
    )


def test_counsellors_publish_slots_and_students_book_once(world, eligible, new_student):
    eligible(world.student, world.seoul)
    other = eligible(new_student(), world.seoul)
    slot = _slot(world)
    with pytest.raises(DomainError):  # overlapping slot of the same counsellor
        services.slot_publish(
            actor=world.counsellor, starts_at=slot.starts_at, ends_at=slot.ends_at
        )
    with pytest.raises(PermissionDenied):
        services.slot_publish(
            actor=world.student, starts_at=slot.starts_at, ends_at=slot.ends_at
        )
    booking = services.booking_create(
        actor=world.student, slot_id=slot.pk, topic="admissions", question="수시 준비"
    )
    with pytest.raises(DomainError) as exc:
        services.booking_create(
            actor=other, slot_id=slot.pk, topic="career", question="진로"
        )
    assert exc.value.code == "slot_taken"
    assert CounsellingBooking.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        CounsellingBooking.objects.create(
            slot=slot, tenant=world.seoul, student=other, topic="career", question="x"
        )
    assert booking.status == "booked"


def test_no_cancel_within_24_hours_but_earlier_is_fine(world, eligible):
    eligible(world.student, world.seoul)
    soon = services.booking_create(
        actor=world.student, slot_id=_slot(world, 5).pk, topic="career", question="a"
    )
    with pytest.raises(DomainError) as exc:
        services.booking_cancel(actor=world.student, booking_id=soon.pk)
    assert exc.value.code == "too_late_to_cancel"
    soon.refresh_from_db()
    assert soon.status == "booked"
    later = services.booking_create(
        actor=world.student, slot_id=_slot(world, 72).pk, topic="career", question="b"
    )
    services.booking_cancel(actor=world.student, booking_id=later.pk)
    later.refresh_from_db()
    assert later.status == "cancelled"


def test_reminders_go_out_once_for_the_next_day(world, eligible):
    eligible(world.student, world.seoul)
    services.booking_create(
        actor=world.student, slot_id=_slot(world, 5).pk, topic="career", question="a"
    )
    assert services.counselling_reminders_send() == 1
    assert services.counselling_reminders_send() == 0


def test_the_15_minute_run_reminds_a_day_before_not_the_nightly_one(world, eligible):
    """``nanum periodic frequent`` sends the reminder (about 24 h before the
    consultation); the daily run, at night, does not."""
    eligible(world.student, world.seoul)
    booking = services.booking_create(
        actor=world.student, slot_id=_slot(world, 23).pk, topic="career", question="a"
    )
    call_command("periodic", "daily", stdout=StringIO())
    booking.refresh_from_db()
    assert booking.reminded_at is None
    call_command("periodic", "frequent", stdout=StringIO())
    booking.refresh_from_db()
    assert booking.reminded_at is not None


def test_notes_are_private_to_the_counsellor_and_the_student(world, eligible):
    eligible(world.student, world.seoul)
    booking = services.booking_create(
        actor=world.student, slot_id=_slot(world).pk, topic="career", question="a"
    )
    services.booking_notes_save(
        actor=world.counsellor, booking_id=booking.pk, notes="공대 진학 희망"
    )
    with pytest.raises(PermissionDenied):
        services.booking_notes_save(
            actor=world.student, booking_id=booking.pk, notes="x"
        )
    for outsider in (world.seoul_officer, world.mentor, world.admin):
        with pytest.raises(NotFound):
            services.booking_notes_save(
                actor=outsider, booking_id=booking.pk, notes="x"
            )
    booking.refresh_from_db()
    assert booking.notes == "공대 진학 희망"


def test_a_student_of_another_town_cannot_book(world, eligible, new_student):
    outsider = eligible(new_student(), world.pyeongchang)
    with pytest.raises(NotFound):
        services.booking_create(
            actor=outsider, slot_id=_slot(world).pk, topic="career", question="a"
        )
    assert not CounsellingBooking.objects.exists()


def test_the_second_weekly_session_needs_a_committed_mentee(world, pair):
    with pytest.raises(DomainError) as exc:
        services.match_add_second_session(
            actor=world.mentor, match_id=pair.pk, hour_of_week=3 * 24 + 19
        )
    assert exc.value.code == "not_committed"
    for s in pair.sessions.order_by("starts_at")[:4]:
        s.status = "held"
        s.save()
    with pytest.raises(InvalidInput):
        services.match_add_second_session(
            actor=world.mentor, match_id=pair.pk, hour_of_week=5 * 24 + 10
        )  # nobody free then
    before = pair.sessions.count()
    how = 3 * 24 + 19 if pair.hour_of_week // 24 != 3 else 24 + 19
    services.match_add_second_session(
        actor=world.mentor, match_id=pair.pk, hour_of_week=how
    )
    pair.refresh_from_db()
    assert pair.second_hour_of_week == how and pair.sessions.count() > before


def test_mentor_capacity_cannot_drop_below_current_mentees(world, pair):
    with pytest.raises(InvalidInput):
        services.mentor_set_capacity(
            actor=world.mentor, profile_id=pair.mentor_id, capacity=0
        )
    services.mentor_set_capacity(
        actor=world.mentor, profile_id=pair.mentor_id, capacity=10
    )
    assert date.today()


def test_the_sweep_command_alerts_and_reminds(world, pair):
    _past(pair, days=3)
    out = StringIO()
    call_command("mentoring_sweep", stdout=out)  # tasks run inline in tests
    assert Notification.objects.filter(kind="mentoring.missed").count() == 1
    call_command("mentoring_sweep", "--now", stdout=out)
    assert "missed sessions: 0" in out.getvalue()


def test_upcoming_sessions_are_only_those_ahead_soonest_first(world, pair, client_for):
    sessions = list(pair.sessions.order_by("pk"))
    assert len(sessions) >= 4
    past, cancelled, later, sooner = sessions[:4]
    now = timezone.now()
    past.starts_at = now - timedelta(minutes=5)  # began a moment ago: not upcoming
    cancelled.starts_at = now + timedelta(hours=2)
    cancelled.status = Session.Status.CANCELLED
    later.starts_at = now + timedelta(days=2)  # created before ``sooner``
    sooner.starts_at = now + timedelta(days=1)
    for s in (past, cancelled, later, sooner):
        s.save()
    for user in (world.mentor, world.student):
        upcoming = client_for(user).get("/mentoring/").context["upcoming"]
        assert upcoming[:2] == [sooner, later]
        assert past not in upcoming and cancelled not in upcoming
        assert all(s.starts_at > now for s in upcoming)
        starts = [s.starts_at for s in upcoming]
        assert starts == sorted(starts)


def test_open_slots_and_my_consultations_list_what_is_ahead_first(
    world, eligible, client_for
):
    eligible(world.student, world.seoul)
    far, near, booked = _slot(world, 96), _slot(world, 30), _slot(world, 60)
    gone = _slot(world, 120)
    CounsellingSlot.objects.filter(pk=gone.pk).update(
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=2),
    )
    services.booking_create(
        actor=world.student, slot_id=booked.pk, topic="career", question="진로"
    )
    page = client_for(world.student).get("/mentoring/counselling/")
    assert [s.pk for s in page.context["slots"]] == [near.pk, far.pk]
    counsellor = client_for(world.counsellor).get("/mentoring/counselling/")
    html = counsellor.content.decode()
    mine = counsellor.context["my_slots"]
    assert {s.pk for s in mine} == {gone.pk, near.pk, booked.pk, far.pk}
    # upcoming rows first, soonest first, then the past one
    rows = [f"/mentoring/counselling/slots/{s.pk}/cancel/" for s in (near, booked, far)]
    positions = [html.index(r) for r in rows]
    assert positions == sorted(positions)
    table = html[html.index('aria-labelledby="slots-h"') :].split("</table>")[0]
    body_rows = table.split("<tbody>")[1].split("<tr>")[1:]
    assert len(body_rows) == 4
    assert "/cancel/" not in body_rows[-1]  # the past slot last, without a cancel


def test_the_students_home_shows_new_sessions_at_once(
    world, term, eligible, active_mentor, client_for
):
    """The home keeps its summary in a row shared by every web process; sessions
    scheduled for the student (a published pair) or cancelled (the pair ended) make
    it stale, so the next visit shows them, not a minute later."""
    eligible(world.student, world.seoul)
    services.survey_submit(actor=world.student, term_id=term.pk, data=survey_input())
    active_mentor(user=world.mentor)
    client = client_for(world.student)
    home = reverse("learning:student_home")
    assert "session" not in client.get(home).context["steps"]  # stored now
    run = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    services.match_run_publish(actor=world.seoul_officer, run_id=run.pk)
    match = Match.objects.get()
    step = client.get(home).context["steps"].get("session")
    assert step is not None and step.url == reverse("mentoring:pair", args=[match.pk])
    services.end_match(match=match, actor=world.seoul_officer, reason="test")
    assert "session" not in client.get(home).context["steps"]
