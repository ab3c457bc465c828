"""The real structure the demo data follows (Seoul and the towns of BRIEF §4).

District offices of education and the districts each covers are Seoul's real ones;
populations (in 10,000s, rounded) and need indices are approximate and only steer how
many schools each district gets and which get priority in equity rules.
"""

from __future__ import annotations

from datetime import date

# code, Korean, English, [(district code, Korean, English, population/10k, need)]
DISTRICT_OFFICES: list[tuple[str, str, str, list[tuple[str, str, str, int, float]]]] = [
    (
        "dongbu",
        "동부교육지원청",
        "Dongbu District Office of Education",
        [
            ("dongdaemun", "동대문구", "Dongdaemun-gu", 34, 0.55),
            ("jungnang", "중랑구", "Jungnang-gu", 38, 0.68),
        ],
    ),
    (
        "seobu",
        "서부교육지원청",
        "Seobu District Office of Education",
        [
            ("eunpyeong", "은평구", "Eunpyeong-gu", 46, 0.55),
            ("seodaemun", "서대문구", "Seodaemun-gu", 31, 0.45),
            ("mapo", "마포구", "Mapo-gu", 37, 0.35),
        ],
    ),
    (
        "nambu",
        "남부교육지원청",
        "Nambu District Office of Education",
        [
            ("guro", "구로구", "Guro-gu", 40, 0.58),
            ("geumcheon", "금천구", "Geumcheon-gu", 23, 0.72),
            ("yeongdeungpo", "영등포구", "Yeongdeungpo-gu", 38, 0.48),
        ],
    ),
    (
        "bukbu",
        "북부교육지원청",
        "Bukbu District Office of Education",
        [
            ("dobong", "도봉구", "Dobong-gu", 30, 0.62),
            ("nowon", "노원구", "Nowon-gu", 49, 0.55),
        ],
    ),
    (
        "jungbu",
        "중부교육지원청",
        "Jungbu District Office of Education",
        [
            ("jongno", "종로구", "Jongno-gu", 14, 0.40),
            ("junggu", "중구", "Jung-gu", 12, 0.45),
            ("yongsan", "용산구", "Yongsan-gu", 21, 0.38),
        ],
    ),
    (
        "gangdong-songpa",
        "강동송파교육지원청",
        "Gangdong-Songpa District Office of Education",
        [
            ("gangdong", "강동구", "Gangdong-gu", 46, 0.42),
            ("songpa", "송파구", "Songpa-gu", 65, 0.25),
        ],
    ),
    (
        "gangseo-yangcheon",
        "강서양천교육지원청",
        "Gangseo-Yangcheon District Office of Education",
        [
            ("gangseo", "강서구", "Gangseo-gu", 56, 0.52),
            ("yangcheon", "양천구", "Yangcheon-gu", 43, 0.35),
        ],
    ),
    (
        "gangnam-seocho",
        "강남서초교육지원청",
        "Gangnam-Seocho District Office of Education",
        [
            ("gangnam", "강남구", "Gangnam-gu", 55, 0.15),
            ("seocho", "서초구", "Seocho-gu", 41, 0.12),
        ],
    ),
    (
        "dongjak-gwanak",
        "동작관악교육지원청",
        "Dongjak-Gwanak District Office of Education",
        [
            ("dongjak", "동작구", "Dongjak-gu", 38, 0.45),
            ("gwanak", "관악구", "Gwanak-gu", 49, 0.66),
        ],
    ),
    (
        "seongdong-gwangjin",
        "성동광진교육지원청",
        "Seongdong-Gwangjin District Office of Education",
        [
            ("seongdong", "성동구", "Seongdong-gu", 28, 0.40),
            ("gwangjin", "광진구", "Gwangjin-gu", 33, 0.46),
        ],
    ),
    (
        "seongbuk-gangbuk",
        "성북강북교육지원청",
        "Seongbuk-Gangbuk District Office of Education",
        [
            ("seongbuk", "성북구", "Seongbuk-gu", 43, 0.55),
            ("gangbuk", "강북구", "Gangbuk-gu", 29, 0.74),
        ],
    ),
]

# Seoul school counts by level (approximately the 2024 figures, ~1,340 in all).
SCHOOL_TOTALS = {"elementary": 605, "middle": 384, "high": 319, "special": 32}
SCHOOL_SIZE = {  # typical pupils per school: (mean, sd)
    "elementary": (560, 260),
    "middle": (480, 200),
    "high": (620, 230),
    "special": (140, 50),
}
LEVEL_SUFFIX = {
    "elementary": ("초등학교", "Elementary School"),
    "middle": ("중학교", "Middle School"),
    "high": ("고등학교", "High School"),
    "special": ("학교", "School"),
}

# Syllables for generated school names, with their romanisation.
SYLLABLES = [
    ("가", "ga"),
    ("경", "gyeong"),
    ("광", "gwang"),
    ("금", "geum"),
    ("남", "nam"),
    ("대", "dae"),
    ("덕", "deok"),
    ("동", "dong"),
    ("명", "myeong"),
    ("문", "mun"),
    ("미", "mi"),
    ("반", "ban"),
    ("백", "baek"),
    ("봉", "bong"),
    ("상", "sang"),
    ("서", "seo"),
    ("성", "seong"),
    ("송", "song"),
    ("수", "su"),
    ("신", "sin"),
    ("양", "yang"),
    ("연", "yeon"),
    ("영", "yeong"),
    ("원", "won"),
    ("은", "eun"),
    ("인", "in"),
    ("장", "jang"),
    ("정", "jeong"),
    ("중", "jung"),
    ("진", "jin"),
    ("창", "chang"),
    ("청", "cheong"),
    ("태", "tae"),
    ("한", "han"),
    ("화", "hwa"),
    ("효", "hyo"),
    ("희", "hui"),
    ("솔", "sol"),
    ("온", "on"),
    ("새", "sae"),
]

