"""Demo data: programmes at the four maths–science centres and SNU, teacher training,
open-lab slots, and applications from the demo student, guardian and teacher."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from nanum.core import clock
from nanum.core.demo import DemoContext, demo_user
from nanum.core.models import Organisation, Role

from .. import selectors, services
from ..models import Programme
from ._common import SEOUL, K, _seoul, _try
from ._residential import seed_residential
from ._states import _centre_states, _today_session_start

# org code, kind, ko, en, audience, grades, capacity, selection, share, sessions, hours,
# description (ko)
PROGRAMMES: list[tuple[Any, ...]] = [
    (
        "msc-dongbu",
        K.MATH_UP,
        "Math UP 수학 성장 교실 (초등 3–4학년)",
        "Math UP basic maths class (grades 3–4)",
        "students",
        (3, 4),
        16,
        "fcfs",
        "0",
        8,
        None,
        "분수와 곱셈 기초를 놀이와 교구로 다시 다지는 8주 소그룹 교실입니다.",
    ),
    (
        "msc-dongbu",
        K.FAMILY,
        "주말 가족 수학 교실",
        "Weekend family maths class",
        "families",
        (1, 4),
        12,
        "lottery",
        "0.30",
        4,
        None,
        "보호자와 자녀가 함께 퍼즐과 보드게임으로 수학을 즐깁니다.",
    ),
    (
        "msc-dongbu",
        K.FESTIVAL,
        "봄봄봄 수학 축제",
        "Spring maths festival",
        "students",
        (1, 9),
        200,
        "fcfs",
        "0",
        1,
        None,
        "체험 부스 20개, 수학 마술, 교구 체험.",
    ),
    (
        "msc-seobu",
        K.EUREKA,
        "유레카 수학·과학 아카데미",
        "Eureka maths·science academy",
        "students",
        (5, 9),
        24,
        "lottery",
        "0.30",
        10,
        None,
        "스스로 질문을 세우고 탐구하는 심화 탐구 아카데미 (10회).",
    ),
    (
        "msc-seobu",
        K.METAVERSE,
        "메타버스 3D 디자인 교실",
        "Metaverse 3D design class",
        "students",
        (5, 9),
        20,
        "lottery",
        "0.25",
        6,
        None,
        "메타버스 공간에서 수학 도형으로 나만의 건축물을 설계합니다.",
    ),
    (
        "msc-bukbu",
        K.CAMP,
        "겨울 수학·과학 융합 캠프",
        "Winter maths–science convergence camp",
        "students",
        (3, 9),
        40,
        "lottery",
        "0.30",
        3,
        None,
        "수학 원리와 SW·AI 프로젝트를 결합한 3일 캠프입니다.",
    ),
    (
        "msc-dongjak-gwanak",
        K.CAMP,
        "여름 수학 캠프",
        "Summer maths camp",
        "students",
        (4, 9),
        40,
        "lottery",
        "0.30",
        3,
        None,
        "여름방학 3일 수학 탐구 캠프.",
    ),
    (
        "msc-dongjak-gwanak",
        K.TEACHER_TRAINING,
        "융합 수업 설계 교원 연수",
        "Teacher training: designing convergence lessons",
        "teachers",
        (None, None),
        30,
        "fcfs",
        "0",
        5,
        Decimal("15"),
        "수학·과학 융합 수업 설계와 K-STEM 교구 활용 (15시간).",
    ),
    (
        "snu",
        K.AI,
        "서울대 AI 연구소와 함께하는 AI 프로젝트",
        "AI projects with SNU",
        "students",
        (7, 12),
        30,
        "lottery",
        "0.30",
        6,
        None,
        "실생활 문제를 AI로 해결하는 프로젝트 기반 심화 과정입니다.",
    ),
    (
        "snu",
        K.TEACHER_TRAINING,
        "AI 교육 교원 연수 (서울대 공동 개발)",
        "AI teaching teacher training (with SNU)",
        "teachers",
        (None, None),
        40,
        "fcfs",
        "0",
        6,
        Decimal("30"),
        "서울대와 교육청이 함께 개발한 AI 교수·학습 모델 연수 (30시간).",
    ),
]


def _make(
    ctx: DemoContext,
    row: tuple[Any, ...],
    now: datetime,
    *,
    past: bool = False,
    closed: bool = False,
) -> Programme | None:
    org_code, kind, ko, en, aud, grades, cap, sel, share, n, hours, desc = row
    org = ctx.orgs.get(org_code) or Organisation.objects.filter(code=org_code).first()
    if org is None:
        return None
    admin = ctx.users["admin"]
    if past:
        opens, closes, first = now - timedelta(days=90), now - timedelta(days=70), -60
    elif closed:
        opens, closes, first = now - timedelta(days=20), now - timedelta(hours=2), 14
    else:
        opens, closes = (
            now - timedelta(days=2),
            now + timedelta(days=ctx.rng.randint(5, 20)),
        )
        first = (closes - now).days + 7
    data = services.ProgrammeInput(
        name_ko=ko,
        name_en=en,
        kind=kind,
        audience=aud,
        grade_min=grades[0],
        grade_max=grades[1],
        capacity=cap,
        apply_opens_at=opens,
        apply_closes_at=closes,
        selection=sel,
        priority_share=Decimal(share),
        hours=hours,
        description_ko=desc,
        description_en=en + ".",
    )
    p = services.programme_create(actor=admin, organiser=org, programme=data)
    start = _seoul(timezone.localtime(now, SEOUL).date() + timedelta(days=first), 16)
    for i in range(n):
        s = start + timedelta(days=7 * i if n > 3 else i)
        services.session_add(
            actor=admin,
            programme=p,
            starts_at=s,
            ends_at=s + timedelta(hours=3 if hours else 2),
            place=f"{org.name_ko} {1 + i % 3}실",
            capacity=cap,
            instructor=ctx.rng.choice(["김수학", "이과학", "박탐구", "최융합"]),
        )
    services.programme_set_status(
        actor=admin, programme=p, status=Programme.Status.PUBLISHED
    )
    return p


def _lab_slots(ctx: DemoContext, now: datetime, scale: str) -> int:
    lab_orgs = list(Organisation.objects.filter(point_type="open_lab").order_by("code"))
    count = 0
    per_lab = 6 if scale == "small" else 20
    rooms = ["물리실험실", "화학실험실", "생명과학실험실"]
    notes = ["디지털 현미경 12대", "오실로스코프, 함수발생기", "3D 프린터 2대", ""]
    for lab in lab_orgs[: 6 if scale == "small" else len(lab_orgs)]:
        for i in range(per_lab):
            day = _seoul(
                timezone.localtime(now, SEOUL).date() + timedelta(days=2 + i),
                10 + 3 * (i % 2),
            )
            slot = _try(
                services.lab_slot_create,
                actor=ctx.users["admin"],
                lab=lab,
                room=rooms[i % 3],
                starts_at=day,
                ends_at=day + timedelta(hours=2),
                instructor=ctx.rng.choice(["정실험", "한과학"]),
                max_students=30,
                equipment_note=notes[i % 4],
            )
            count += slot is not None
    return count


def _staff(ctx: DemoContext) -> None:
    """Demo accounts for the SNU programme office and one open lab's school."""
    lab = Organisation.objects.filter(point_type="open_lab").order_by("code").first()
    if "snu" in ctx.orgs and "snu.staff" not in ctx.users:
        demo_user(
            ctx, "snu.staff", "서울대 AI 운영", Role.CENTRE_STAFF, ctx.orgs["snu"]
        )
    if lab is not None and lab.parent and "lab.staff" not in ctx.users:
        demo_user(ctx, "lab.staff", "실험실 담당", Role.CENTRE_STAFF, lab.parent)


