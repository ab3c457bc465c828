"""Programme builders for the tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from nanum.core.models import Organisation, User
from nanum.programs import services
from nanum.programs.models import Programme


def make_programme(
    actor: User,
    organiser: Organisation,
    *,
    sessions: int = 1,
    publish: bool = True,
    past_sessions: bool = False,
    **kw: Any,
) -> Programme:
    now = timezone.now()
    data: dict[str, Any] = {
        "name_ko": "매쓰업 수학 성장 교실",
        "name_en": "Math UP class",
        "kind": Programme.Kind.MATH_UP,
        "audience": Programme.Audience.STUDENTS,
        "grade_min": 7,
        "grade_max": 9,
        "capacity": 2,
        "apply_opens_at": now - timedelta(days=1),
        "apply_closes_at": now + timedelta(days=5),
        "selection": Programme.Selection.FCFS,
        "priority_share": Decimal("0.30"),
    }
    data.update(kw)
    p = services.programme_create(
        actor=actor, organiser=organiser, programme=services.ProgrammeInput(**data)
    )
    base = now - timedelta(days=20) if past_sessions else now + timedelta(days=10)
    for i in range(sessions):
        services.session_add(
            actor=actor,
            programme=p,
            starts_at=base + timedelta(days=i),
            ends_at=base + timedelta(days=i, hours=2),
            place="센터 1실",
            capacity=max(30, p.capacity),
            instructor="박강사",
        )
    if publish:
        services.programme_set_status(
            actor=actor, programme=p, status=Programme.Status.PUBLISHED
        )
    p.refresh_from_db()
    return p
