"""Fixtures for mentoring tests.

Mentee eligibility comes from Seoul Learn: ``eligible(student, tenant)`` makes a
student a live member of a town that offers mentoring through the learning app's own
services (application_submit + application_approve), exactly as an officer would.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from nanum.core.models import Role, Tenant, User
from nanum.core.testing import make_user
from nanum.learning.models import TenantPolicy
from nanum.learning.services.applications import (
    ApplicationInput,
    application_approve,
    application_submit,
)
from nanum.mentoring import services
from nanum.mentoring.models import MentorProfile, Term
from nanum.mentoring.services import SurveyInput

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def _tasks_at_once(request: pytest.FixtureRequest, monkeypatch: Any) -> None:
    """A test runs inside one transaction that never commits, so work queued "after
    commit" (the match run's task) would never start: run it at once, as the
    immediate backend does after a real commit. A test that asks for
    ``deferred_tasks`` sees the queued state instead."""
    if "deferred_tasks" in request.fixturenames:
        return

    def at_once(
        func: Callable[[], Any], using: str | None = None, robust: bool = False
    ) -> None:
        func()

    monkeypatch.setattr(transaction, "on_commit", at_once)


@pytest.fixture
def deferred_tasks() -> None:
    """Keep tasks queued after commit (see ``_tasks_at_once``)."""


EVENING = [24 * 1 + 19, 24 * 1 + 20, 24 * 3 + 19]  # Tue 19–21, Thu 19–20


@pytest.fixture
def policies(world: Any) -> dict[str, TenantPolicy]:
    return {
        t.slug: TenantPolicy.objects.create(
            tenant=t,
            quota_total=None,
            school_levels=["elementary", "middle", "high"],
            services=["mentoring", "counselling"],
        )
        for t in (world.seoul, world.pyeongchang)
    }


@pytest.fixture
def eligible(world: Any, policies: Any) -> Callable[[User, Tenant], User]:
    officers = {
        world.seoul.pk: world.seoul_officer,
        world.pyeongchang.pk: world.pyeongchang_officer,
    }

    def _make(student: User, tenant: Tenant) -> User:
        app = application_submit(
            actor=student,
            tenant=tenant,
            data=ApplicationInput(
                full_name="홍길동",
                birth_year=student.birth_year or 2010,
                school_level="middle",
                category="basic_livelihood",
                consent_collection=True,
                lives_in_town=True,
                district="강서구",
            ),
        )
        application_approve(
            actor=officers[tenant.pk],
            application_id=app.pk,
            verified_on=timezone.localdate(),
        )
        return student

    return _make


@pytest.fixture
def new_student(world: Any) -> Callable[..., User]:
    def _make(org: Any = None) -> User:
        return make_user(
            f"mentee{next(_n)}",
            Role.STUDENT,
            org or world.middle_school,
            birth_year=2010,
        )

    return _make


@pytest.fixture
def term(world: Any) -> Term:
    today = timezone.localdate()
    return services.term_create(
        actor=world.seoul_officer,
        tenant=world.seoul,
        name="2026 봄",
        starts_on=today,
        ends_on=today + timedelta(days=150),
    )


@pytest.fixture
def pc_term(world: Any) -> Term:
    today = timezone.localdate()
    return services.term_create(
        actor=world.pyeongchang_officer,
        tenant=world.pyeongchang,
        name="평창 2026",
        starts_on=today,
        ends_on=today + timedelta(days=150),
    )


def mentor_input(world: Any, **kw: Any) -> services.MentorInput:
    data: dict[str, Any] = dict(
        university_id=world.university.pk,
        major="수학교육",
        year=3,
        subjects=["maths", "english"],
        levels=["middle", "high"],
        availability=EVENING,
        mode="online",
        capacity=4,
    )
    data.update(kw)
    return services.MentorInput(**data)


@pytest.fixture
def active_mentor(world: Any) -> Callable[..., MentorProfile]:
    def _make(
        user: User | None = None, tenant: Tenant | None = None, **kw: Any
    ) -> MentorProfile:
        user = user or make_user(f"mentor{next(_n)}", Role.MENTOR, world.university)
        tenant = tenant or world.seoul
        officer = (
            world.seoul_officer if tenant == world.seoul else world.pyeongchang_officer
        )
        profile = services.mentor_apply(
            actor=user, tenant=tenant, data=mentor_input(world, **kw)
        )
        services.mentor_screen(
            actor=officer,
            profile_id=profile.pk,
            approve=True,
            checks={"identity": True, "enrolment": True, "record_check": True},
            training_completed_on=date.today() - timedelta(days=3),
        )
        return services.mentor_activate(actor=officer, profile_id=profile.pk)

    return _make


def survey_input(**kw: Any) -> SurveyInput:
    data: dict[str, Any] = dict(
        subjects=["maths"], level="middle", availability=EVENING, mode="online"
    )
    data.update(kw)
    return SurveyInput(**data)
