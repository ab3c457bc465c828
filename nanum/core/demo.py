"""Demo data: the real organisation structure, the bank network, towns and demo users.

Other apps add their own demo data in ``nanum/<app>/demo.py`` with a function
``seed(ctx: DemoContext, scale: str) -> list[str]`` that returns lines to print;
``nanum/demo.py`` (the project level) calls them in order.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from .demo_structure import (
    DEMO_PASSWORD,
    DISTRICT_OFFICES,
    HOLIDAYS,
    LEVEL_SUFFIX,
    MATH_SCIENCE_CENTRES,
    PROVIDERS,
    SCHOOL_SIZE,
    SCHOOL_TOTALS,
    SYLLABLES,
    TENANTS,
)
from .models import (
    CalendarDay,
    District,
    Organisation,
    Role,
    RoleAssignment,
    Tenant,
    User,
)


@dataclass
class DemoContext:
    rng: random.Random
    tenants: dict[str, Tenant] = field(default_factory=dict)
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


def _largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    s = sum(weights)
    raw = [total * w / s for w in weights]
    counts = [int(r) for r in raw]
    rest = total - sum(counts)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[:rest]:
        counts[i] += 1
    return counts


def _org(ctx: DemoContext, code: str, **kwargs: object) -> Organisation:
    org = Organisation.objects.create(code=code, **kwargs)
    ctx.orgs[code] = org
    return org


def seed_structure(ctx: DemoContext) -> None:
    for slug, kind, ko, en, pko, pen, status, joined, colour in TENANTS:
        ctx.tenants[slug] = Tenant.objects.create(
            slug=slug,
            kind=kind,
            name_ko=ko,
            name_en=en,
            programme_name_ko=pko,
            programme_name_en=pen,
            status=status,
            joined_on=joined,
            primary_colour=colour,
            is_home=slug == "seoul",
        )
    seoul = ctx.tenants["seoul"]
    office = _org(
        ctx,
        "sen",
        kind="office",
        tenant=seoul,
        name_ko="서울특별시교육청",
        name_en="Seoul Metropolitan Office of Education",
    )
    _org(
        ctx,
        "seoul-city",
        kind="city_hall",
        tenant=seoul,
        name_ko="서울특별시",
        name_en="Seoul Metropolitan Government",
    )
    for slug, tenant in ctx.tenants.items():
        if slug != "seoul":
            _org(
                ctx,
                f"{slug}-hall",
                kind="city_hall",
                tenant=tenant,
                name_ko=tenant.name_ko + "청",
                name_en=tenant.name_en + " Office",
            )
    institute_sci = _org(
        ctx,
        "sci-institute",
        kind="institute",
        tenant=seoul,
        parent=office,
        name_ko="서울특별시교육청융합과학교육원",
        name_en="Convergence Science Education Institute",
    )
    institute_info = _org(
        ctx,
        "info-institute",
        kind="institute",
        tenant=seoul,
        parent=office,
        name_ko="서울특별시교육청교육연구정보원",
        name_en="Education Research & Information Institute",
    )
    _org(
        ctx,
        "snu",
        kind="university",
        tenant=seoul,
        name_ko="서울대학교",
        name_en="Seoul National University",
    )
    for code, ko, en in PROVIDERS:
        _org(
            ctx,
            f"provider-{code}",
            kind="provider",
            tenant=seoul,
            name_ko=ko,
            name_en=en,
        )

    # The bank network: central, two specialised banks, one per district office.
    _org(
        ctx,
        "bank-central",
        kind="bank",
        bank_type="central",
        tenant=seoul,
        parent=office,
        name_ko="K-STEM 중앙은행",
        name_en="K-STEM Central Bank",
    )
    _org(
        ctx,
        "bank-science",
        kind="bank",
        bank_type="science_advanced",
        tenant=seoul,
        parent=institute_sci,
        name_ko="과학 첨단기자재 공유 은행",
        name_en="Advanced Science Equipment Bank",
    )
    _org(
        ctx,
        "bank-aisw",
        kind="bank",
        bank_type="ai_sw",
        tenant=seoul,
        parent=institute_info,
        name_ko="AI·SW교육 교구 공유 은행",
        name_en="AI·SW Teaching-Aid Bank",
    )
    _org(
        ctx,
        "point-aisw",
        kind="lending_point",
        point_type="ai_sw_point",
        tenant=seoul,
        parent=ctx.orgs["bank-aisw"],
        name_ko="교육연구정보원 AI·SW 체험 거점",
        name_en="AI·SW Experience Point (Research & Information Institute)",
    )

    for code, ko, en, districts in DISTRICT_OFFICES:
        do = _org(
            ctx,
            f"do-{code}",
            kind="district_office",
            tenant=seoul,
            parent=office,
            name_ko=ko,
            name_en=en,
        )
        short_ko = ko.removesuffix("교육지원청")
        short_en = en.removesuffix(" District Office of Education")
        _org(
            ctx,
            f"bank-{code}",
            kind="bank",
            bank_type="math_science",
            tenant=seoul,
            parent=do,
            name_ko=f"{short_ko} 수학·과학 교구 공유 은행",
            name_en=f"{short_en} Maths·Science Teaching-Aid Bank",
        )
        for dcode, dko, den, _pop, need in districts:
            District.objects.create(
                code=dcode,
                name_ko=dko,
                name_en=den,
                tenant=seoul,
                district_office=do,
                need_index=Decimal(f"{need:.3f}"),
            )
        first_district = District.objects.get(code=districts[0][0])
        _org(
            ctx,
            f"sci-centre-{code}",
            kind="lending_point",
            point_type="science_centre",
            tenant=seoul,
            parent=ctx.orgs[f"bank-{code}"],
            district=first_district,
            name_ko=f"{short_ko}과학교육센터",
            name_en=f"{short_en} Science Education Centre",
        )
    for code, office_code, ko, en in MATH_SCIENCE_CENTRES:
        do = ctx.orgs[f"do-{office_code}"]
        _org(
            ctx,
            code,
            kind="centre",
            point_type="math_science_centre",
            tenant=seoul,
            parent=do,
            district=do.covered_districts.first(),
            name_ko=ko,
            name_en=en,
        )


def seed_schools(ctx: DemoContext) -> None:
    rng = ctx.rng
    seoul = ctx.tenants["seoul"]
    districts = list(
        District.objects.filter(tenant=seoul).select_related("district_office")
    )
    pops = {d[0]: d[3] for _c, _k, _e, ds in DISTRICT_OFFICES for d in ds}
    weights = [pops[d.code] for d in districts]
    used: set[str] = set()
    schools: list[Organisation] = []
    for level, total in SCHOOL_TOTALS.items():
        counts = _largest_remainder(total, weights)
        suffix_ko, suffix_en = LEVEL_SUFFIX[level]
        mean, sd = SCHOOL_SIZE[level]
        for district, count in zip(districts, counts, strict=True):
            for _ in range(count):
                while True:
                    a, b = rng.sample(SYLLABLES, 2)
                    ko = a[0] + b[0] + suffix_ko
                    if ko not in used:
                        used.add(ko)
                        break
                en = (a[1] + b[1]).capitalize() + " " + suffix_en
                size = max(40, int(rng.gauss(mean, sd)))
                need = float(district.need_index or 0) + rng.gauss(0, 0.12)
                need += 0.1 if size < mean * 0.5 else 0.0
                schools.append(
                    Organisation(
                        code=f"school-{len(schools) + 1:04d}",
                        kind="school",
                        school_level=level,
                        tenant=seoul,
                        parent=district.district_office,
                        district=district,
                        name_ko=ko,
                        name_en=en,
                        student_count=size,
                        need_index=Decimal(f"{min(1.0, max(0.0, need)):.3f}"),
                    )
                )
    Organisation.objects.bulk_create(schools, batch_size=500)
    # 18 science-focused high schools with open labs (lending points).
    highs = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.SCHOOL, school_level=Organisation.SchoolLevel.HIGH
        ).order_by("code")
    )
    for school in rng.sample(highs, 18):
        school.science_focused = True
        school.save(update_fields=["science_focused"])
        _org(
            ctx,
            f"openlab-{school.code}",
            kind="lending_point",
            point_type="open_lab",
            tenant=seoul,
            parent=school,
            district=school.district,
            name_ko=f"{school.name_ko} 개방형 실험실",
            name_en=f"{school.name_en} Open Lab",
        )


def seed_calendar() -> None:
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=d, kind="holiday", name_ko=ko, name_en=en)
            for d, ko, en in HOLIDAYS
        ]
    )


def demo_user(
    ctx: DemoContext,
    username: str,
    display_name: str,
    role: str | None,
    org: Organisation | None,
    *,
    tenant: Tenant | None = None,
    superuser: bool = False,
    birth_year: int | None = None,
) -> User:
    user = User(
        username=username,
        display_name=display_name,
        email=f"{username}@demo.nanum.local",
        home_tenant=tenant or (org.tenant if org else None),
        is_staff=superuser,
        is_superuser=superuser,
        birth_year=birth_year,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    if role and org:
        RoleAssignment.objects.create(
            user=user, role=role, organisation=org, tenant=org.tenant
        )
    ctx.users[username] = user
    return user


def seed_users(ctx: DemoContext) -> None:
    o = ctx.orgs
    small_school = (
        Organisation.objects.filter(
            kind=Organisation.Kind.SCHOOL,
            school_level=Organisation.SchoolLevel.ELEMENTARY,
            district__code="gangseo",
        )
        .order_by("student_count")
        .first()
    )
    middle = (
        Organisation.objects.filter(
            kind=Organisation.Kind.SCHOOL,
            school_level=Organisation.SchoolLevel.MIDDLE,
            district__code="gwanak",
        )
        .order_by("-need_index")
        .first()
    )
    if small_school is None or middle is None:
        raise RuntimeError("seed_structure must run first: no Gangseo or Gwanak school")
    ctx.orgs["demo-school"] = small_school
    ctx.orgs["demo-middle"] = middle
    demo_user(ctx, "admin", "관리자", Role.ADMINISTRATOR, o["sen"], superuser=True)
    demo_user(ctx, "teacher", "김선생", Role.TEACHER, small_school)
    demo_user(ctx, "bank.central", "이담당", Role.BANK_STAFF, o["bank-central"])
    demo_user(
        ctx, "bank.gangseo", "박담당", Role.BANK_STAFF, o["bank-gangseo-yangcheon"]
    )
    demo_user(ctx, "centre", "최운영", Role.CENTRE_STAFF, o["msc-dongbu"])
    demo_user(ctx, "student", "정학생", Role.STUDENT, middle, birth_year=2011)
    demo_user(ctx, "guardian", "정보호", Role.GUARDIAN, middle)
    demo_user(ctx, "child", "정어린", Role.STUDENT, small_school, birth_year=2016)
    demo_user(ctx, "mentor", "한멘토", Role.MENTOR, o["snu"])
    demo_user(ctx, "counsellor", "윤상담", Role.COUNSELLOR, o["seoul-city"])
    demo_user(ctx, "officer.seoul", "서울담당", Role.TENANT_OFFICER, o["seoul-city"])
    demo_user(
        ctx,
        "officer.pyeongchang",
        "평창담당",
        Role.TENANT_OFFICER,
        o["pyeongchang-hall"],
    )
    demo_user(ctx, "officer.gimpo", "김포담당", Role.TENANT_OFFICER, o["gimpo-hall"])
    demo_user(ctx, "provider", "메가담당", Role.PROVIDER, o["provider-megastudy"])
    demo_user(ctx, "researcher", "연구자", Role.RESEARCHER, o["snu"])


@transaction.atomic
def seed_core(*, seed: int = 2026) -> DemoContext:
    ctx = DemoContext(rng=random.Random(seed))
    seed_structure(ctx)
    seed_schools(ctx)
    seed_calendar()
    seed_users(ctx)
    return ctx


def load_context(*, seed: int = 2026) -> DemoContext:
    """Rebuild the context from an already seeded database."""
    ctx = DemoContext(rng=random.Random(seed))
    ctx.tenants = {t.slug: t for t in Tenant.objects.all()}
    ctx.orgs = {
        o.code: o for o in Organisation.objects.exclude(kind=Organisation.Kind.SCHOOL)
    }
    ctx.users = {
        u.username: u for u in User.objects.filter(email__endswith="@demo.nanum.local")
    }
    return ctx
