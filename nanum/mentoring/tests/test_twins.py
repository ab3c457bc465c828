"""A page and its API twin give the same answer, the same refusal and the same
access-log rows, because both call the same "open" service or selector."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from nanum.core import clock
from nanum.core.models import AccessLog, User
from nanum.mentoring import services
from nanum.mentoring.models import CounsellingBooking, Match, MentorProfile

from .conftest import survey_input

pytestmark = pytest.mark.django_db

Row = tuple[Any, ...]


@pytest.fixture
def pair(world: Any, term: Any, eligible: Any, active_mentor: Any) -> Match:
    eligible(world.student, world.seoul)
    services.survey_submit(actor=world.student, term_id=term.pk, data=survey_input())
    active_mentor(user=world.mentor)
    run = services.match_run_create(actor=world.seoul_officer, term_id=term.pk)
    services.match_run_publish(actor=world.seoul_officer, run_id=run.pk)
    return Match.objects.get()


@pytest.fixture
def booking(world: Any, eligible: Any) -> CounsellingBooking:
    eligible(world.student, world.seoul)
    slot = services.slot_publish(
        actor=world.counsellor,
        starts_at=clock.now() + timedelta(days=2),
        ends_at=clock.now() + timedelta(days=2, minutes=50),
    )
    return services.booking_create(
        actor=world.student, slot_id=slot.pk, topic="career", question="진로 상담"
    )


def _rows(after: int) -> list[Row]:
    return [
        (
            r.actor_id,
            r.action,
            r.object_type,
            r.object_id,
            r.subject_id,
            r.tenant_id,
            r.record_count,
        )
        for r in AccessLog.objects.filter(pk__gt=after).order_by("pk")
    ]


def _last() -> int:
    last = AccessLog.objects.order_by("-pk").first()
    return last.pk if last else 0


class Twins:
    """The same request through the page and through the API, as one user."""

    def __init__(
        self,
        client: Client,
        client_for: Callable[[User], Client],
        api_token: Callable[[User], str],
        user: User,
    ) -> None:
        self.page_client = client_for(user)
        self.api_client = Client()
        self.headers = {"Authorization": f"Bearer {api_token(user)}"}

    def page(self, url: str) -> tuple[Any, list[Row]]:
        before = _last()
        response = self.page_client.get(url)
        return response, _rows(before)

    def api(self, url: str) -> tuple[Any, list[Row]]:
        before = _last()
        response = self.api_client.get(url, headers=self.headers)
        return response, _rows(before)


@pytest.fixture
def twins(
    client: Client,
    client_for: Callable[[User], Client],
    api_token: Callable[[User], str],
) -> Callable[[User], Twins]:
    return lambda user: Twins(client, client_for, api_token, user)


# --- A pair: /mentoring/pairs/<id>/ and GET /api/v1/mentoring/matches/<id> ---------


def test_staff_open_a_pair_with_the_same_answer_and_the_same_access_row(
    world: Any, pair: Match, twins: Callable[[User], Twins]
) -> None:
    t = twins(world.seoul_officer)
    page, page_rows = t.page(reverse("mentoring:pair", args=[pair.pk]))
    api, api_rows = t.api(f"/api/v1/mentoring/matches/{pair.pk}")
    assert page.status_code == api.status_code == 200
    assert page.context["match"].pk == api.json()["id"] == pair.pk
    assert page.context["role"] == "staff"
    expected = (
        world.seoul_officer.pk,
        "view",
        "mentoring.match",
        str(pair.pk),
        world.student.pk,
        world.seoul.pk,
        1,
    )
    assert page_rows == api_rows == [expected]


def test_a_pairs_sessions_are_the_same_on_the_page_and_in_the_api(
    world: Any, pair: Match, twins: Callable[[User], Twins]
) -> None:
    t = twins(world.seoul_officer)
    page, page_rows = t.page(reverse("mentoring:pair", args=[pair.pk]))
    api, api_rows = t.api(f"/api/v1/mentoring/matches/{pair.pk}/sessions")
    assert page.status_code == api.status_code == 200
    page_ids = [s.pk for s in page.context["sessions"]]
    assert page_ids and page_ids == [s["id"] for s in api.json()["items"]]
    assert page_rows == api_rows
    assert [r[2] for r in api_rows] == ["mentoring.match"]


@pytest.mark.parametrize("who", ["mentor", "student"])
def test_the_pairs_own_mentor_and_mentee_see_it_without_an_access_row(
    world: Any, pair: Match, twins: Callable[[User], Twins], who: str
) -> None:
    t = twins(getattr(world, who))
    page, page_rows = t.page(reverse("mentoring:pair", args=[pair.pk]))
    api, api_rows = t.api(f"/api/v1/mentoring/matches/{pair.pk}")
    assert page.status_code == api.status_code == 200
    assert page.context["match"].pk == api.json()["id"] == pair.pk
    assert page.context["role"] == who
    assert page_rows == api_rows == []


def test_another_towns_officer_gets_not_found_on_both_and_nothing_is_logged(
    world: Any, pair: Match, twins: Callable[[User], Twins]
) -> None:
    t = twins(world.pyeongchang_officer)
    page, page_rows = t.page(reverse("mentoring:pair", args=[pair.pk]))
    api, api_rows = t.api(f"/api/v1/mentoring/matches/{pair.pk}")
    assert page.status_code == api.status_code == 404
    assert page_rows == api_rows == []


def test_a_mentor_who_is_not_this_students_gets_not_found_on_both(
    world: Any,
    pair: Match,
    active_mentor: Callable[..., MentorProfile],
    twins: Callable[[User], Twins],
) -> None:
    t = twins(active_mentor().user)
    page, page_rows = t.page(reverse("mentoring:pair", args=[pair.pk]))
    api, api_rows = t.api(f"/api/v1/mentoring/matches/{pair.pk}")
    assert page.status_code == api.status_code == 404
    assert page_rows == api_rows == []
    missing_page, _ = t.page(reverse("mentoring:pair", args=[999999]))
    missing_api, _ = t.api("/api/v1/mentoring/matches/999999")
    assert missing_page.status_code == missing_api.status_code == 404


# --- A batch run: /mentoring/staff/runs/<id>/ and GET /api/v1/mentoring/runs/<id> ---


def test_staff_open_a_run_with_the_same_pairs_and_the_same_access_row(
    world: Any, pair: Match, twins: Callable[[User], Twins]
) -> None:
    t = twins(world.seoul_officer)
    page, page_rows = t.page(reverse("mentoring:staff_run", args=[pair.run_id]))
    api, api_rows = t.api(f"/api/v1/mentoring/runs/{pair.run_id}")
    assert page.status_code == api.status_code == 200
    assert [m.pk for m, _why in page.context["pairs"]] == [
        p["id"] for p in api.json()["pairs"]
    ]
    assert [u.survey_id for u, _r in page.context["unmatched"]] == [
        u["survey_id"] for u in api.json()["unmatched"]
    ]
    expected = (
        world.seoul_officer.pk,
        "view",
        "mentoring.run",
        str(pair.run_id),
        None,
        world.seoul.pk,
        1,
    )
    assert page_rows == api_rows == [expected]


@pytest.mark.parametrize("who", ["pyeongchang_officer", "mentor", "student"])
def test_a_run_is_not_found_on_both_for_anyone_but_its_towns_staff(
    world: Any, pair: Match, twins: Callable[[User], Twins], who: str
) -> None:
    t = twins(getattr(world, who))
    page, page_rows = t.page(reverse("mentoring:staff_run", args=[pair.run_id]))
    api, api_rows = t.api(f"/api/v1/mentoring/runs/{pair.run_id}")
    assert page.status_code == api.status_code == 404
    assert page_rows == api_rows == []


# --- A counselling booking: /mentoring/counselling/bookings/<id>/ and the API -------


@pytest.mark.parametrize("who", ["student", "counsellor"])
def test_a_booking_is_the_same_for_its_student_and_its_counsellor(
    world: Any,
    booking: CounsellingBooking,
    twins: Callable[[User], Twins],
    who: str,
) -> None:
    t = twins(getattr(world, who))
    page, page_rows = t.page(reverse("mentoring:booking", args=[booking.pk]))
    api, api_rows = t.api(f"/api/v1/mentoring/counselling/bookings/{booking.pk}")
    assert page.status_code == api.status_code == 200
    assert page.context["booking"].pk == api.json()["id"] == booking.pk
    assert page_rows == api_rows == []


@pytest.mark.parametrize("who", ["seoul_officer", "mentor", "guardian"])
def test_a_booking_is_not_found_on_both_for_anyone_else(
    world: Any,
    booking: CounsellingBooking,
    twins: Callable[[User], Twins],
    who: str,
) -> None:
    t = twins(getattr(world, who))
    page, page_rows = t.page(reverse("mentoring:booking", args=[booking.pk]))
    api, api_rows = t.api(f"/api/v1/mentoring/counselling/bookings/{booking.pk}")
    assert page.status_code == api.status_code == 404
    assert page_rows == api_rows == []
