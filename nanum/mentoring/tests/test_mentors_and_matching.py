"""Mentors apply and are screened; staff batch-match, adjust, publish and rematch."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import AuditLog, Notification, Role
from nanum.mentoring import services
from nanum.mentoring.models import Match, MatchRun, MenteeSurvey, MentorProfile, Session
from nanum.mentoring.services.matching import PAIR_REASON_LABELS

from .conftest import mentor_input, survey_input

pytestmark = pytest.mark.django_db


def test_a_mentor_is_screened_then_activated_and_gets_the_mentor_role(world):
    applicant = world.researcher  # a university student without the mentor role yet
    profile = services.mentor_apply(
        actor=applicant, tenant=world.seoul, data=mentor_input(world)
    )
    assert profile.status == "applied" and profile.capacity == 4
    with pytest.raises(InvalidInput) as exc:
        services.mentor_screen(
            actor=world.seoul_officer,
            profile_id=profile.pk,
            checks={"identity": True},
            training_completed_on=None,
            approve=True,
        )
    assert set(exc.value.field_errors) == {"checks", "training_completed_on"}
    profile.refresh_from_db()
    assert profile.status == "applied" and profile.screened_at is None
    with pytest.raises(DomainError):
        services.mentor_activate(actor=world.seoul_officer, profile_id=profile.pk)
    services.mentor_screen(
        actor=world.seoul_officer,
        profile_id=profile.pk,
        approve=True,
        checks={"identity": True, "enrolment": True, "record_check": True},
        training_completed_on=date.today() - timedelta(days=1),
    )
    services.mentor_activate(actor=world.seoul_officer, profile_id=profile.pk)
    profile.refresh_from_db()
    applicant.__dict__.pop("_role_cache", None)
    assert profile.status == "active" and applicant.has_role(Role.MENTOR)
    assert AuditLog.objects.filter(action="mentoring.mentor.screen").count() == 1


def test_another_towns_officer_cannot_screen_a_seoul_mentor(world):
    profile = services.mentor_apply(
        actor=world.mentor, tenant=world.seoul, data=mentor_input(world)
    )
    with pytest.raises(NotFound):
        services.mentor_screen(
            actor=world.pyeongchang_officer,
            profile_id=profile.pk,
            approve=True,
            checks={"identity": True, "enrolment": True, "record_check": True},
            training_completed_on=date.today(),
        )
    profile.refresh_from_db()
    assert profile.status == "applied"


@pytest.mark.parametrize("capacity", [0, 11])
def test_capacity_is_one_to_ten(world, capacity):
    with pytest.raises(InvalidInput) as exc:
        services.mentor_apply(
            actor=world.mentor,
            tenant=world.seoul,
            data=mentor_input(world, capacity=capacity),
        )
    assert "capacity" in exc.value.field_errors
    assert not MentorProfile.objects.exists()


def test_the_database_refuses_a_capacity_above_ten(world, active_mentor):
    profile = active_mentor()
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorProfile.objects.filter(pk=profile.pk).update(capacity=11)


def test_offline_mentors_must_name_districts_of_their_town(world):
    with pytest.raises(InvalidInput) as exc:
        services.mentor_apply(
            actor=world.mentor,
            tenant=world.seoul,
            data=mentor_input(world, mode="offline"),
        )
    assert "districts" in exc.value.field_errors


def test_only_eligible_students_fill_the_survey(world, term, eligible, new_student):
    outsider = new_student()
    with pytest.raises(NotFound):
        services.survey_submit(actor=outsider, term_id=term.pk, data=survey_input())
    assert not MenteeSurvey.objects.exists()
    eligible(outsider, world.seoul)
    survey = services.survey_submit(
        actor=outsider, term_id=term.pk, data=survey_input()
    )
    assert survey.subjects == ["maths"]


def test_a_student_of_another_town_cannot_join_this_term(
    world, term, eligible, new_student
):
    student = eligible(new_student(), world.pyeongchang)
    with pytest.raises(NotFound):
        services.survey_submit(actor=student, term_id=term.pk, data=survey_input())


def test_bad_survey_input_is_refused_field_by_field(world, term, eligible):
    eligible(world.student, world.seoul)
    with pytest.raises(InvalidInput) as exc:
        services.survey_submit(
            actor=world.student,
            term_id=term.pk,
            data=survey_input(subjects=["alchemy"]),
        )
    assert "subjects" in exc.value.field_errors
    with pytest.raises(InvalidInput) as exc:
        services.survey_submit(
            actor=world.student, term_id=term.pk, data=survey_input(mode="offline")
        )
    assert "district" in exc.value.field_errors
    with pytest.raises(InvalidInput):
        services.survey_submit(
            actor=world.student, term_id=term.pk, data=survey_input(availability=[400])
        )
    assert not MenteeSurvey.objects.exists()


def _three_students(world, term, eligible, new_student):
    students = [eligible(new_student(), world.seoul) for _ in range(3)]
    services.survey_submit(actor=students[0], term_id=term.pk, data=survey_input())
    services.survey_submit(
        actor=students[1], term_id=term.pk, data=survey_input(subjects=["english"])
    )
    services.survey_submit(
        actor=students[2], term_id=term.pk, data=survey_input(subjects=["coding"])
    )
    return students


def test_a_batch_run_proposes_pairs_with_reasons_and_lists_the_unmatched(
    world, term, eligible, new_student, active_mentor
):
    students = _three_students(world, term, eligible, new_student)
    mentor = active_mentor(user=world.mentor)
    run = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    assert run.certified and run.stats["pairs"] == 2
    pairs = {m.student_id: m for m in run.matches.all()}
    assert set(pairs) == {students[0].pk, students[1].pk}
    why = pairs[students[0].pk].why
    assert why["subjects"] == ["maths"] and why["mode"] == "online"
    assert why["hour_of_week"] in (24 + 19, 24 + 20, 72 + 19)
    assert pairs[students[0].pk].mentor == mentor
    unmatched = list(run.unmatched.all())
    assert [(u.survey.student_id, u.reason) for u in unmatched] == [
        (students[2].pk, "no_subject")
    ]
    # nothing is visible to the pair before publishing
    assert not Session.objects.exists()
    services.match_run_publish(actor=world.seoul_officer, run_id=run.pk)
    assert Match.objects.filter(status="active").count() == 2
    first = Session.objects.filter(match=pairs[students[0].pk]).order_by("starts_at")
    assert first.count() >= 17  # weekly to the end of a 150-day term
    assert (
        Notification.objects.filter(user=world.mentor, kind="mentoring.matched").count()
        == 2
    )


def test_staff_adjust_a_pair_by_hand_but_not_against_the_rules(
    world, term, eligible, new_student, active_mentor
):
    student = eligible(new_student(), world.seoul)
    services.survey_submit(actor=student, term_id=term.pk, data=survey_input())
    first = active_mentor()
    saturday = active_mentor(availability=[24 * 5 + 10])
    other = active_mentor(subjects=["maths"])
    run = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    match = run.matches.get()
    with pytest.raises(InvalidInput) as exc:
        services.match_adjust(
            actor=world.seoul_officer, match_id=match.pk, mentor_id=saturday.pk
        )
    assert str(exc.value.field_errors["mentor"][0]) == str(
        PAIR_REASON_LABELS["no_time"]
    )
    match.refresh_from_db()
    assert match.mentor_id in (first.pk, other.pk) and not match.manual
    target = first if match.mentor_id == other.pk else other
    services.match_adjust(
        actor=world.seoul_officer, match_id=match.pk, mentor_id=target.pk
    )
    match.refresh_from_db()
    assert match.mentor_id == target.pk and match.manual
    with pytest.raises(NotFound):
        services.match_adjust(
            actor=world.pyeongchang_officer, match_id=match.pk, mentor_id=first.pk
        )


def test_when_a_mentor_leaves_the_rematch_keeps_every_other_pair(
    world, term, eligible, new_student, active_mentor
):
    students = [eligible(new_student(), world.seoul) for _ in range(4)]
    for s in students:
        services.survey_submit(actor=s, term_id=term.pk, data=survey_input())
    a, b = active_mentor(capacity=2), active_mentor(capacity=3)
    run = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    services.match_run_publish(actor=world.seoul_officer, run_id=run.pk)
    kept = {m.pk: m.mentor_id for m in Match.objects.filter(mentor=b, status="active")}
    orphans = list(Match.objects.filter(mentor=a).values_list("student_id", flat=True))
    assert len(orphans) == 2 and len(kept) == 2
    services.mentor_leave(actor=world.seoul_officer, profile_id=a.pk, reason="exams")
    c = active_mentor(capacity=4)
    rematch = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    new = {m.student_id: m.mentor_id for m in rematch.matches.all()}
    assert set(new) == set(orphans)
    assert set(new.values()) <= {b.pk, c.pk}
    assert list(
        Match.objects.filter(pk__in=kept).values_list("mentor_id", flat=True)
    ) == [b.pk, b.pk]
    assert Match.objects.filter(mentor=a, status="ended").count() == 2


def test_a_taster_runs_three_sessions_then_the_pair_commits(
    world, term, eligible, active_mentor
):
    eligible(world.student, world.seoul)
    services.survey_submit(
        actor=world.student, term_id=term.pk, data=survey_input(wants_taster=True)
    )
    active_mentor(user=world.mentor)
    run = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    services.match_run_publish(actor=world.seoul_officer, run_id=run.pk)
    match = Match.objects.get()
    assert match.kind == "taster" and match.sessions.count() == 3
    with pytest.raises(PermissionDenied):
        services.match_taster_decide(
            actor=world.seoul_officer, match_id=match.pk, keep=True
        )
    services.match_taster_decide(actor=world.student, match_id=match.pk, keep=True)
    match.refresh_from_db()
    assert match.kind == "regular" and match.sessions.count() > 3


def test_another_town_cannot_run_or_publish_seouls_matching(world, term):
    with pytest.raises(NotFound):
        services.match_run_create(actor=world.pyeongchang_officer, term_id=term.pk)
    assert not MatchRun.objects.exists()
