"""Demo data for the towns' own services (issue 11): a Pyeongchang member (who books
career counselling, seeded by the mentoring demo), the Seoul "& Jump" reward
programme with applications to select from, and an account an administrator can
appoint as the first officer of a town added from the page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from nanum.core.demo import demo_user
from nanum.core.models import Role

from ..models import Application, RewardApplication, RewardProgramme, Status
from ..services import ApplicationInput, application_approve, application_submit

ESSAYS = [
    "수학을 좋아해서 매일 한 시간씩 공부했습니다. 캠프에서 세계의 친구들과 토론해 보고 싶습니다.",
    "과학자가 꿈입니다. 실험실을 직접 보고 제 진로를 더 구체적으로 정하고 싶습니다.",
    "영어 공부를 꾸준히 했습니다. 캠프에서 자신감을 얻어 동생들에게도 알려 주고 싶습니다.",
    "코딩 동아리를 만들었습니다. 더 넓은 세상에서 배우고 지역에 돌아와 나누고 싶습니다.",
]


def _pyeongchang_member(ctx: Any) -> str:
    tenant = ctx.tenants.get("pyeongchang")
    officer = ctx.users.get("officer.pyeongchang")
    hall = ctx.orgs.get("pyeongchang-hall")
    if tenant is None or officer is None or hall is None:
        return ""
    student = demo_user(
        ctx, "student.pyeongchang", "평창학생", Role.STUDENT, hall, birth_year=2009
    )
    app = application_submit(
        actor=student,
        tenant=tenant,
        data=ApplicationInput(
            full_name="평창학생",
            birth_year=2009,
            school_level="high",
            grade=2,
            category="near_poor",
            consent_collection=True,
            lives_in_town=True,
            district="평창읍",
            phone="010-0000-0001",
            school_name="평창고등학교",
        ),
    )
    today = timezone.localdate()
    application_approve(
        actor=officer,
        application_id=app.pk,
        verified_on=today - timedelta(days=1),
        verified_until=today + timedelta(days=364),
    )
    return student.username


def _reward_programme(ctx: Any) -> int:
    tenant = ctx.tenants.get("seoul")
    if tenant is None:
        return 0
    today = timezone.localdate()
    programme = RewardProgramme.objects.create(
        tenant=tenant,
        title_ko="예일대 여름 캠프",
        title_en="Yale summer camp",
        description="미국 예일대학교에서 2주 동안 열리는 여름 캠프입니다. 항공과 숙박을 지원합니다.",
        criteria="올해 마일리지, 에세이, 멘토 추천",
        essay_prompt="캠프에서 무엇을 배우고, 돌아와 어떻게 나누고 싶나요?",
        places=3,
        min_mileage=50,
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=21),
        involves_travel=True,
    )
    demo_student = ctx.users.get("student")
    members = (
        Application.objects.filter(tenant=tenant, status=Status.APPROVED)
        .exclude(student=demo_student)
        .values_list("student_id", flat=True)
        .order_by("student_id")[:8]
    )
    rows = [
        RewardApplication(
            programme=programme,
            tenant=tenant,
            student_id=sid,
            essay=ESSAYS[i % len(ESSAYS)],
            mileage=420 - i * 35,
        )
        for i, sid in enumerate(members)
    ]
    RewardApplication.objects.bulk_create(rows)
    return len(rows)


def seed(ctx: Any) -> list[str]:
    member = _pyeongchang_member(ctx)
    applications = _reward_programme(ctx)
    # an account an administrator can make the first officer of a new town
    demo_user(ctx, "officer.newtown", "새지역담당", None, None)
    return [
        f"  towns' services: {member or 'no'} Pyeongchang member (career counselling), "
        f"& Jump 예일대 여름 캠프 with {applications} applications "
        "(officer.seoul: /learning/officer/jump/), "
        "admin adds a town at /learning/officer/towns/new/ (first officer: "
        "officer.newtown)",
    ]
