"""Town officer journey (Korean): a university student's mentor application waits
for screening; the officer opens both documents, records the checks, approves and
activates the mentor."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from nanum.core import clock
from nanum.core.models import AccessLog
from nanum.mentoring.models import MentorProfile

from .conftest import sign_in

pytestmark = [pytest.mark.browser]


def test_officer_screens_a_mentor_from_the_documents_to_activation(
    demo: None, page: Page
):
    applicant = (
        MentorProfile.objects.filter(
            tenant__slug="seoul", status=MentorProfile.Status.APPLIED
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    assert applicant is not None, "the demo leaves applications waiting"
    assert applicant.checks == {} and applicant.documents.count() == 2
    enrolment = applicant.documents.get(kind="enrolment")

    sign_in(page, "officer.seoul")  # clicks: 1
    page.get_by_role("link", name="멘토링", exact=True).first.click()  # 2
    page.get_by_role("link", name="담당자: 멘토, 매칭, 활동 시간").click()  # 3
    expect(page.get_by_role("heading", name="심사할 멘토 신청")).to_be_visible()
    page.get_by_role("link", name=str(applicant.user), exact=True).click()  # 4
    expect(page.get_by_role("heading", name="서류")).to_be_visible()

    names = []
    for name in ("재학증명서", "성범죄 경력 조회 동의서"):  # 5, 6
        with page.expect_download() as info:
            page.get_by_role("link", name=name, exact=True).click()
        download = info.value
        assert Path(download.path()).read_bytes().startswith(b"%PDF-")
        names.append(download.suggested_filename)
    record = applicant.documents.get(kind="record_check")
    assert names == [f"enrolment-{enrolment.pk}.pdf", f"record_check-{record.pk}.pdf"]

    page.get_by_label("신원 확인 완료").check()
    page.get_by_label("재학증명서 확인 완료").check()
    page.get_by_label("성범죄 경력 조회 완료").check()
    trained = clock.today() - timedelta(days=3)
    page.get_by_label("필수 교육 이수일").fill(trained.isoformat())
    page.get_by_label("결정").select_option("approve")
    page.get_by_role("button", name="저장").click()  # 7
    expect(page.get_by_text("심사 결과를 저장했습니다.")).to_be_visible()
    page.get_by_role("button", name="이 멘토 활동 시작").click()  # 8
    expect(page.get_by_text("멘토 활동을 시작했습니다.")).to_be_visible()

    applicant.refresh_from_db()
    assert applicant.status == MentorProfile.Status.ACTIVE
    assert applicant.checks["enrolment"] and applicant.checks["record_check"]
    assert applicant.training_completed_on == trained
    downloads = AccessLog.objects.filter(
        actor__username="officer.seoul",
        object_type="mentoring.MentorDocument",
        action="download",
    )
    assert sorted(int(x) for x in downloads.values_list("object_id", flat=True)) == [
        d.pk for d in applicant.documents.order_by("pk")
    ]
