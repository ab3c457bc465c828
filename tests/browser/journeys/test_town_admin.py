"""Town self-service journey: the administrator adds a new town from the page (Korean),
then its first officer signs in, switches to English, refuses and then saves a change
of the town's rules, and approves the town's first member."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nanum.core import clock
from nanum.core.models import AuditLog, Role, Tenant, User
from nanum.learning.models import Application, Status, TenantPolicy
from nanum.learning.services import ApplicationInput, application_submit

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_admin_adds_a_town_and_its_officer_runs_it(demo: None, page: Page):
    before = Tenant.objects.count()
    sign_in(page, "admin")  # clicks: 1
    page.get_by_role("link", name="지역 페이지와 규칙", exact=True).first.click()  # 2
    page.get_by_role("link", name="지역 추가").click()  # 3
    page.get_by_label("지역 이름(한국어)").fill("단양군")
    page.get_by_label("지역 이름(영어)").fill("Danyang")
    page.get_by_label("주소(영문 소문자, 숫자, 하이픈)").fill("danyang")
    page.get_by_label("지역 종류").select_option("county")
    page.get_by_label("사업 이름(한국어)").fill("단양런")
    page.get_by_label("사업 이름(영어)").fill("Danyang Learn")
    page.get_by_label("첫 담당자(기존 계정의 아이디)").fill("officer.newtown")
    page.get_by_label("최소 나이").fill("8")
    page.get_by_label("최대 나이").fill("19")
    page.locator("input[name=services][value=jump]").check()
    page.get_by_label("전체 정원(비우면 제한 없음)").fill("100")
    page.get_by_label("중학교 정원").fill("-5")
    page.get_by_label("한 줄 소개(한국어)").fill("단양 학생의 꿈을 응원합니다")
    page.get_by_label("페이지 본문(한국어)").fill(
        "단양군 청소년을 위한 무료 온라인 강의"
    )
    page.get_by_label("메가스터디 좌석 수").fill("30")
    page.get_by_role("button", name="지역 추가하기").click()  # 4
    expect(page.locator("#id_quota_middle_error")).to_have_text(
        "정원은 0보다 작을 수 없습니다."
    )
    assert Tenant.objects.count() == before
    page.get_by_label("중학교 정원").fill("40")
    page.get_by_role("button", name="지역 추가하기").click()  # 5
    expect(page.get_by_text("지역이 개설되었습니다.")).to_be_visible()
    tenant = Tenant.objects.get(slug="danyang")
    policy = TenantPolicy.objects.get(tenant=tenant)
    assert (policy.min_age, policy.max_age, policy.quota_middle) == (8, 19, 40)
    assert policy.offers("jump") and tenant.seat_allocations.get().seats == 30
    officer = User.objects.get(username="officer.newtown")
    assert officer.has_role(Role.TENANT_OFFICER)
    page.goto("/learning/t/danyang/")
    expect(page.get_by_text("단양군 청소년을 위한 무료 온라인 강의")).to_be_visible()

    # The town's first member applies (the application form is another journey).
    student = User.objects.create_user(
        username="danyang.student", display_name="단양학생", birth_year=2011
    )
    app = application_submit(
        actor=student,
        tenant=tenant,
        data=ApplicationInput(
            full_name="단양학생",
            birth_year=2011,
            school_level="middle",
            grade=3,
            category="basic_livelihood",
            consent_collection=True,
            lives_in_town=True,
            district="단양읍",
            phone="010-2222-3333",
        ),
    )

    page.context.clear_cookies()
    sign_in(page, "officer.newtown")  # 6
    page.get_by_label("언어").select_option("en")
    page.get_by_role("button", name="언어 변경").click()  # 7
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Town page and rules", exact=True).first.click()  # 8
    page.get_by_role("link", name="Edit Danyang").click()  # 9
    page.get_by_label("Minimum age").fill("20")
    page.get_by_role("button", name="Save the rules").click()  # 10
    expect(page.locator("#id_max_age_error")).to_have_text(
        "The age range is empty: the maximum age is below the minimum age."
    )
    policy.refresh_from_db()
    assert policy.min_age == 8
    page.get_by_label("Minimum age").fill("10")
    page.get_by_label("Maximum age").fill("18")
    page.get_by_role("button", name="Save the rules").click()  # 11
    expect(page.get_by_text("The rules were saved.")).to_be_visible()
    policy.refresh_from_db()
    assert (policy.min_age, policy.max_age) == (10, 18)
    assert AuditLog.objects.filter(
        action="learning.town.rules", actor=officer, tenant=tenant
    ).exists()

    page.get_by_role("link", name="Applications to review", exact=True).first.click()
    page.get_by_role("link", name=str(app.pk), exact=True).click()  # 13
    page.get_by_label("Decision").select_option("approve")
    page.get_by_label("Verified against official records on").fill(
        clock.today().isoformat()
    )
    page.get_by_role("button", name="Save decision").click()  # 14
    expect(
        page.get_by_text("The decision was saved and the student told.")
    ).to_be_visible()
    app.refresh_from_db()
    assert app.status == Status.APPROVED
    assert Application.objects.filter(tenant=tenant).count() == 1
