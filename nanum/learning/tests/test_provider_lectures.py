"""Providers' lecture catalogues: import (page, API, file), isolation, the hand-off."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from nanum.core.demo import seed_core
from nanum.core.models import Organisation, Role
from nanum.core.spreadsheets import spreadsheet_bytes
from nanum.core.testing import make_user
from nanum.learner_model import demo as lm_demo
from nanum.learner_model import selectors as lm_selectors
from nanum.learner_model.models import Standard
from nanum.learning import demo
from nanum.learning.models import Course, Item, Lesson, ProviderLecture, Seat
from nanum.learning.selectors import seat_lectures
from nanum.learning.services import seats as seat_svc
from nanum.learning.services.applications import application_approve
from nanum.learning.services.study import answer_record

from .conftest import new_student

pytestmark = pytest.mark.django_db

HEADER = "title,subject,level,grade,standards,url\n"
GOOD = (
    HEADER
    + "소인수분해 개념,수학,middle,1,[9수01-01],https://lecture.example/l/1\n"
    + '유리수 계산,수학,중학,1,"[9수01-03] [9수01-04]",https://lecture.example/l/2\n'
)


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("lectures.csv", text.encode(), "text/csv")


def _other_provider(world):
    org = Organisation.objects.create(
        code="provider-other",
        kind="provider",
        name_ko="다른곳",
        name_en="Other",
        tenant=world.seoul,
    )
    return org, make_user("provider.other", Role.PROVIDER, org)


def test_provider_imports_a_csv_catalogue_and_reimporting_updates_by_url(
    world, client_for
):
    client = client_for(world.provider)
    r = client.post(reverse("learning:provider_lectures"), {"file": _csv(GOOD)})
    assert r.status_code == 302
    lec = ProviderLecture.objects.get(url="https://lecture.example/l/2")
    assert lec.provider == world.provider_org
    assert lec.school_level == "middle" and lec.grade == 1
    assert lec.standards == ["[9수01-03]", "[9수01-04]"]
    again = GOOD.replace("유리수 계산", "유리수의 사칙계산")
    client.post(reverse("learning:provider_lectures"), {"file": _csv(again)})
    assert ProviderLecture.objects.count() == 2
    lec.refresh_from_db()
    assert lec.title == "유리수의 사칙계산"
    page = client.get(reverse("learning:provider_lectures")).content.decode()
    assert "유리수의 사칙계산" in page and "[9수01-01]" in page


def test_an_excel_catalogue_imports_too(world, client_for):
    body, _ct = spreadsheet_bytes(
        ["title", "subject", "level", "grade", "standards", "url"],
        [["정수와 유리수", "수학", "middle", 1, "[9수01-03]", "https://l.example/x"]],
        fmt="xlsx",
    )
    r = client_for(world.provider).post(
        reverse("learning:provider_lectures"),
        {"file": SimpleUploadedFile("c.xlsx", body)},
    )
    assert r.status_code == 302
    assert ProviderLecture.objects.get().standards == ["[9수01-03]"]


def test_a_bad_catalogue_changes_nothing_and_names_each_row(world, client_for):
    client = client_for(world.provider)
    client.post(reverse("learning:provider_lectures"), {"file": _csv(GOOD)})
    bad = (
        HEADER
        + "바뀐 제목,수학,middle,1,[9수01-01],https://lecture.example/l/1\n"
        + ",수학,middle,1,[9수01-01],https://lecture.example/l/3\n"
        + "학년 오류,수학,middle,5,[9수01-01],https://lecture.example/l/4\n"
        + "기준 없음,수학,middle,1,none,https://lecture.example/l/5\n"
        + "주소 오류,수학,college,1,[9수01-01],javascript:alert(1)\n"
    )
    r = client.post(reverse("learning:provider_lectures"), {"file": _csv(bad)})
    body = r.content.decode()
    assert r.status_code == 200
    for n in ("3", "4", "5", "6"):
        assert f"{n}번째 줄" in body
    assert "1부터 3까지" in body and "https://로 시작하는" in body
    assert ProviderLecture.objects.count() == 2
    assert not ProviderLecture.objects.filter(title="바뀐 제목").exists()
    missing = client.post(
        reverse("learning:provider_lectures"), {"file": _csv("title,url\nx,y\n")}
    )
    assert missing.status_code == 200 and ProviderLecture.objects.count() == 2


def test_api_import_and_list_are_the_providers_own(world, client, api_token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.provider)}"}
    rows = {
        "rows": [
            {
                "title": "최대공약수",
                "subject": "수학",
                "level": "middle",
                "grade": 1,
                "standards": "[9수01-02]",
                "url": "https://lecture.example/gcd",
            }
        ]
    }
    r = client.post(
        "/api/v1/learning/provider/lectures",
        rows,
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201 and r.json() == {"created": 1, "updated": 0}
    bad = {"rows": [{**rows["rows"][0], "level": "college", "url": "nope"}]}
    r = client.post(
        "/api/v1/learning/provider/lectures",
        bad,
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 422
    assert r["Content-Type"].startswith("application/problem+json")
    assert ProviderLecture.objects.count() == 1
    r = client.post(
        "/api/v1/learning/provider/lectures.file", {"file": _csv(GOOD)}, **auth
    )
    assert r.status_code == 201 and r.json()["created"] == 2
    page = client.get("/api/v1/learning/provider/lectures", **auth).json()
    assert page["count"] == 3 and {"count", "items", "limit", "offset"} <= set(page)
    # Another provider sees none of them and cannot change them.
    _org, other = _other_provider(world)
    other_auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(other)}"}
    assert (
        client.get("/api/v1/learning/provider/lectures", **other_auth).json()["count"]
        == 0
    )
    client.post(
        "/api/v1/learning/provider/lectures",
        {"rows": [{**rows["rows"][0], "title": "가로채기"}]},
        content_type="application/json",
        **other_auth,
    )
    assert ProviderLecture.objects.get(
        provider=world.provider_org, url="https://lecture.example/gcd"
    ).title == ("최대공약수")
    # A student cannot use the provider endpoints.
    student_auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.student)}"}
    r = client.get("/api/v1/learning/provider/lectures", **student_auth)
    assert r.status_code == 403


def test_provider_page_shows_only_its_own_catalogue(world, client_for):
    org, other = _other_provider(world)
    ProviderLecture.objects.create(
        provider=org,
        title="남의 강의",
        subject="수학",
        school_level="middle",
        standards=["[9수01-01]"],
        url="https://other.example/1",
    )
    page = client_for(world.provider).get(reverse("learning:provider_lectures"))
    assert "남의 강의" not in page.content.decode()
    assert (
        "남의 강의"
        in client_for(other).get(reverse("learning:provider_lectures")).content.decode()
    )
    assert client_for(world.student).get(
        reverse("learning:provider_lectures")
    ).status_code in (302, 403)


def _member_with_seat(world, apply_for):
    student = new_student(world.middle_school)
    app = apply_for(student, world.seoul)
    application_approve(
        actor=world.seoul_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    seat = seat_svc.seat_choose(actor=student, provider_id=world.provider_org.pk)
    assert seat is not None
    return student, seat


def test_a_seat_opens_only_its_providers_lectures_and_the_handoff_carries_one(
    world, provider_seats, apply_for, client_for
):
    org, _other = _other_provider(world)
    mine = ProviderLecture.objects.create(
        provider=world.provider_org,
        title="소인수분해",
        subject="수학",
        school_level="middle",
        grade=1,
        standards=["[9수01-01]"],
        url="https://lecture.example/prime",
    )
    theirs = ProviderLecture.objects.create(
        provider=org,
        title="남의 강의",
        subject="수학",
        school_level="middle",
        standards=["[9수01-01]"],
        url="https://other.example/1",
    )
    student, seat = _member_with_seat(world, apply_for)
    assert [lec.id for lec in seat_lectures(student=student)] == [mine.pk]
    assert seat_lectures(student=new_student(world.middle_school)) == []
    client = client_for(student)
    r = client.post(reverse("learning:handoff", args=[seat.pk]), {"lecture": mine.pk})
    assert r.status_code == 200
    token = r.content.decode().split("nanum_token=")[1].split('"')[0]
    payload = seat_svc.handoff_check(token, "provider-secret-for-tests")
    assert payload["next"] == "https://lecture.example/prime"
    assert payload["ref"] == seat.ref
    # Another provider's lecture is not reachable through this seat.
    r = client.post(reverse("learning:handoff", args=[seat.pk]), {"lecture": theirs.pk})
    assert r.status_code == 302


def _weak_at_integers(student):
    """Answers: integers ([9수01-03]) mostly wrong, prime factors right."""
    course = Course.objects.create(
        title="중1 수학", subject="수학", school_level="middle", grade=1
    )
    for order, (code, right) in enumerate(
        [("[9수01-01]", [1, 1, 1, 1, 1]), ("[9수01-03]", [0, 1, 0, 0, 0])], 1
    ):
        lesson = Lesson.objects.create(
            course=course, order=order, title=code, skills=[code]
        )
        for n, ok in enumerate(right, 1):
            item = Item.objects.create(
                lesson=lesson,
                order=n,
                prompt=f"{code} {n}",
                choices=["a", "b"],
                answer=0,
                skills=[code],
            )
            answer_record(actor=student, item_id=item.pk, answer=0 if ok else 1)


def test_recommendations_point_at_the_seat_providers_lecture_for_the_weak_skill(
    world, provider_seats, apply_for, client_for
):

    Standard.objects.create(
        code="[9수01-03]", subject="수학", name_ko="정수와 유리수", name_en="Integers"
    )
    org, _other = _other_provider(world)

    def lecture(provider, title, code, n):
        return ProviderLecture.objects.create(
            provider=provider,
            title=title,
            subject="수학",
            school_level="middle",
            grade=1,
            standards=[code],
            url=f"https://{provider.code}.example/{n}",
        )

    lecture(world.provider_org, "소인수분해 강의", "[9수01-01]", 1)
    weak = lecture(world.provider_org, "정수와 유리수 강의", "[9수01-03]", 2)
    lecture(org, "남의 정수 강의", "[9수01-03]", 3)
    student, seat = _member_with_seat(world, apply_for)
    _weak_at_integers(student)
    body = (
        client_for(student).get(reverse("learner_model:recommendations")).content
    ).decode()
    assert "정수와 유리수 강의" in body and "남의 정수 강의" not in body
    assert "내 강의 사이트의 추천 강의" in body
    if "소인수분해 강의" in body:  # the mastered skill's lecture comes later
        assert body.index("정수와 유리수 강의") < body.index("소인수분해 강의")
    assert reverse("learning:handoff", args=[seat.pk]) in body
    assert f'name="lecture" value="{weak.pk}"' in body
    # The reason the lessons get: 1 of 5 answered right on "정수와 유리수".
    assert "5개 중 1개" in body and "정수와 유리수" in body
    english = client_for(student)
    english.post(reverse("set_language"), {"language": "en", "next": "/"})
    en = english.get(reverse("learner_model:recommendations")).content.decode()
    assert "Lectures at your lecture site" in en and "1 of 5" in en
    # A student with no seat at any provider is never shown a provider lecture.
    loner = new_student(world.middle_school)
    _weak_at_integers(loner)
    other = client_for(loner).get(reverse("learner_model:recommendations"))
    assert other.status_code == 200
    assert "내 강의 사이트의 추천 강의" not in other.content.decode()
    assert "정수와 유리수 강의" not in other.content.decode()


def test_the_demo_student_is_recommended_a_lecture_of_their_seat_provider():

    ctx = seed_core()
    demo.seed(ctx, "small")
    lm_demo.seed(ctx, "small")
    assert ProviderLecture.objects.count() >= 30
    student = ctx.users["student"]
    seat = Seat.objects.get(student=student, state="active")
    recs = lm_selectors.recommendations_for(student)
    assert recs.lectures
    for r in recs.lectures:
        assert r.lecture.seat_id == seat.pk
        assert ProviderLecture.objects.get(pk=r.lecture.id).provider_id == (
            seat.provider_id
        )
        assert r.reason["code"] in {"new", "review", "prerequisite"}


def test_an_active_no_row_takes_a_lecture_out_of_what_a_seat_opens(
    world, provider_seats, apply_for, client_for
):
    client = client_for(world.provider)
    client.post(reverse("learning:provider_lectures"), {"file": _csv(GOOD)})
    student, _seat = _member_with_seat(world, apply_for)
    assert len(seat_lectures(student=student)) == 2
    off = (
        "title,subject,level,grade,standards,url,active\n"
        "소인수분해 개념,수학,middle,1,[9수01-01],https://lecture.example/l/1,no\n"
    )
    r = client.post(reverse("learning:provider_lectures"), {"file": _csv(off)})
    assert r.status_code == 302
    assert [lec.title for lec in seat_lectures(student=student)] == ["유리수 계산"]
    wrong = off.replace(",no\n", ",maybe\n")
    r = client.post(reverse("learning:provider_lectures"), {"file": _csv(wrong)})
    assert "active" in r.content.decode()
    assert not ProviderLecture.objects.get(url="https://lecture.example/l/1").active
