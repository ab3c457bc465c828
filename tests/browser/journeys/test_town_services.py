"""The services towns actually offer: a Pyeongchang member (English saved, restored at
sign-in) books career counselling with their own town's counsellor although the town
offers no mentoring; a reward programme runs from its opening through a member's
application with an essay to the officer's selection from the shortlist (Korean)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from nanum.core import clock
from nanum.core.models import User
from nanum.learning.models import RewardApplication, RewardProgramme
from nanum.mentoring.models import CounsellingBooking

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_pyeongchang_member_books_career_counselling(demo: None, page: Page):
    member = User.objects.get(username="student.pyeongchang")
    member.preferred_language = "en"
    member.save(update_fields=["preferred_language"])
    assert not CounsellingBooking.objects.filter(student=member).exists()

    sign_in(page, "student.pyeongchang")  # clicks: 1
    expect(page.locator("html")).to_have_attribute("lang", "en")  # restored
    page.get_by_role("link", name="Counselling", exact=True).first.click()  # 2
    slot = page.locator("form.card").first
    expect(slot).to_contain_text("Career")
    slot.get_by_label("Topic").select_option("career")
    slot.get_by_label("What would you like to talk about?").fill(
        "I want to know which university courses fit agriculture."
    )
    slot.get_by_role("button", name="Book").click()  # 3
    expect(
        page.get_by_text("Booked. You will get a reminder the day before.")
    ).to_be_visible()
    booking = CounsellingBooking.objects.select_related("slot__counsellor").get(
        student=member
    )
    assert booking.slot.counsellor.username == "counsellor.pyeongchang"
    assert booking.tenant.slug == "pyeongchang" and booking.topic == "career"


def test_a_reward_programme_runs_from_application_to_selection(demo: None, page: Page):
    today = clock.today()
    sign_in(page, "officer.seoul")  # clicks: 1
    page.get_by_role("link", name="& Jump 프로그램", exact=True).first.click()  # 2
    page.get_by_label("제목(한국어)").fill("과학 캠프")
    page.get_by_label("제목(영어)").fill("Science camp")
    page.get_by_label("에세이 질문").fill("캠프에서 무엇을 배우고 싶나요?")
    page.locator("#id_places").fill("1")
    page.get_by_label("최소 마일리지").fill("0")
    page.get_by_label("신청 시작").fill(today.isoformat())
    page.get_by_label("신청 마감").fill((today - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="프로그램 열기").click()  # 3
    expect(page.locator("#id_closes_on_error")).to_have_text(
        "신청 마감은 신청 시작보다 늦어야 합니다."
    )
    assert not RewardProgramme.objects.filter(title_ko="과학 캠프").exists()
    page.get_by_label("신청 마감").fill((today + timedelta(days=10)).isoformat())
    page.get_by_label("여행 포함(미성년자는 보호자 동의)").check()
    page.get_by_role("button", name="프로그램 열기").click()  # 4
    expect(page.get_by_text("프로그램을 열었습니다.")).to_be_visible()
    programme = RewardProgramme.objects.get(title_ko="과학 캠프")
    assert programme.tenant.slug == "seoul"

    page.context.clear_cookies()
    sign_in(page, "student")  # 5
    page.get_by_role("link", name="& Jump 보상", exact=True).first.click()  # 6
    page.get_by_role("link", name="과학 캠프 신청").click()  # 7
    page.get_by_label("에세이", exact=True).fill("짧아요")
    page.get_by_role("button", name="신청서 보내기").click()  # 8
    expect(page.locator("#id_essay_error")).to_have_text("30자 이상 써 주세요.")
    page.get_by_label("에세이", exact=True).fill(
        "과학자가 꿈입니다. 캠프에서 실험을 직접 해 보고 돌아와 동아리 친구들과 나누고 싶습니다."
    )
    page.get_by_role("button", name="신청서 보내기").click()  # 9
    expect(page.get_by_text("신청이 접수되었습니다.")).to_be_visible()
    application = RewardApplication.objects.get(programme=programme)
    assert application.student.username == "student"

    page.context.clear_cookies()
    sign_in(page, "officer.seoul")  # 10
    page.get_by_role("link", name="& Jump 프로그램", exact=True).first.click()  # 11
    page.get_by_role("link", name="과학 캠프").click()  # 12
    page.get_by_role("button", name="마일리지 순으로 후보 명단 만들기").click()  # 13
    expect(page.get_by_text("후보 명단을 만들었습니다: 1명.")).to_be_visible()
    page.get_by_role("button", name="정학생 선발").click()  # 14
    expect(page.get_by_text("결정을 저장했습니다.")).to_be_visible()
    expect(page.get_by_text("정원 1명 중 1명 선발")).to_be_visible()
    application.refresh_from_db()
    assert application.state == RewardApplication.State.SELECTED

    page.context.clear_cookies()
    sign_in(page, "student")  # 15
    page.get_by_role("link", name="& Jump 보상", exact=True).first.click()  # 16
    mine = page.get_by_role("listitem").filter(has_text="과학 캠프")
    expect(mine).to_contain_text("선정")
    expect(mine).to_contain_text("보호자 동의 대기 중")
