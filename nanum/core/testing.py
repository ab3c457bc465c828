"""Factories and shared personas for every app's tests.

A small world, built per test in a few milliseconds: Seoul and two joining towns, the
office of education, the 강서양천 district office and its districts, a small and a large
school, the central bank and the 강서양천 maths·science bank, a maths–science centre,
and one person per role.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.db import connections

from .errors import DomainError
from .models import District, Organisation, Role, RoleAssignment, Tenant, User

PASSWORD = "correct-horse-battery"  # noqa: S105 - test password
_seq = itertools.count(1)


class TenantFactory(factory.django.DjangoModelFactory[Tenant]):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"town{n}")
    kind = "city"
    name_ko = factory.Sequence(lambda n: f"시험시{n}")
    name_en = factory.Sequence(lambda n: f"Test City {n}")
    programme_name_ko = "시험런"
    programme_name_en = "Test Learn"


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"org-{n}")
    kind = "school"
    school_level = "elementary"
    name_ko = factory.Sequence(lambda n: f"시험{n}초등학교")
    name_en = factory.Sequence(lambda n: f"Test Elementary School {n}")
    tenant = factory.SubFactory(TenantFactory)
    need_index = Decimal("0.500")
    student_count = 300


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"사용자{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    # factory_boy calls this with the built User (not the factory) as first argument.
    @factory.post_generation
    def _save(user: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            user.save()


def make_user(
    username: str,
    role: str | None = None,
    org: Organisation | None = None,
    **kwargs: object,
) -> User:
    if org is not None:
        kwargs.setdefault("home_tenant", org.tenant)
    user = UserFactory.create(username=username, **kwargs)
    if role and org is not None:
        RoleAssignment.objects.create(
            user=user, role=role, organisation=org, tenant=org.tenant
        )
    return user


@dataclass
class World:
    seoul: Tenant
    pyeongchang: Tenant
    gimpo: Tenant
    office: Organisation
    district_office: Organisation
    gangseo: District
    yangcheon: District
    small_school: Organisation
    big_school: Organisation
    middle_school: Organisation
    central_bank: Organisation
    district_bank: Organisation
    other_district_office: Organisation
    other_bank: Organisation
    centre: Organisation
    seoul_hall: Organisation
    pyeongchang_hall: Organisation
    gimpo_hall: Organisation
    university: Organisation
    provider_org: Organisation
    admin: User
    teacher: User
    other_teacher: User
    bank_officer: User
    district_bank_officer: User
    other_bank_officer: User
    centre_staff: User
    student: User
    guardian: User
    mentor: User
    counsellor: User
    seoul_officer: User
    pyeongchang_officer: User
    gimpo_officer: User
    provider: User
    researcher: User


def build_world() -> World:
    seoul = Tenant.objects.create(
        slug="seoul",
        kind="metro",
        name_ko="서울특별시",
        name_en="Seoul",
        programme_name_ko="서울런",
        programme_name_en="Seoul Learn",
        is_home=True,
    )
    pyeongchang = Tenant.objects.create(
        slug="pyeongchang",
        kind="county",
        name_ko="평창군",
        name_en="Pyeongchang County",
        programme_name_ko="평창런",
        programme_name_en="Pyeongchang Learn",
    )
    gimpo = Tenant.objects.create(
        slug="gimpo",
        kind="city",
        name_ko="김포시",
        name_en="Gimpo City",
        programme_name_ko="김포런",
        programme_name_en="Gimpo Learn",
    )

    def org(
        code: str, kind: str, ko: str, en: str, tenant: Tenant = seoul, **kw: object
    ) -> Organisation:
        return Organisation.objects.create(
            code=code, kind=kind, name_ko=ko, name_en=en, tenant=tenant, **kw
        )

    office = org(
        "sen", "office", "서울특별시교육청", "Seoul Metropolitan Office of Education"
    )
    do = org(
        "do-gangseo-yangcheon",
        "district_office",
        "강서양천교육지원청",
        "Gangseo-Yangcheon District Office of Education",
        parent=office,
    )
    other_do = org(
        "do-dongbu",
        "district_office",
        "동부교육지원청",
        "Dongbu District Office of Education",
        parent=office,
    )
    gangseo = District.objects.create(
        code="gangseo",
        name_ko="강서구",
        name_en="Gangseo-gu",
        tenant=seoul,
        district_office=do,
        need_index=Decimal("0.520"),
    )
    yangcheon = District.objects.create(
        code="yangcheon",
        name_ko="양천구",
        name_en="Yangcheon-gu",
        tenant=seoul,
        district_office=do,
        need_index=Decimal("0.350"),
    )
    District.objects.create(
        code="jungnang",
        name_ko="중랑구",
        name_en="Jungnang-gu",
        tenant=seoul,
        district_office=other_do,
        need_index=Decimal("0.680"),
    )
    small = org(
        "school-small",
        "school",
        "가서초등학교",
        "Gaseo Elementary School",
        parent=do,
        district=gangseo,
        school_level="elementary",
        student_count=96,
        need_index=Decimal("0.810"),
    )
    big = org(
        "school-big",
        "school",
        "목동초등학교",
        "Mokdong Elementary School",
        parent=do,
        district=yangcheon,
        school_level="elementary",
        student_count=1450,
        need_index=Decimal("0.150"),
    )
    middle = org(
        "school-middle",
        "school",
        "신월중학교",
        "Sinwol Middle School",
        parent=do,
        district=yangcheon,
        school_level="middle",
        student_count=520,
        need_index=Decimal("0.450"),
    )
    central = org(
        "bank-central",
        "bank",
        "K-STEM 중앙은행",
        "K-STEM Central Bank",
        parent=office,
        bank_type="central",
    )
    dbank = org(
        "bank-gangseo-yangcheon",
        "bank",
        "강서양천 수학·과학 교구 공유 은행",
        "Gangseo-Yangcheon Maths·Science Teaching-Aid Bank",
        parent=do,
        bank_type="math_science",
        district=gangseo,
    )
    obank = org(
        "bank-dongbu",
        "bank",
        "동부 수학·과학 교구 공유 은행",
        "Dongbu Maths·Science Teaching-Aid Bank",
        parent=other_do,
        bank_type="math_science",
    )
    centre = org(
        "msc-dongbu",
        "centre",
        "동부 수학과학융합교육센터",
        "East Maths–Science Convergence Centre",
        parent=other_do,
        point_type="math_science_centre",
    )
    seoul_hall = org(
        "seoul-city", "city_hall", "서울특별시", "Seoul Metropolitan Government"
    )
    pc_hall = org(
        "pyeongchang-hall",
        "city_hall",
        "평창군청",
        "Pyeongchang County Office",
        tenant=pyeongchang,
    )
    gimpo_hall = org(
        "gimpo-hall", "city_hall", "김포시청", "Gimpo City Hall", tenant=gimpo
    )
    uni = org("snu", "university", "서울대학교", "Seoul National University")
    provider_org = org("provider-megastudy", "provider", "메가스터디", "Megastudy")

    admin = make_user(
        "admin", Role.ADMINISTRATOR, office, is_superuser=True, is_staff=True
    )
    return World(
        seoul=seoul,
        pyeongchang=pyeongchang,
        gimpo=gimpo,
        office=office,
        district_office=do,
        gangseo=gangseo,
        yangcheon=yangcheon,
        small_school=small,
        big_school=big,
        middle_school=middle,
        central_bank=central,
        district_bank=dbank,
        other_district_office=other_do,
        other_bank=obank,
        centre=centre,
        seoul_hall=seoul_hall,
        pyeongchang_hall=pc_hall,
        gimpo_hall=gimpo_hall,
        university=uni,
        provider_org=provider_org,
        admin=admin,
        teacher=make_user("teacher", Role.TEACHER, small, display_name="김선생"),
        other_teacher=make_user("teacher2", Role.TEACHER, big, display_name="이선생"),
        bank_officer=make_user("bank", Role.BANK_STAFF, central, display_name="이담당"),
        district_bank_officer=make_user("bank.gangseo", Role.BANK_STAFF, dbank),
        other_bank_officer=make_user("bank.dongbu", Role.BANK_STAFF, obank),
        centre_staff=make_user("centre", Role.CENTRE_STAFF, centre),
        student=make_user("student", Role.STUDENT, middle, birth_year=2011),
        guardian=make_user("guardian", Role.GUARDIAN, middle),
        mentor=make_user("mentor", Role.MENTOR, uni),
        counsellor=make_user("counsellor", Role.COUNSELLOR, seoul_hall),
        seoul_officer=make_user("officer.seoul", Role.TENANT_OFFICER, seoul_hall),
        pyeongchang_officer=make_user("officer.pc", Role.TENANT_OFFICER, pc_hall),
        gimpo_officer=make_user("officer.gimpo", Role.TENANT_OFFICER, gimpo_hall),
        provider=make_user("provider", Role.PROVIDER, provider_org),
        researcher=make_user("researcher", Role.RESEARCHER, uni),
    )


def race(calls: list[Callable[[], object]]) -> list[str]:
    """Run ``calls`` at once, one thread each, released together by a barrier (real
    concurrent transactions on PostgreSQL): each call's outcome is ``"ok"`` or the
    code of the ``DomainError`` it raised, in the order they finished."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes
