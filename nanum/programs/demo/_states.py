"""The centre demo's programmes in every state (open, waiting for the draw, offers
pending, running today, waiting for certificates)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from nanum.core.demo import DemoContext, demo_user
from nanum.core.models import Role

from .. import services
from ..models import Application, Programme
from ._common import SEOUL, K, _seoul, _try

PUPILS = [
    ("msc.pupil1", "강하늘", 2013),
    ("msc.pupil2", "오바다", 2014),
    ("msc.pupil3", "임가람", 2012),
    ("msc.pupil4", "서나래", 2015),
]


def _state_programme(
    ctx: DemoContext,
    *,
    ko: str,
    en: str,
    selection: str,
    capacity: int,
    opens: datetime,
    closes: datetime,
    starts: list[datetime],
) -> Programme:
    """A programme at the demo centre user's centre (동부), for a lifecycle state."""
    admin = ctx.users["admin"]
    org = ctx.orgs["msc-dongbu"]
    p = services.programme_create(
        actor=admin,
        organiser=org,
        programme=services.ProgrammeInput(
            name_ko=ko,
            name_en=en,
            kind=K.EUREKA,
            audience=Programme.Audience.STUDENTS,
            grade_min=1,
            grade_max=12,
            capacity=capacity,
            apply_opens_at=opens,
            apply_closes_at=closes,
            selection=selection,
            priority_share=Decimal("0"),
            hours=None,
            description_ko=ko + " (데모)",
            description_en=en + " (demo).",
        ),
    )
    for i, start in enumerate(starts):
        services.session_add(
            actor=admin,
            programme=p,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place=f"{org.name_ko} {1 + i % 3}실",
            capacity=capacity,
            instructor="김수학",
        )
    services.programme_set_status(
        actor=admin, programme=p, status=Programme.Status.PUBLISHED
    )
    return p


def _apply_all(people: list[Any], p: Programme) -> list[Application]:
    when = p.apply_opens_at + timedelta(hours=1)
    apps = [
        _try(services.application_apply, actor=u, programme=p, now=when) for u in people
    ]
    return [a for a in apps if a is not None]


def _today_session_start(now: datetime) -> datetime:
    """Today's session in Seoul: running now in the daytime, else 09:00 or 20:00."""
    local = timezone.localtime(now, SEOUL)
    return _seoul(local.date(), min(max(local.hour, 9), 20))


def _centre_states(ctx: DemoContext, now: datetime) -> dict[str, Programme]:
    """Programmes in every state at the `centre` user's centre, so that the draw,
    offers, attendance and certificates can each be tried right after `make demo`."""
    if "msc-dongbu" not in ctx.orgs or "student" not in ctx.users:
        return {}
    school = ctx.orgs.get("demo-middle")
    for username, name, born in PUPILS:
        if username not in ctx.users and school is not None:
            demo_user(ctx, username, name, Role.STUDENT, school, birth_year=born)
    pupils = [ctx.users[u] for u, _n, _b in PUPILS if u in ctx.users]
    student = ctx.users["student"]
    child = ctx.users.get("child")
    people = [student, *([child] if child else []), *pupils]
    admin = ctx.users["admin"]
    today = timezone.localtime(now, SEOUL).date()
    out: dict[str, Programme] = {}
    # Closed, waiting for the draw.
    p = _state_programme(
        ctx,
        ko="과학 탐구 토요 교실 (추첨 대기)",
        en="Saturday science inquiry class (draw pending)",
        selection=Programme.Selection.LOTTERY,
        capacity=3,
        opens=now - timedelta(days=14),
        closes=now - timedelta(hours=1),
        starts=[_seoul(today + timedelta(days=10 + 7 * i), 10) for i in range(4)],
    )
    _apply_all(people, p)
    out["draw"] = p
    # Drawn, with waiting-list offers pending.
    p = _state_programme(
        ctx,
        ko="수학 퍼즐 탐험대 (추가 합격 대기)",
        en="Maths puzzle explorers (offers pending)",
        selection=Programme.Selection.LOTTERY,
        capacity=2,
        opens=now - timedelta(days=20),
        closes=now - timedelta(days=3),
        starts=[_seoul(today + timedelta(days=7 + 7 * i), 16) for i in range(4)],
    )
    apps = _apply_all([*pupils, student], p)
    services.programme_draw(actor=admin, programme=p, now=now - timedelta(days=2))
    for app in apps:
        if p.applications.filter(status=Application.Status.OFFERED).exists():
            break
        app.refresh_from_db()
        if app.status == Application.Status.SELECTED and app.participant != student:
            services.application_withdraw(actor=app.applied_by, application_id=app.pk)
    out["offers"] = p
    # Running today: a session today at a real hour, earlier ones already held.
    start = _today_session_start(now)
    p = _state_programme(
        ctx,
        ko="창의 수학 교실 (오늘 수업)",
        en="Creative maths class (session today)",
        selection=Programme.Selection.FCFS,
        capacity=10,
        opens=now - timedelta(days=40),
        closes=now - timedelta(days=20),
        starts=[start - timedelta(days=14), start - timedelta(days=7), start],
    )
    apps = _apply_all(people, p)
    ids = [a.pk for a in apps]
    for s in list(p.sessions.all())[:2]:
        services.attendance_mark(
            actor=admin, session=s, application_ids=ids, present_ids=ids[1:]
        )
    out["today"] = p
    # Finished, attendance taken, certificates not issued yet.
    p = _state_programme(
        ctx,
        ko="가을 수학 탐구 교실 (수료증 발급 대기)",
        en="Autumn maths inquiry class (certificates due)",
        selection=Programme.Selection.FCFS,
        capacity=10,
        opens=now - timedelta(days=80),
        closes=now - timedelta(days=60),
        starts=[_seoul(today - timedelta(days=40 - 7 * i), 16) for i in range(4)],
    )
    apps = _apply_all(people, p)
    ids = [a.pk for a in apps]
    for s in p.sessions.all():
        services.attendance_mark(
            actor=admin, session=s, application_ids=ids, present_ids=ids[:-1]
        )
    out["certificates"] = p
    return out
