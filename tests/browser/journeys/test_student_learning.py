"""Student journeys in Seoul Learn's own lessons (Korean): the home's "what's next" and
quiz feedback on a phone, and a quiz answer given offline that is recorded exactly once
when the phone is back online."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from nanum.learning.models import Interaction, Item, LessonProgress

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the page scrolls sideways"
    )


def test_home_whats_next_and_quiz_feedback_on_a_phone(
    demo: None, phone_page: Page
) -> None:
    page = phone_page
    sign_in(page, "student")
    page.goto("/learning/me/")
    next_up = page.get_by_role("region", name="다음 할 일")
    expect(next_up).to_be_visible()
    expect(next_up.get_by_role("heading", name="다음 멘토링")).to_be_visible()
    expect(next_up.get_by_role("heading", name="추천 강의")).to_be_visible()
    expect(next_up.get_by_text("일 연속")).to_be_visible()
    expect(next_up.get_by_role("heading", name="읽지 않은 알림")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("최근 8주 주별 학습 시간"))
    expect(chart).to_be_visible()
    _no_sideways_scroll(page)

    # one tap to continue the lesson in progress
    page.get_by_role("link", name="이어서 하기").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    form = page.locator("form.quiz-item").first
    prompt = form.locator("legend").inner_text()
    before = Interaction.objects.filter(student__username="student").count()
    # a wrong answer: the first choice that is not the right one
    form.locator('input[type="radio"]').nth(0).check()
    form.get_by_role("button", name="답하기").click()
    feedback = page.locator("#feedback")
    expect(feedback).to_be_visible()
    assert Interaction.objects.filter(student__username="student").count() == (
        before + 1
    )
    expect(feedback).to_contain_text(prompt.split(". ", 1)[1])
    expect(feedback).to_contain_text("내 답")
    expect(feedback).to_contain_text("정답")
    item = Item.objects.get(pk=int(str(form.get_attribute("id"))[len("item-") :]))
    assert item.explanation
    expect(feedback).to_contain_text(f"사유: {item.explanation}")
    answered = page.locator("form.quiz-item").first
    expect(answered.locator('input[type="radio"]').nth(0)).to_be_checked()
    _no_sideways_scroll(page)
    similar = feedback.get_by_role("link", name="비슷한 문제 풀어 보기")
    expect(similar).to_be_visible()
    similar.click()
    page.wait_for_url("**/learning/lessons/**")
    assert "#item-" in page.url


def _lesson_in_progress(username: str) -> int:
    progress = (
        LessonProgress.objects.filter(student__username=username)
        .order_by("-updated_at")
        .first()
    )
    assert progress is not None, "the demo student has a lesson in progress"
    return int(progress.lesson_id)


def test_an_answer_given_offline_is_recorded_once_back_online(
    demo: None, page: Page
) -> None:
    context: BrowserContext = page.context
    sign_in(page, "student")
    page.goto("/learning/me/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    lesson_url = f"/learning/lessons/{_lesson_in_progress('student')}/"
    page.goto(lesson_url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    title = page.get_by_role("heading", level=1).inner_text()
    before = Interaction.objects.filter(student__username="student").count()

    context.set_offline(True)
    form = page.locator("form.quiz-item").first
    form.locator('input[type="radio"]').nth(1).check()
    form.get_by_role("button", name="답하기").click()
    expect(
        page.get_by_text("오프라인입니다. 답은 이 기기에 저장되었고")
    ).to_be_visible()
    assert Interaction.objects.filter(student__username="student").count() == before
    # the lesson already opened stays readable offline
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # as the phone does
    expect(page.get_by_text("다시 연결되었습니다.")).to_be_visible()
    page.reload()  # the queue is empty: nothing is sent again
    page.wait_for_load_state("networkidle")
    after = Interaction.objects.filter(student__username="student")
    assert after.count() == before + 1
    last = after.order_by("-pk").first()
    assert last is not None and last.answer == 1
    assert page.evaluate("localStorage.getItem('nanum-answer-queue')") == "[]"
