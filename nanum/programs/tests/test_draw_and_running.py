"""The lottery in the database, attendance, completion, certificates and surveys."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from nanum.core.errors import DomainError
from nanum.core.models import Role, User
from nanum.core.testing import make_user
from nanum.programs import selection, selectors, services
from nanum.programs.models import Application, Attendance, Certificate
from nanum.programs.templatetags.programs_tags import why
from nanum.programs.tests.helpers import make_programme
from nanum.programs.views._pdf import certificate_pdf

pytestmark = pytest.mark.django_db
S = Application.Status


def _lottery_with_applicants(world, n: int = 10, capacity: int = 4, prio: int = 3):
    p = make_programme(
        world.centre_staff,
        world.centre,
        selection="lottery",
        capacity=capacity,
        priority_share="0.50",
        grade_min=1,
        grade_max=12,
    )
    apps = []
    for i in range(n):
        u = make_user(f"lot{i}", Role.STUDENT, world.middle_school, birth_year=2012)
        apps.append(
            services.application_apply(actor=u, programme=p, declare_priority=i < prio)
        )
    assert all(a.status == S.SUBMITTED for a in apps)
    return p, apps


def test_the_draw_waits_for_the_period_to_close(world):
    p, _apps = _lottery_with_applicants(world)
    with pytest.raises(DomainError) as exc:
        services.programme_draw(actor=world.centre_staff, programme=p)
    assert exc.value.code == "period_open"


def test_the_draw_reserves_places_and_explains_each_outcome(world):
    p, _apps = _lottery_with_applicants(world, n=10, capacity=4, prio=3)
    after = p.apply_closes_at + timedelta(minutes=1)
    result = services.programme_draw(actor=world.centre_staff, programme=p, now=after)
    p.refresh_from_db()
    rows = list(p.applications.all())
    selected = [a for a in rows if a.status == S.SELECTED]
    assert len(selected) == 4
    assert sum(a.via == "priority" for a in selected) == 2  # 50% of 4 reserved
    assert sorted(
        a.waitlist_position for a in rows if a.status == S.WAITLISTED
    ) == list(range(1, 7))
    assert p.draw_digest == result.digest() and p.drawn_at is not None
    assert all(why(a) for a in rows)
    with pytest.raises(DomainError):
        services.programme_draw(actor=world.centre_staff, programme=p, now=after)


def test_the_same_seed_reproduces_the_same_draw(world):
    p, _apps = _lottery_with_applicants(world)
    services.programme_draw(actor=None, programme=p, now=p.apply_closes_at)
    p.refresh_from_db()
    rows = list(p.applications.order_by("pk"))
    again = selection.lottery(
        ids=[a.pk for a in rows],
        pools=[0] * len(rows),
        priority=[a.priority for a in rows],
        capacity=[p.capacity],
        share=[float(p.priority_share)],
        seed=p.lottery_seed,
    )
    assert again.digest() == p.draw_digest
    assert selectors.seed_commitment(p.lottery_seed) != str(p.lottery_seed)


def test_scheduled_draws_run_after_close_and_the_waiting_list_moves(world):
    p, _apps = _lottery_with_applicants(world, n=6, capacity=2)
    assert services.draws_due(now=p.apply_closes_at + timedelta(seconds=1)) == 1
    winner = p.applications.filter(status=S.SELECTED).first()
    services.application_withdraw(actor=winner.participant, application_id=winner.pk)
    assert p.applications.filter(status=S.OFFERED).count() == 1


def test_staff_can_flag_priority_before_the_draw_only(world):
    p, apps = _lottery_with_applicants(world, prio=0)
    a = services.application_set_priority(
        actor=world.centre_staff,
        application_id=apps[5].pk,
        priority=True,
        programme_ids=[p.pk],
    )
    assert a.priority and "staff" in a.vulnerability_declaration
    services.programme_draw(actor=None, programme=p, now=p.apply_closes_at)
    with pytest.raises(DomainError):
        services.application_set_priority(
            actor=world.centre_staff,
            application_id=apps[5].pk,
            priority=False,
            programme_ids=[p.pk],
        )


def _finished_programme(world, sessions: int = 5):
    p = make_programme(
        world.centre_staff,
        world.centre,
        sessions=sessions,
        past_sessions=True,
        kind="teacher_training",
        audience="teachers",
        grade_min=None,
        grade_max=None,
        hours=15,
        capacity=3,
    )
    app = services.application_apply(actor=world.teacher, programme=p)
    return p, app


def test_qr_check_in_records_attendance_once_and_only_for_participants(world):
    p = make_programme(world.centre_staff, world.centre)
    app = services.application_apply(actor=world.student, programme=p)
    s = p.sessions.all()[0]
    token = services.checkin_token(s)
    at = s.starts_at + timedelta(minutes=5)
    services.checkin(actor=world.student, token=token, now=at)
    services.checkin(actor=world.student, token=token, now=at)
    assert Attendance.objects.filter(application=app, present=True).count() == 1
    with pytest.raises(DomainError) as exc:
        services.checkin(actor=world.other_teacher, token=token, now=at)
    assert exc.value.code == "no_place"
    with pytest.raises(DomainError) as exc:
        services.checkin(actor=world.student, token=token + "x", now=at)
    assert exc.value.code == "bad_code"
    with pytest.raises(DomainError) as exc:
        services.checkin(
            actor=world.student, token=token, now=s.ends_at + timedelta(hours=2)
        )
    assert exc.value.code == "code_expired"


def test_completion_rule_and_certificate_with_hours_verified_publicly(world):
    p, app = _finished_programme(world)
    sessions = list(p.sessions.all())
    for s in sessions[:4]:  # 4 of 5 = 80 %
        services.attendance_mark(
            actor=world.centre_staff,
            session=s,
            application_ids=[app.pk],
            present_ids=[app.pk],
        )
    certs = services.certificates_issue(actor=world.centre_staff, programme=p)
    assert len(certs) == 1 and certs[0].hours == 15
    cert = selectors.certificate_verify(certs[0].code.lower().replace("-", ""))
    assert cert is not None and cert.attended == 4
    assert selectors.certificate_verify("AAAA-BBBB-CCCC") is None
    pdf = certificate_pdf(cert, "https://example.org/verify")
    assert pdf.startswith(b"%PDF") and b"HYSMyeongJo" in pdf


def test_below_the_completion_rule_there_is_no_certificate(world):
    p, app = _finished_programme(world)
    for s in list(p.sessions.all())[:3]:  # 60 %
        services.attendance_mark(
            actor=world.centre_staff,
            session=s,
            application_ids=[app.pk],
            present_ids=[app.pk],
        )
    assert services.certificates_issue(actor=world.centre_staff, programme=p) == []
    assert not Certificate.objects.exists()


def test_survey_once_per_participant_with_results_for_the_organiser(world):
    p, app = _finished_programme(world)

    def answer(actor: User) -> None:
        services.survey_submit(
            actor=actor,
            application_id=app.pk,
            overall=5,
            content=4,
            instructor=5,
            comment="좋았어요",
        )

    answer(world.teacher)
    with pytest.raises(DomainError):
        answer(world.teacher)
    with pytest.raises(DomainError):
        answer(world.other_teacher)
    res = selectors.survey_results(p)
    assert res["n"] == 1 and res["overall"] == 5 and res["comments"] == ["좋았어요"]


def test_the_survey_refuses_scores_out_of_range(world):
    _p, app = _finished_programme(world)
    with pytest.raises(DomainError) as exc:
        services.survey_submit(
            actor=world.teacher,
            application_id=app.pk,
            overall=9,
            content=4,
            instructor=5,
        )
    assert "overall" in exc.value.field_errors


def test_public_name_is_masked():
    assert selectors.mask_name("정학생") == "정*생"
    assert selectors.mask_name("Kim") == "K*m"


def test_check_in_before_it_opens_is_refused(world):
    p = make_programme(world.centre_staff, world.centre)
    services.application_apply(actor=world.student, programme=p)
    s = p.sessions.all()[0]
    with pytest.raises(DomainError) as exc:
        services.checkin(
            actor=world.student, token=services.checkin_token(s), now=timezone.now()
        )
    assert exc.value.code == "too_early"


def test_the_sweep_command_draws_due_lotteries(world):
    p, _apps = _lottery_with_applicants(world, n=3, capacity=2)
    Programme = type(p)
    Programme.objects.filter(pk=p.pk).update(
        apply_opens_at=timezone.now() - timedelta(days=3),
        apply_closes_at=timezone.now() - timedelta(minutes=1),
    )
    out = StringIO()
    call_command("programs_sweep", stdout=out)
    assert "drawn: 1" in out.getvalue()
    assert p.applications.filter(status=S.SELECTED).count() == 2