# The four maths–science convergence centres (BRIEF §2): code, office code, ko, en.
MATH_SCIENCE_CENTRES = [
    (
        "msc-dongbu",
        "dongbu",
        "동부 수학과학융합교육센터",
        "East Maths–Science Convergence Centre",
    ),
    (
        "msc-seobu",
        "seobu",
        "서부 수학과학융합교육센터",
        "West Maths–Science Convergence Centre",
    ),
    (
        "msc-bukbu",
        "bukbu",
        "북부 수학과학융합교육센터",
        "North Maths–Science Convergence Centre",
    ),
    (
        "msc-dongjak-gwanak",
        "dongjak-gwanak",
        "동작관악 수학과학융합교육센터",
        "Dongjak-Gwanak Maths–Science Convergence Centre",
    ),
]

# Tenants (BRIEF §4): slug, kind, ko, en, programme ko, programme en, status, joined, colour
TENANTS = [
    (
        "seoul",
        "metro",
        "서울특별시",
        "Seoul",
        "서울런",
        "Seoul Learn",
        "active",
        date(2021, 8, 1),
        "#1f5fa8",
    ),
    (
        "chungbuk",
        "province",
        "충청북도",
        "Chungcheongbuk-do",
        "충북런",
        "Chungbuk Learn",
        "active",
        date(2024, 3, 1),
        "#2e6b3a",
    ),
    (
        "pyeongchang",
        "county",
        "평창군",
        "Pyeongchang County",
        "평창런",
        "Pyeongchang Learn",
        "active",
        date(2024, 9, 1),
        "#1d6470",
    ),
    (
        "gimpo",
        "city",
        "김포시",
        "Gimpo City",
        "김포런",
        "Gimpo Learn",
        "active",
        date(2025, 3, 1),
        "#7a3e9d",
    ),
    (
        "taebaek",
        "city",
        "태백시",
        "Taebaek City",
        "태백런",
        "Taebaek Learn",
        "active",
        date(2025, 9, 1),
        "#8a4b08",
    ),
    (
        "incheon",
        "metro",
        "인천광역시",
        "Incheon",
        "인천런",
        "Incheon Learn",
        "preparing",
        None,
        "#0b5c8c",
    ),
    (
        "yecheon",
        "county",
        "예천군",
        "Yecheon County",
        "예천런",
        "Yecheon Learn",
        "active",
        date(2025, 11, 1),
        "#5b5b12",
    ),
]

# The lecture companies named in BRIEF §4.
PROVIDERS = [
    ("homelearn", "아이스크림 홈런", "i-Scream Home-Learn"),
    ("elihigh", "엘리하이", "Elihigh"),
    ("mbest", "엠베스트", "Mbest"),
    ("megastudy", "메가스터디", "Megastudy"),
    ("etoos", "이투스", "Etoos"),
    ("mimac", "대성마이맥", "Daesung Mimac"),
]

# Korean public holidays (substitute holidays included) for the demo calendar.
HOLIDAYS: list[tuple[date, str, str]] = [
    (date(2026, 1, 1), "신정", "New Year's Day"),
    (date(2026, 2, 16), "설날 연휴", "Seollal holiday"),
    (date(2026, 2, 17), "설날", "Seollal"),
    (date(2026, 2, 18), "설날 연휴", "Seollal holiday"),
    (date(2026, 3, 2), "삼일절 대체공휴일", "Independence Movement Day (substitute)"),
    (date(2026, 5, 5), "어린이날", "Children's Day"),
    (date(2026, 5, 25), "부처님오신날 대체공휴일", "Buddha's Birthday (substitute)"),
    (date(2026, 6, 3), "전국동시지방선거", "Local elections"),
    (date(2026, 8, 17), "광복절 대체공휴일", "Liberation Day (substitute)"),
    (date(2026, 9, 24), "추석 연휴", "Chuseok holiday"),
    (date(2026, 9, 25), "추석", "Chuseok"),
    (date(2026, 10, 5), "개천절 대체공휴일", "National Foundation Day (substitute)"),
    (date(2026, 10, 9), "한글날", "Hangeul Day"),
    (date(2026, 12, 25), "성탄절", "Christmas Day"),
    (date(2027, 1, 1), "신정", "New Year's Day"),
    (date(2027, 2, 8), "설날 연휴", "Seollal holiday"),
    (date(2027, 2, 9), "설날 대체공휴일", "Seollal (substitute)"),
    (date(2027, 3, 1), "삼일절", "Independence Movement Day"),
    (date(2027, 5, 5), "어린이날", "Children's Day"),
    (date(2027, 5, 13), "부처님오신날", "Buddha's Birthday"),
    (date(2027, 8, 16), "광복절 대체공휴일", "Liberation Day (substitute)"),
    (date(2027, 9, 14), "추석 연휴", "Chuseok holiday"),
    (date(2027, 9, 15), "추석", "Chuseok"),
    (date(2027, 9, 16), "추석 연휴", "Chuseok holiday"),
    (date(2027, 10, 4), "개천절 대체공휴일", "National Foundation Day (substitute)"),
    (date(2027, 10, 11), "한글날 대체공휴일", "Hangeul Day (substitute)"),
    (date(2027, 12, 27), "성탄절 대체공휴일", "Christmas Day (substitute)"),
]

DEMO_PASSWORD = "nanum-demo-2026!"  # noqa: S105 - printed for demo sign-in only
