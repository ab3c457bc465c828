"""The demo towns, providers, courses and lessons (data only)."""

from __future__ import annotations

from typing import Any

ALL = [
    "basic_livelihood",
    "near_poor",
    "income",
    "out_of_school",
    "multicultural",
    "single_parent",
    "defector",
    "veteran",
]
# slug: policy fields, providers with seats, tagline (ko, en)
TOWNS: dict[str, dict[str, Any]] = {
    "seoul": {
        "policy": dict(
            quota_total=36000,
            income_line_pct=60,
            services=["lectures", "mentoring", "counselling", "jump", "camp"],
            reward_top_n=90,
            reward_min_mileage=100,
        ),
        "seats": {
            "homelearn": 6000,
            "elihigh": 6000,
            "mbest": 8000,
            "megastudy": 8000,
            "etoos": 4000,
            "mimac": 4000,
        },
        "tagline": (
            "누구나 꿈꿀 수 있는 교육 사다리",
            "An education ladder for everyone",
        ),
    },
    "chungbuk": {
        "policy": dict(
            quota_total=1450,
            income_line_pct=60,
            services=["lectures", "mentoring", "dormitory"],
        ),
        "seats": {"homelearn": 400, "mbest": 500, "megastudy": 550},
        "tagline": (
            "충북 6개 군 청소년을 위한 온라인 학습",
            "Online learning for six counties",
        ),
    },
    "pyeongchang": {
        "policy": dict(
            quota_total=220,
            quota_elementary=40,
            quota_middle=80,
            quota_high=100,
            min_monthly_minutes=180,
            services=["lectures", "counselling", "jump"],
            reward_min_mileage=50,
        ),
        "seats": {"homelearn": 40, "mbest": 80, "megastudy": 100},
        "tagline": ("평창 학생의 꿈을 응원합니다", "Backing Pyeongchang's students"),
    },
    "gimpo": {
        "policy": dict(
            quota_total=300,
            quota_high=300,
            income_line_pct=50,
            school_levels=["high"],
            priority=["basic_livelihood", "near_poor", "income", *ALL[3:]],
            services=["lectures", "mentoring"],
        ),
        "seats": {"megastudy": 150, "etoos": 100, "mimac": 50},
        "tagline": (
            "김포 고등학생 온라인 학습 지원",
            "Online learning for Gimpo's high-schoolers",
        ),
    },
    "taebaek": {
        "policy": dict(
            quota_total=500,
            services=["lectures", "mentoring", "jump", "camp"],
            reward_requires_recommendation=True,
        ),
        "seats": {"homelearn": 150, "mbest": 200, "megastudy": 150},
        "tagline": ("태백 청소년 500명과 함께", "With 500 young people of Taebaek"),
    },
    "incheon": {
        "policy": dict(quota_total=None, is_open=False, services=["lectures"]),
        "seats": {},
        "tagline": ("준비 중입니다", "Coming soon"),
    },
    "yecheon": {
        "policy": dict(
            quota_total=600,
            quota_middle=600,
            school_levels=["middle"],
            services=["lectures"],
        ),
        "seats": {"mbest": 400, "elihigh": 200},
        "tagline": ("예천 중학생 600명 온라인 학습", "600 middle-schoolers of Yecheon"),
    },
}
COURSES = {
    "homelearn": [
        ("초등 5학년 수학", "수학", "elementary", 5),
        ("초등 6학년 과학", "과학", "elementary", 6),
    ],
    "elihigh": [("초등 5·6 국어", "국어", "elementary", 6)],
    "mbest": [
        ("중1 수학 개념", "수학", "middle", 1),
        ("중2 영어 문법", "영어", "middle", 2),
    ],
    "megastudy": [
        ("고1 공통수학", "수학", "high", 1),
        ("고2 국어 문학", "국어", "high", 2),
    ],
    "etoos": [("고3 수능 영어", "영어", "high", 3)],
    "mimac": [("고2 물리학Ⅰ", "과학", "high", 2)],
}
LESSONS = [
    (
        "중1 수학: 소인수분해",
        "수학",
        "middle",
        1,
        [
            (
                "소수와 합성수",
                "[9수01-01]",
                [
                    (
                        "다음 중 소수는?",
                        ["1", "9", "13", "21"],
                        2,
                        "13은 1과 자기 자신으로만 나누어떨어집니다. 1은 소수가 아니고, "
                        "9=3×3, 21=3×7은 합성수입니다.",
                        "13 divides only by 1 and itself. 1 is not prime; "
                        "9 = 3×3 and 21 = 3×7 are composite.",
                    ),
                    (
                        "다음 중 합성수는?",
                        ["2", "7", "15", "11"],
                        2,
                        "15=3×5이므로 약수가 1, 3, 5, 15로 네 개입니다.",
                        "15 = 3×5, so it has four divisors: 1, 3, 5 and 15.",
                    ),
                    (
                        "12를 소인수분해하면?",
                        ["2×6", "2²×3", "3×4", "2×2×2"],
                        1,
                        "12=2×2×3=2²×3. 6과 4는 소수가 아니므로 더 나누어야 합니다.",
                        "12 = 2×2×3 = 2²×3. 6 and 4 are not prime, so keep dividing.",
                    ),
                ],
            ),
            (
                "최대공약수와 최소공배수",
                "[9수01-02]",
                [
                    (
                        "12와 18의 최대공약수는?",
                        ["3", "6", "9", "36"],
                        1,
                        "12=2²×3, 18=2×3²에서 공통인 2×3=6이 최대공약수입니다.",
                        "12 = 2²×3 and 18 = 2×3²; the common part 2×3 = 6 is the "
                        "greatest common divisor.",
                    ),
                    (
                        "4와 6의 최소공배수는?",
                        ["12", "24", "2", "10"],
                        0,
                        "4의 배수 4, 8, 12와 6의 배수 6, 12 중 처음 겹치는 수는 12입니다.",
                        "Multiples of 4 are 4, 8, 12; of 6 are 6, 12: the first "
                        "shared one is 12.",
                    ),
                ],
            ),
        ],
    ),
    (
        "중1 수학: 정수와 유리수",
        "수학",
        "middle",
        1,
        [
            (
                "정수와 유리수의 뜻",
                "[9수01-03]",
                [
                    (
                        "-3/1은 어떤 수인가?",
                        ["자연수", "정수", "무리수"],
                        1,
                        "-3/1=-3이므로 음의 정수입니다. 자연수는 양의 정수뿐입니다.",
                        "-3/1 = -3, a negative integer. Natural numbers are only "
                        "the positive integers.",
                    ),
                    (
                        "0.5는 어떤 수인가?",
                        ["정수", "정수가 아닌 유리수", "무리수"],
                        1,
                        "0.5=1/2로 분수로 나타낼 수 있지만 정수는 아닙니다.",
                        "0.5 = 1/2 can be written as a fraction but is not an integer.",
                    ),
                ],
            ),
            (
                "정수의 사칙계산",
                "[9수01-04]",
                [
                    (
                        "(-3)×(-4)는?",
                        ["-12", "12", "-7", "7"],
                        1,
                        "부호가 같은 두 수의 곱은 양수입니다: 3×4=12.",
                        "The product of two numbers with the same sign is "
                        "positive: 3×4 = 12.",
                    ),
                    (
                        "(-8)÷2는?",
                        ["4", "-4", "-16", "16"],
                        1,
                        "부호가 다른 두 수의 나눗셈은 음수입니다: 8÷2=4이므로 -4.",
                        "Dividing numbers with different signs gives a negative "
                        "number: 8÷2 = 4, so -4.",
                    ),
                ],
            ),
        ],
    ),
]
