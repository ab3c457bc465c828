"""Town providers journey (Korean): Pyeongchang's officer adds a lecture site with this
year's seats, gives one of its staff an account (a one-time password shown once; a
taken username is refused first) and shows the site's hand-off secret once; the staff
member signs in with the password and sees the site's seats page; no administrator and no Django admin on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nanum.core.models import AuditLog, Organisation, Role, User
from nanum.learning.models import ProviderProfile, SeatAllocation

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_an_officer_adds_a_provider_and_its_staff_signs_in(demo: None, page: Page):
    users_before = User.objects.count()
    sign_in(page, "officer.pyeongchang")  # clicks: 1
    page.get_by_role("link", name="지역 페이지와 규칙", exact=True).first.click()  # 2
    page.get_by_role("link", name="평창군 편집").click()  # 3
    page.get_by_role("link", name="우리 지역 학습 사이트 추가·수정").click()  # 4
    page.get_by_label("이름(한국어)").fill("평창 온라인 학당")
    page.get_by_label("학생 접속 주소").fill("https://pc-academy.example/start")
    page.get_by_label("올해 좌석 수").fill("25")
    page.get_by_role("button", name="학습 사이트 추가하기").click()  # 5
    expect(page.get_by_role("heading", name="평창군: 평창 온라인 학당")).to_be_visible()
    org = Organisation.objects.get(name_ko="평창 온라인 학당")
    assert org.tenant.slug == "pyeongchang"
    assert SeatAllocation.objects.get(provider=org).seats == 25
    expect(page.get_by_text("아직 담당자 계정이 없습니다.")).to_be_visible()

    # A username someone already has is refused on its field; nothing is made.
    page.get_by_label("담당자 이름").fill("김평창")
    page.get_by_label("로그인 아이디").fill("student")
    page.get_by_role("button", name="담당자 계정 추가").click()  # 6
    expect(page.locator("#id_username_error")).to_contain_text("이미")
    assert User.objects.count() == users_before
    page.get_by_label("로그인 아이디").fill("pc.academy")
    page.get_by_role("button", name="담당자 계정 추가").click()  # 7
    password = page.locator("#one-time-password").inner_text()
    assert len(password) == 19
    staff = User.objects.get(username="pc.academy")
    assert staff.display_name == "김평창" and staff.has_role(Role.PROVIDER)
    assert staff.role_assignments.get().organisation == org
    assert AuditLog.objects.filter(
        action="learning.town.provider.staff_add", object_id=str(org.pk)
    ).exists()

    # The hand-off secret, shown once, for the provider's technical contact.
    page.get_by_role("button", name="비밀값을 한 번 보기").click()  # 8
    profile = ProviderProfile.objects.get(organisation=org)
    expect(page.locator("#secret-value")).to_have_text(str(profile.handoff_secret))
    expect(page.get_by_role("button", name="비밀값을 한 번 보기")).to_have_count(0)

    # The staff member signs in with the one-time password.
    page.context.clear_cookies()
    page.goto("/")
    page.get_by_label("아이디").fill("pc.academy")
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()  # 9
    page.wait_for_url("**/")
    page.get_by_role("link", name="이용권과 이용 현황", exact=True).first.click()  # 10
    expect(page.get_by_role("heading", level=1)).to_contain_text("평창 온라인 학당")
    expect(page.get_by_role("heading", name="사용 중인 좌석")).to_be_visible()
