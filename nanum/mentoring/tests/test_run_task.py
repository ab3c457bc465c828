"""The batch match runs as a background task with visible progress (issue 15, item 7),
and a run with nothing to match ends with 0 pairs and a reason, never a 500 (item 13)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from nanum.core import clock
from nanum.core.models import AuditLog
from nanum.mentoring import services, tasks
from nanum.mentoring.models import Match, MatchRun

from .conftest import survey_input

REFRESH = '<meta http-equiv="refresh" content="3">'


def _api_start(api_token: Any, client: Any, user: Any, term_id: int) -> Any:
    return client.post(
        f"/api/v1/mentoring/terms/{term_id}/runs",
        HTTP_AUTHORIZATION=f"Bearer {api_token(user)}",
    )


def test_a_run_is_queued_then_computed_by_its_task_and_shows_progress(
    world, term, eligible, active_mentor, client_for, deferred_tasks
):
    eligible(world.student, world.seoul)
    services.survey_submit(actor=world.student, term_id=term.pk, data=survey_input())
    mentor = active_mentor()
    client = client_for(world.seoul_officer)
    response = client.post(reverse("mentoring:staff_term", args=[term.pk]))
    assert response.status_code == 302
    run = MatchRun.objects.get()
    assert run.progress == MatchRun.Progress.QUEUED and not Match.objects.exists()
    page = client.get(response["Location"]).content.decode()
    with translation.override("ko"):
        waiting = str(MatchRun.Progress.QUEUED.label)
    assert REFRESH in page and waiting in page and waiting != "Waiting to start"
    # the task: claims the run, matches, stores the pairs
    assert tasks.match_run_compute.call(run.pk) == "done"
    run.refresh_from_db()
    assert run.progress == MatchRun.Progress.DONE and run.finished_at
    assert run.certified and run.stats["pairs"] == 1
    assert Match.objects.get().mentor == mentor
    page = client.get(response["Location"]).content.decode()
    assert REFRESH not in page and str(world.student) in page
    # a second delivery of the same task changes nothing
    assert tasks.match_run_compute.call(run.pk) == "skipped"
    assert Match.objects.count() == 1
    assert AuditLog.objects.filter(action="mentoring.run.compute").count() == 1


def test_a_run_another_worker_holds_is_left_alone_until_its_lease_ends(
    world, term, eligible, active_mentor, deferred_tasks
):
    eligible(world.student, world.seoul)
    services.survey_submit(actor=world.student, term_id=term.pk, data=survey_input())
    active_mentor()
    run = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    MatchRun.objects.filter(pk=run.pk).update(
        progress=MatchRun.Progress.RUNNING, started_at=clock.now()
    )
    assert services.match_run_compute(run_id=run.pk) == "skipped"
    assert not Match.objects.exists()
    # its worker died: past the task lease, the next delivery takes it over
    MatchRun.objects.filter(pk=run.pk).update(
        started_at=clock.now() - timedelta(hours=1)
    )
    assert services.match_run_compute(run_id=run.pk) == "done"
    assert Match.objects.count() == 1


def test_a_newer_run_replaces_a_queued_one_whose_task_then_does_nothing(
    world, term, eligible, active_mentor, deferred_tasks
):
    eligible(world.student, world.seoul)
    services.survey_submit(actor=world.student, term_id=term.pk, data=survey_input())
    active_mentor()
    first = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    second = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    first.refresh_from_db()
    assert first.status == MatchRun.Status.DISCARDED and first.note == "replaced"
    assert services.match_run_compute(run_id=first.pk) == "skipped"
    assert services.match_run_compute(run_id=second.pk) == "done"
    assert list(Match.objects.values_list("run_id", flat=True)) == [second.pk]


def test_a_failing_match_ends_the_run_failed_with_a_reason(
    world, term, eligible, active_mentor, client_for, monkeypatch
):
    eligible(world.student, world.seoul)
    services.survey_submit(actor=world.student, term_id=term.pk, data=survey_input())
    active_mentor()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("solver crashed")

    monkeypatch.setattr("nanum.mentoring.matching.solve", broken)
    client = client_for(world.seoul_officer)
    response = client.post(reverse("mentoring:staff_term", args=[term.pk]))
    assert response.status_code == 302
    run = MatchRun.objects.get()
    assert run.progress == MatchRun.Progress.FAILED and run.note == "failed"
    page = client.get(response["Location"]).content.decode()
    assert REFRESH not in page
    assert str(services.RUN_NOTE_LABELS["failed"]) in page
    assert not Match.objects.exists()


# --- Nothing to match: 0 pairs and a reason, on the page and in the API ----------


def _no_students(world: Any, term: Any, eligible: Any, active_mentor: Any) -> None:
    active_mentor()


def _no_mentors(world: Any, term: Any, eligible: Any, active_mentor: Any) -> None:
    eligible(world.student, world.seoul)
    services.survey_submit(actor=world.student, term_id=term.pk, data=survey_input())


def _no_pairs(world: Any, term: Any, eligible: Any, active_mentor: Any) -> None:
    _no_mentors(world, term, eligible, active_mentor)
    active_mentor(subjects=["coding"])  # teaches nothing the student asked for


EMPTY = [
    ("no_students", _no_students),
    ("no_mentors", _no_mentors),
    ("no_pairs", _no_pairs),
]
KOREAN = {
    "no_students": "기다리는 학생이 없습니다",
    "no_mentors": "빈자리가 있는 활동 멘토가 없습니다",
    "no_pairs": "모든 규칙을 함께 지키는 학생과 멘토가 없습니다",
}


@pytest.mark.parametrize(("note", "setup"), EMPTY)
def test_a_run_with_nothing_to_match_ends_with_no_pairs_and_a_reason_on_the_web(
    world, term, eligible, active_mentor, client_for, note, setup
):
    setup(world, term, eligible, active_mentor)
    client = client_for(world.seoul_officer)
    response = client.post(reverse("mentoring:staff_term", args=[term.pk]))
    assert response.status_code == 302
    run = MatchRun.objects.get()
    assert run.progress == MatchRun.Progress.DONE and run.note == note
    assert run.stats["pairs"] == 0 and not Match.objects.exists()
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="ko")
    assert page.status_code == 200
    assert KOREAN[note] in page.content.decode()
    with translation.override("en"):
        english = str(services.RUN_NOTE_LABELS[note])
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert english in page.content.decode()


@pytest.mark.parametrize(("note", "setup"), EMPTY)
def test_a_run_with_nothing_to_match_ends_with_no_pairs_and_a_reason_in_the_api(
    world, term, eligible, active_mentor, client, api_token, note, setup
):
    setup(world, term, eligible, active_mentor)
    response = _api_start(api_token, client, world.seoul_officer, term.pk)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["progress"] == "done" and body["finished"] is True
    assert body["note"] == note and body["pairs"] == []
    assert body["stats"]["pairs"] == 0 and body["note_message"]
    detail = client.get(
        f"/api/v1/mentoring/runs/{body['id']}",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.seoul_officer)}",
        HTTP_ACCEPT_LANGUAGE="ko",
    ).json()
    assert detail["note"] == note and KOREAN[note] in detail["note_message"]
    if note == "no_pairs":
        assert [u["reason"] for u in detail["unmatched"]] == ["no_subject"]


def test_the_api_reports_a_queued_run_and_then_its_pairs(
    world, term, eligible, active_mentor, client, api_token, deferred_tasks
):
    eligible(world.student, world.seoul)
    services.survey_submit(actor=world.student, term_id=term.pk, data=survey_input())
    active_mentor()
    response = _api_start(api_token, client, world.seoul_officer, term.pk)
    assert response.status_code == 201
    body = response.json()
    assert body["progress"] == "queued" and body["finished"] is False
    assert body["pairs"] == [] and body["note"] == ""
    services.match_run_compute(run_id=body["id"])
    detail = client.get(
        f"/api/v1/mentoring/runs/{body['id']}",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.seoul_officer)}",
    ).json()
    assert detail["progress"] == "done" and len(detail["pairs"]) == 1
