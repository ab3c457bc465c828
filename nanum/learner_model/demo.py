"""Demo data: achievement standards with names and prerequisites, and a primary course
on ratios so the recommender has something to say about the demo pupil."""

from __future__ import annotations

import math

from nanum.core.demo import DemoContext
from nanum.core.errors import DomainError
from nanum.core.models import User
from nanum.learning.selectors import study as learning_study
from nanum.learning.services.content import (
    CourseInput,
    ItemInput,
    LessonInput,
    course_create,
)
from nanum.learning.services.study import answer_record

from . import services
from .models import Standard

STANDARDS = [
    (
        "[9수01-01]",
        "수학",
        "소인수분해의 뜻을 알고 자연수를 소인수분해할 수 있다",
        "Prime factorisation of natural numbers",
        [],
    ),
    (
        "[9수01-02]",
        "수학",
        "최대공약수와 최소공배수를 구할 수 있다",
        "Greatest common divisor and least common multiple",
        ["[9수01-01]"],
    ),
    (
        "[9수01-03]",
        "수학",
        "정수와 유리수의 개념을 이해한다",
        "Integers and rational numbers",
        [],
    ),
    (
        "[9수01-04]",
        "수학",
        "정수와 유리수의 사칙계산을 할 수 있다",
        "Arithmetic with integers and rationals",
        ["[9수01-03]"],
    ),
    (
        "[6수04-01]",
        "수학",
        "두 양의 크기를 비교하는 상황에서 비의 개념을 이해한다",
        "The concept of a ratio",
        [],
    ),
    (
        "[6수04-02]",
        "수학",
        "비율을 이해하고 분수, 소수, 백분율로 나타낼 수 있다",
        "Rates as fractions, decimals and percentages",
        ["[6수04-01]"],
    ),
]

RATIO_COURSE = (
    "초6 수학: 비와 비율",
    "수학",
    "elementary",
    6,
    [
        (
            "비의 뜻",
            "[6수04-01]",
            [
                ("사과 3개와 배 5개의 비는?", ["3 : 5", "5 : 3", "3 : 8", "8 : 3"], 0),
                (
                    "6 : 9를 가장 간단한 자연수의 비로 나타내면?",
                    ["2 : 3", "3 : 2", "6 : 9", "1 : 3"],
                    0,
                ),
                ("비 4 : 7에서 기준량은?", ["4", "7", "11", "3"], 1),
            ],
        ),
        (
            "비율과 백분율",
            "[6수04-02]",
            [
                ("비율 3/4을 백분율로 나타내면?", ["34%", "75%", "43%", "7.5%"], 1),
                ("20명 중 5명은 몇 %인가?", ["5%", "20%", "25%", "40%"], 2),
                ("0.4를 백분율로 나타내면?", ["4%", "40%", "0.4%", "400%"], 1),
            ],
        ),
    ],
)


def seed(ctx: DemoContext, scale: str) -> list[str]:
    by_code = {}
    for code, subject, ko, en, _req in STANDARDS:
        by_code[code], _ = Standard.objects.get_or_create(
            code=code, defaults={"subject": subject, "name_ko": ko, "name_en": en}
        )
    for code, *_rest, requires in STANDARDS:
        by_code[code].requires.add(*[by_code[r] for r in requires])

    title, subject, level, grade, units = RATIO_COURSE
    course = course_create(
        actor=None,
        course=CourseInput(
            title=title,
            subject=subject,
            school_level=level,
            grade=grade,
            description="나눔 자체 학습 콘텐츠",
            lessons=[
                LessonInput(
                    title=ltitle,
                    minutes=15,
                    skills=[skill],
                    reading=f"{ltitle}을(를) 예제와 함께 익힙니다.",
                    items=[
                        ItemInput(
                            prompt=prompt,
                            choices=choices,
                            answer=answer,
                            skills=[skill],
                        )
                        for prompt, choices, answer in questions
                    ],
                )
                for ltitle, skill, questions in units
            ],
        ),
    )
    child = ctx.users.get("child")
    if child is not None:
        # The pupil struggled with ratios: 2 of 6 right.
        pattern = [True, False, False, True, False, False]
        items = list(learning_study.course_items(course_id=course.pk))
        for item, correct in zip(items, pattern, strict=True):
            answer_record(
                actor=child,
                item_id=item.pk,
                answer=item.answer
                if correct
                else (item.answer + 1) % len(item.choices),
            )
    answers = _practice_cohort(ctx, scale)
    try:
        outcome = services.model_train_nanum(neural=False)
    except DomainError as exc:
        trained = f"no model trained ({exc.code}); the counting estimator serves"
    else:
        m = outcome.artefact.metrics
        trained = (
            f"a logistic IRT/PFA model trained on {m.get('learners')} learners and "
            f"active (validation AUC {m.get('valid_auc')}, ECE {m.get('valid_ece')})"
        )
    return [
        f"Learner model: {len(STANDARDS)} standards with prerequisites, a ratio "
        f"course, {answers} practice answers from a demo cohort; {trained}."
    ]


COHORT = {"small": (40, 15), "large": (400, 40)}  # learners, answers each


def _practice_cohort(ctx: DemoContext, scale: str) -> int:
    """Past answers of a cohort of practice learners (no sign-in), so that the model
    the demo trains has something to learn from: each has an ability, each item a
    difficulty, and practice on a skill helps a little (an IRT model with learning)."""
    learners, per_learner = COHORT.get(scale, COHORT["small"])
    items = [
        (item_id, skills)
        for item_id, _lesson, _prompt, skills in learning_study.item_rows(
            lesson_ids=list(
                learning_study.published_lessons().values_list("pk", flat=True)
            )
        )
        if skills
    ]
    if not items:
        return 0
    rng = ctx.rng
    difficulty = {item_id: rng.gauss(0.0, 1.0) for item_id, _s in items}
    choices = {
        item.pk: (item.answer, len(item.choices or []))
        for item in learning_study.published_items(item_ids=[i for i, _s in items])
    }
    count = 0
    for k in range(1, learners + 1):
        student = User(
            username=f"practice-{k:03d}",
            display_name=f"연습 학습자 {k:03d}",
            is_active=False,
        )
        student.set_unusable_password()
        student.save()
        ability = rng.gauss(0.0, 1.0)
        practice: dict[str, int] = {}
        for _n in range(per_learner):
            item_id, skills = rng.choice(items)
            right, n_choices = choices[item_id]
            gain = 0.15 * sum(practice.get(s, 0) for s in skills) / len(skills)
            p = 1.0 / (1.0 + math.exp(-(ability + gain - difficulty[item_id])))
            correct = rng.random() < p
            answer_record(
                actor=student,
                item_id=item_id,
                answer=right if correct else (right + 1) % max(n_choices, 2),
                duration_ms=rng.randint(20_000, 90_000),
            )
            for s in skills:
                practice[s] = practice.get(s, 0) + 1
            count += 1
    return count
