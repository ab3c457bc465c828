"""The demo providers' lecture catalogues, tagged with curriculum standard codes
(those of nanum.learner_model.demo.STANDARDS where the subject is maths), so the
demo student's recommendations point at a lecture their 엠베스트 seat opens."""

from __future__ import annotations

from nanum.core.models import Organisation

from ..models import ProviderLecture

# provider code: (title, subject, level, grade, standards)
LECTURES: dict[str, list[tuple[str, str, str, int, list[str]]]] = {
    "homelearn": [
        ("비의 뜻과 표현", "수학", "elementary", 6, ["[6수04-01]"]),
        ("비율과 백분율 익히기", "수학", "elementary", 6, ["[6수04-02]"]),
        ("생활 속 백분율 문제", "수학", "elementary", 6, ["[6수04-01]", "[6수04-02]"]),
        ("분수의 곱셈", "수학", "elementary", 5, ["[6수01-08]"]),
        ("식물의 구조와 기능", "과학", "elementary", 6, ["[6과10-01]"]),
        ("빛과 렌즈", "과학", "elementary", 6, ["[6과11-01]"]),
    ],
    "elihigh": [
        ("비와 비율 개념 잡기", "수학", "elementary", 6, ["[6수04-01]"]),
        ("백분율 실전 연습", "수학", "elementary", 6, ["[6수04-02]"]),
        ("글의 구조 파악하기", "국어", "elementary", 6, ["[6국02-02]"]),
        ("토론하며 말하기", "국어", "elementary", 6, ["[6국01-03]"]),
    ],
    "mbest": [
        ("소인수분해 개념 강의", "수학", "middle", 1, ["[9수01-01]"]),
        ("소인수분해 유형 풀이", "수학", "middle", 1, ["[9수01-01]"]),
        ("최대공약수와 최소공배수", "수학", "middle", 1, ["[9수01-02]"]),
        (
            "최대공약수·최소공배수 활용",
            "수학",
            "middle",
            1,
            ["[9수01-01]", "[9수01-02]"],
        ),
        ("정수와 유리수의 뜻", "수학", "middle", 1, ["[9수01-03]"]),
        ("수직선과 절댓값", "수학", "middle", 1, ["[9수01-03]"]),
        ("정수와 유리수의 덧셈과 뺄셈", "수학", "middle", 1, ["[9수01-04]"]),
        ("정수와 유리수의 곱셈과 나눗셈", "수학", "middle", 1, ["[9수01-04]"]),
        ("유리수 계산 종합", "수학", "middle", 1, ["[9수01-03]", "[9수01-04]"]),
        ("중2 영어 시제 정리", "영어", "middle", 2, ["[9영02-01]"]),
        ("중2 영어 관계대명사", "영어", "middle", 2, ["[9영02-03]"]),
        ("중1 영어 읽기 전략", "영어", "middle", 1, ["[9영03-01]"]),
    ],
    "megastudy": [
        ("다항식의 연산", "수학", "high", 1, ["[10공수1-01-01]"]),
        ("나머지정리와 인수분해", "수학", "high", 1, ["[10공수1-01-02]"]),
        ("복소수와 이차방정식", "수학", "high", 1, ["[10공수1-02-01]"]),
        ("현대시 감상의 기초", "국어", "high", 2, ["[12문학02-01]"]),
        ("고전소설 읽기", "국어", "high", 2, ["[12문학02-03]"]),
    ],
    "etoos": [
        ("수능 영어 빈칸 추론", "영어", "high", 3, ["[12영I-04-02]"]),
        ("수능 영어 순서 배열", "영어", "high", 3, ["[12영I-04-03]"]),
        ("수능 영어 장문 독해", "영어", "high", 3, ["[12영I-04-05]"]),
    ],
    "mimac": [
        ("힘과 운동 법칙", "과학", "high", 2, ["[12물리01-01]"]),
        ("운동량과 충격량", "과학", "high", 2, ["[12물리01-03]"]),
        ("역학적 에너지 보존", "과학", "high", 2, ["[12물리01-05]"]),
    ],
}


def seed_lectures(providers: dict[str, Organisation]) -> int:
    """Each demo provider's catalogue (addresses under its demo domain)."""
    rows = [
        ProviderLecture(
            provider=providers[code],
            title=title,
            subject=subject,
            school_level=level,
            grade=grade,
            standards=standards,
            url=f"https://{code}.example/lectures/{n}",
        )
        for code, lectures in LECTURES.items()
        if code in providers
        for n, (title, subject, level, grade, standards) in enumerate(lectures, 1)
    ]
    ProviderLecture.objects.bulk_create(rows)
    return len(rows)
