"""The demo puts the towns' own services within reach (issue 11): a Pyeongchang
member with career counselling slots of their own town's counsellor, a Seoul reward
programme with applications to select from, and an account to appoint as officer."""

from __future__ import annotations

import pytest

from nanum.core.demo import seed_core
from nanum.learning import demo as learning_demo
from nanum.learning.models import RewardProgramme
from nanum.mentoring import demo as mentoring_demo
from nanum.mentoring import selectors


@pytest.mark.django_db
def test_demo_has_pyeongchang_counselling_and_a_reward_programme():
    ctx = seed_core()
    learning_demo.seed(ctx, "small")
    lines = mentoring_demo.seed(ctx, "small")
    assert any("counsellor.pyeongchang" in line for line in lines)
    member = ctx.users["student.pyeongchang"]
    towns = selectors.counselling_tenants(member)
    assert [t.slug for t in towns] == ["pyeongchang"]
    slots = list(selectors.open_slots(towns[0]))
    assert len(slots) == 7 and {s.topic for s in slots} == {"career"}
    assert not selectors.mentee_eligible(member, towns[0])
    programme = RewardProgramme.objects.get(tenant__slug="seoul")
    assert programme.applications.count() >= 4
    assert "officer.newtown" in ctx.users