@transaction.atomic
def seed(ctx: DemoContext, scale: str) -> list[str]:
    now = clock.now()
    made: list[Programme] = []
    for row in PROGRAMMES:
        p = _make(ctx, row, now)
        if p:
            made.append(p)
    student, guardian = ctx.users.get("student"), ctx.users.get("guardian")
    teacher = ctx.users.get("teacher")
    by_kind = {p.kind: p for p in made}
    # Applications from the demo users.
    if student:
        for kind in (K.EUREKA, K.AI, K.METAVERSE):
            if kind in by_kind:
                _try(services.application_apply, actor=student, programme=by_kind[kind])
    if guardian and K.FAMILY in by_kind:
        child = services.child_add(actor=guardian, name="정어린", grade=4)
        _try(
            services.application_apply,
            actor=guardian,
            programme=by_kind[K.FAMILY],
            child=child,
            declare_priority=True,
        )
    if teacher:
        for p in made:
            if p.kind == K.TEACHER_TRAINING:
                _try(services.application_apply, actor=teacher, programme=p)
    # A finished programme with attendance and a certificate, and a drawn lottery.
    finished = _make(ctx, PROGRAMMES[7], now, past=True)
    if finished and teacher:
        app = _try(
            services.application_apply,
            actor=teacher,
            programme=finished,
            now=finished.apply_opens_at + timedelta(days=1),
        )
        if app:
            for s in finished.sessions.all()[:4]:
                services.attendance_mark(
                    actor=ctx.users["admin"],
                    session=s,
                    application_ids=[app.pk],
                    present_ids=[app.pk],
                )
            services.certificates_issue(actor=ctx.users["admin"], programme=finished)
    drawn = _make(ctx, PROGRAMMES[5], now, closed=True)
    if drawn and student:
        _try(
            services.application_apply,
            actor=student,
            programme=drawn,
            now=drawn.apply_opens_at + timedelta(days=1),
        )
        services.programme_draw(actor=ctx.users["admin"], programme=drawn, now=now)
    slots = _lab_slots(ctx, now, scale)
    _staff(ctx)
    if teacher and slots:
        first = selectors.lab_slots_open(actor=teacher).first()
        if first:
            _try(
                services.lab_book,
                actor=teacher,
                slot_id=first.pk,
                class_name="6-1",
                students=22,
            )
    states = _centre_states(ctx, now)
    residential = seed_residential(ctx, now)
    total = Programme.objects.count()
    lines = [f"programs: {total} programmes, {slots} open-lab slots, demo applications"]
    if states:
        open_ids = [p.pk for p in made if p.organiser.code == "msc-dongbu"]
        when = _today_session_start(now)
        lines.append(
            "programs (user centre, /programs/organiser/<id>/): "
            f"open {open_ids}, waiting for the draw #{states['draw'].pk}, "
            f"offers pending #{states['offers'].pk}, "
            f"running today #{states['today'].pk} (session {when:%H:%M}), "
            f"certificates due #{states['certificates'].pk}"
        )
    return lines + residential
