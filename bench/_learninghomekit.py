"""The data of bench/learning_home.py: 50,000 students (or --tiny 500) with a year of
study, built with bulk inserts (not timed). Imported by the benchmark only."""

from __future__ import annotations

import random

UNUSABLE = "!"  # an unusable password hash: these accounts cannot sign in


def build(n_students: int, n_users: int) -> list[int]:
    from datetime import timedelta

    from django.utils import timezone

    from nanum.core.models import (
        Notification,
        Organisation,
        Role,
        RoleAssignment,
        Tenant,
        User,
    )
    from nanum.learning.models import (
        Application,
        Course,
        Interaction,
        Item,
        Lesson,
        LessonProgress,
        PlanEntry,
        Seat,
        SeatAllocation,
        StudyDay,
        TenantPolicy,
        WeeklyGoal,
    )

    rng = random.Random(3)
    today = timezone.localdate()
    now = timezone.now()
    town = Tenant.objects.create(
        slug="bench",
        kind="metro",
        name_ko="벤치시",
        programme_name_ko="벤치런",
        is_home=True,
    )
    TenantPolicy.objects.create(tenant=town)
    hall = Organisation.objects.create(
        code="bench-hall", kind="city_hall", name_ko="벤치시청", tenant=town
    )
    provider = Organisation.objects.create(
        code="bench-prov", kind="provider", name_ko="벤치제공", tenant=town
    )
    alloc = SeatAllocation.objects.create(
        tenant=town,
        provider=provider,
        year=today.year,
        seats=n_students,
        used=n_students,
    )
    users = User.objects.bulk_create(
        [
            User(
                username=f"st{i:06d}",
                display_name=f"학생{i}",
                home_tenant=town,
                password=UNUSABLE,
            )
            for i in range(n_students)
        ],
        batch_size=5000,
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=u, role=Role.STUDENT, organisation=hall, tenant=town)
            for u in users
        ],
        batch_size=5000,
    )
    apps = Application.objects.bulk_create(
        [
            Application(
                tenant=town,
                student=u,
                applicant=u,
                status="approved",
                full_name=u.display_name,
                birth_year=2010,
                school_level="middle",
                grade=2,
                category="basic_livelihood",
                consent_collection=True,
                place_since=now,
                valid_until=today + timedelta(days=200),
            )
            for u in users
        ],
        batch_size=5000,
    )
    Seat.objects.bulk_create(
        [
            Seat(
                allocation=alloc,
                tenant=town,
                provider=provider,
                application=a,
                student_id=a.student_id,
                ref=f"{a.pk:016x}",
            )
            for a in apps
        ],
        batch_size=5000,
    )
    load = users[:n_users]
    days: list[StudyDay] = []
    for u in load:
        days.extend(
            StudyDay(
                student=u,
                day=today - timedelta(days=d),
                provider_minutes=rng.randint(0, 90),
                nanum_minutes=rng.randint(0, 30),
            )
            for d in range(365)
        )
    for u in users[n_users:]:
        days.extend(
            StudyDay(
                student=u,
                day=today - timedelta(days=7 * w + rng.randint(0, 6)),
                provider_minutes=rng.randint(10, 90),
            )
            for w in range(12)
        )
    StudyDay.objects.bulk_create(days, batch_size=10000, ignore_conflicts=True)
    course = Course.objects.create(
        title="중2 수학", subject="수학", school_level="middle"
    )
    lessons = [
        Lesson.objects.create(
            course=course, order=i, title=f"단원 {i}", skills=[f"[9수0{i % 9 + 1}-01]"]
        )
        for i in range(1, 21)
    ]
    items = Item.objects.bulk_create(
        [
            Item(
                lesson=lsn,
                order=k,
                prompt="?",
                choices=["a", "b", "c"],
                answer=0,
                skills=lsn.skills,
            )
            for lsn in lessons
            for k in range(1, 6)
        ]
    )
    inter = []
    for u in load:
        for k in range(1000):
            it = items[k % len(items)]
            inter.append(
                Interaction(
                    student=u,
                    item=it,
                    skills=it.skills,
                    correct=rng.random() < 0.7,
                    answered_at=now - timedelta(minutes=k * 500),
                    duration_ms=rng.randint(3000, 60000),
                )
            )
    Interaction.objects.bulk_create(inter, batch_size=10000)
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(student=u, lesson=lsn, answered=3, correct=2)
            for u in load
            for lsn in lessons[:8]
        ]
    )
    WeeklyGoal.objects.bulk_create(
        [WeeklyGoal(student=u, target_minutes=300) for u in load]
    )
    PlanEntry.objects.bulk_create(
        [
            PlanEntry(student=u, weekday=d, subject="수학", minutes=30)
            for u in load
            for d in range(5)
        ]
    )
    Notification.objects.bulk_create(
        [
            Notification(user=u, kind="x", subject=f"알림 {k}")
            for u in load
            for k in range(30)
        ]
    )
    return [u.pk for u in load]
