"""Demo data for Seoul Learn: the towns' rules of BRIEF §4, providers and seats,
applications in every state, and a demo student with a few weeks of study."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from nanum.core.models import Organisation, Role, RoleAssignment, User

from ..models import (
    Application,
    ChangeWindow,
    Course,
    GuardianLink,
    Item,
    Lesson,
    PlanEntry,
    ProviderCourse,
    ProviderProfile,
    Seat,
    SeatAllocation,
    Status,
    StudyDay,
    TenantNotice,
    TenantPolicy,
    WeeklyGoal,
)
from ..services import (
    ApplicationInput,
    answer_record,
    application_approve,
    application_submit,
    places_allocate,
    seat_choose,
    seats_assign_bulk,
)
from . import _guardians, _services
from ._data import COURSES, LESSONS, TOWNS
from ._lectures import seed_lectures

UNUSABLE = "!"  # an unusable password hash: these accounts cannot sign in


def _policies(ctx: Any) -> None:
    today = timezone.localdate()
    for slug, spec in TOWNS.items():
        tenant = ctx.tenants.get(slug)
        if tenant is None:
            continue
        TenantPolicy.objects.create(
            tenant=tenant,
            tagline_ko=spec["tagline"][0],
            tagline_en=spec["tagline"][1],
            **spec["policy"],
        )
        TenantNotice.objects.create(
            tenant=tenant,
            title=f"{today.year}년 {tenant.programme_name_ko} 회원 모집",
            body="신청 서류와 자격 요건을 확인하고 신청해 주세요. 주민등록번호는 받지 않습니다.",
        )
        ChangeWindow.objects.create(
            tenant=tenant,
            starts_on=today.replace(day=1),
            ends_on=today.replace(day=1) + timedelta(days=9),
        )


def _providers(ctx: Any) -> dict[str, Organisation]:
    providers = {
        code.removeprefix("provider-"): org
        for code, org in ctx.orgs.items()
        if org.kind == Organisation.Kind.PROVIDER
    }
    year = timezone.localdate().year
    for code, org in providers.items():
        ProviderProfile.objects.create(
            organisation=org, launch_url=f"https://{code}.example/nanum/start"
        )
        for title, subject, level, grade in COURSES.get(code, []):
            ProviderCourse.objects.create(
                provider=org,
                title=title,
                subject=subject,
                school_level=level,
                grade=grade,
            )
    for slug, spec in TOWNS.items():
        tenant = ctx.tenants.get(slug)
        if tenant is None:
            continue
        for code, seats in spec["seats"].items():
            if code in providers:
                SeatAllocation.objects.create(
                    tenant=tenant, provider=providers[code], year=year, seats=seats
                )
    seed_lectures(providers)
    return providers


def _lessons() -> list[Lesson]:
    lessons = []
    for title, subject, level, grade, units in LESSONS:
        course = Course.objects.create(
            title=title,
            subject=subject,
            school_level=level,
            grade=grade,
            description="나눔 자체 학습 콘텐츠",
        )
        for order, (ltitle, skill, items) in enumerate(units, start=1):
            lesson = Lesson.objects.create(
                course=course,
                order=order,
                title=ltitle,
                minutes=15,
                skills=[skill],
                reading=f"{ltitle}의 개념을 예제와 함께 익힙니다.",
                video_url="https://www.ebs.co.kr/",
            )
            for n, (prompt, choices, answer, why, why_en) in enumerate(items, 1):
                Item.objects.create(
                    lesson=lesson,
                    order=n,
                    prompt=prompt,
                    choices=choices,
                    answer=answer,
                    skills=[skill],
                    explanation=why,
                    explanation_en=why_en,
                )
            lessons.append(lesson)
    return lessons


def _crowd(ctx: Any, scale: str, providers: dict[str, Organisation]) -> int:
    """Synthetic applicants in every state (bulk, no passwords)."""
    rng = ctx.rng
    per_town = 40 if scale == "small" else 1500
    levels = {"elementary": (2014, 5), "middle": (2011, 2), "high": (2009, 2)}
    states = (
        [Status.SUBMITTED] * 3
        + [Status.MORE_INFO, Status.REJECTED]
        + [Status.WAITING] * 5
    )
    total = 0
    now = timezone.now()
    for slug in ("seoul", "chungbuk", "pyeongchang", "gimpo", "taebaek", "yecheon"):
        tenant = ctx.tenants.get(slug)
        if tenant is None:
            continue
        policy = TenantPolicy.objects.get(tenant=tenant)
        users = User.objects.bulk_create(
            [
                User(
                    username=f"demo-{slug}-{i:05d}",
                    display_name=f"{tenant.name_ko} 학생{i}",
                    home_tenant=tenant,
                    password=UNUSABLE,
                )
                for i in range(per_town)
            ]
        )
        apps = []
        for u in users:
            level = rng.choice(policy.school_levels)
            born, grade = levels.get(level, (2010, 1))
            cat = rng.choice(["basic_livelihood", "near_poor", "single_parent"])
            status = rng.choice(states)
            apps.append(
                Application(
                    tenant=tenant,
                    student=u,
                    applicant=u,
                    status=status,
                    full_name=u.display_name,
                    birth_year=born,
                    school_level=level,
                    grade=grade,
                    category=cat,
                    sensitive={"income_pct": None, "family_status": ""},
                    district=tenant.name_ko,
                    lives_in_town=True,
                    priority_rank=policy.priority_rank(cat),
                    consent_collection=True,
                    submitted_at=now - timedelta(days=rng.randint(1, 120)),
                    reason="서류가 확인되지 않았습니다."
                    if status == Status.REJECTED
                    else "",
                    decided_at=now
                    if status in (Status.REJECTED, Status.WAITING)
                    else None,
                    approved_at=now if status == Status.WAITING else None,
                    preferred_provider=providers.get(
                        rng.choice(list(TOWNS[slug]["seats"]) or ["x"])
                    ),
                )
            )
        Application.objects.bulk_create(apps, batch_size=1000)
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    user=u,
                    role=Role.STUDENT,
                    tenant=tenant,
                    organisation=ctx.orgs[f"{slug}-hall"]
                    if slug != "seoul"
                    else ctx.orgs["seoul-city"],
                )
                for u in users
            ]
        )
        total += len(users)
    places_allocate()
    for slug in TOWNS:
        if slug in ctx.tenants:
            seats_assign_bulk(tenant_id=ctx.tenants[slug].pk)
    # some study for members, so figures are not empty
    days = []
    today = timezone.localdate()
    for sid in Seat.objects.filter(state="active").values_list("student_id", flat=True)[
        :3000
    ]:
        for back in range(0, 28, rng.randint(1, 4)):
            days.append(
                StudyDay(
                    student_id=sid,
                    day=today - timedelta(days=back),
                    provider_minutes=rng.randint(10, 90),
                )
            )
    StudyDay.objects.bulk_create(days, batch_size=2000, ignore_conflicts=True)
    # most seats were used recently; some are idle (for the officers' figures)
    active = list(Seat.objects.filter(state="active").values_list("pk", flat=True))
    used = [pk for pk in active if rng.random() < 0.8]
    for i in range(0, len(used), 900):
        Seat.objects.filter(pk__in=used[i : i + 900]).update(
            last_used_on=today - timedelta(days=rng.randint(0, 6))
        )
    return total


def _demo_student(ctx: Any, lessons: list[Lesson]) -> None:
    student = ctx.users.get("student")
    seoul = ctx.tenants["seoul"]
    officer = ctx.users.get("officer.seoul")
    if student is None or officer is None:
        return
    app = application_submit(
        actor=student,
        tenant=seoul,
        data=ApplicationInput(
            full_name="정학생",
            birth_year=student.birth_year or 2011,
            school_level="middle",
            grade=2,
            category="basic_livelihood",
            consent_collection=True,
            lives_in_town=True,
            district="관악구",
            phone="010-0000-0000",
            school_name="관악중학교",
        ),
    )
    application_approve(
        actor=officer,
        application_id=app.pk,
        verified_on=timezone.localdate() - timedelta(days=1),
        verified_until=timezone.localdate() + timedelta(days=364),
    )
    mbest = Organisation.objects.filter(code="provider-mbest").first()
    if mbest:
        seat_choose(actor=student, provider_id=mbest.pk)
    today = timezone.localdate()
    StudyDay.objects.bulk_create(
        [
            StudyDay(
                student=student,
                day=today - timedelta(days=i),
                provider_minutes=ctx.rng.randint(20, 80),
            )
            for i in range(1, 60)
            if i % 7 != 3
        ],
        ignore_conflicts=True,
    )
    WeeklyGoal.objects.create(
        student=student, target_minutes=300, note="수학 개념 완성"
    )
    PlanEntry.objects.bulk_create(
        [
            PlanEntry(student=student, weekday=0, subject="수학", minutes=40),
            PlanEntry(student=student, weekday=2, subject="영어", minutes=30),
            PlanEntry(student=student, weekday=4, subject="과학", minutes=30),
        ]
    )
    for item in lessons[0].items.all():
        answer_record(
            actor=student, item_id=item.pk, answer=item.answer, duration_ms=40_000
        )
    first = lessons[1].items.first()
    if first:
        answer_record(actor=student, item_id=first.pk, answer=0, duration_ms=30_000)
    guardian, child = ctx.users.get("guardian"), ctx.users.get("child")
    if guardian and child:
        GuardianLink.objects.create(guardian=guardian, child=child)
        application_submit(
            actor=guardian,
            student_id=child.pk,
            tenant=seoul,
            data=ApplicationInput(
                full_name="정어린",
                birth_year=child.birth_year or 2016,
                school_level="elementary",
                grade=4,
                category="near_poor",
                consent_collection=True,
                lives_in_town=True,
                guardian_consent=True,
                district="강서구",
            ),
        )


@transaction.atomic
def seed(ctx: Any, scale: str) -> list[str]:
    _policies(ctx)
    providers = _providers(ctx)
    lessons = _lessons()
    _demo_student(ctx, lessons)
    crowd = _crowd(ctx, scale, providers)
    services_lines = _services.seed(ctx) + _guardians.seed(ctx)
    return [
        f"Seoul Learn: {TenantPolicy.objects.count()} town policies, "
        f"{SeatAllocation.objects.count()} seat allocations, {crowd} synthetic applicants, "
        f"{Application.objects.filter(status=Status.APPROVED).count()} members, "
        f"{Seat.objects.filter(state='active').count()} seats in use",
        "  demo: student (member with a seat at 엠베스트), guardian (applied for child), "
        "officer.seoul / officer.pyeongchang / officer.gimpo, provider (메가스터디)",
        *services_lines,
    ]
