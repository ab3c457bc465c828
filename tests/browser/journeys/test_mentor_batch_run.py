"""Town officer journey (Korean): surveys arrived after the term's first run; the
officer runs the next batch match, watches its progress page refresh by itself while
the worker computes it, and publishes the new pairs. Existing pairs are kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from nanum.mentoring.models import Match, MatchRun, MenteeSurvey, Term

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_officer_runs_the_next_batch_match_and_publishes_it(
    demo: None, page: Page, settings: Any
):
    # As in production: the run is queued in the database for a worker.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "mail", "ml"],
        }
    }
    term = Term.objects.get(tenant__slug="seoul")
    waiting = list(
        MenteeSurvey.objects.filter(term=term)
        .exclude(matches__status=Match.Status.ACTIVE)
        .values_list("student_id", flat=True)
    )
    assert len(waiting) == 4, "the demo leaves four surveys for the next run"
    kept = set(
        Match.objects.filter(term=term, status=Match.Status.ACTIVE).values_list(
            "pk", "student_id", "mentor_id"
        )
    )
    runs_before = MatchRun.objects.filter(term=term).count()

    sign_in(page, "officer.seoul")  # clicks: 1
    page.get_by_role("link", name="멘토링", exact=True).first.click()  # 2
    page.get_by_role("link", name="담당자: 멘토, 매칭, 활동 시간").click()  # 3
    page.get_by_role("link", name=term.name).click()  # 4
    page.get_by_role("button", name="일괄 매칭 실행(기존 짝 유지)").click()  # 5
    status = page.get_by_role("status")
    expect(status).to_contain_text("이 페이지는 몇 초마다 저절로 새로 고쳐집니다.")
    assert MatchRun.objects.filter(term=term).count() == runs_before + 1

    # The worker (a separate process in production) computes the queued run; the
    # page, refreshing itself without JavaScript, then shows the result.
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)
    expect(page.get_by_text("이 배정은 최적임이 증명되었습니다.")).to_be_visible(
        timeout=20000
    )
    expect(status).not_to_contain_text("새로 고쳐집니다")
    run = MatchRun.objects.filter(term=term).latest("pk")
    assert run.certified and run.stats["pairs"] == 4 and run.stats["students"] == 4
    page.get_by_role("button", name="발표: 멘토와 멘티에게 알리기").click()  # 6
    expect(
        page.get_by_role("button", name="발표: 멘토와 멘티에게 알리기")
    ).to_have_count(0)

    active = set(
        Match.objects.filter(term=term, status=Match.Status.ACTIVE).values_list(
            "pk", "student_id", "mentor_id"
        )
    )
    assert kept <= active, "every pair of the first run is kept"
    new = active - kept
    assert sorted(student for _pk, student, _m in new) == sorted(waiting)
