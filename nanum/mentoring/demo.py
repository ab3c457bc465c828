"""Demo data: a mentoring term in Seoul, screened mentors from SNU and two more
universities, mentees from Seoul Learn members, one optimal batch match (published),
weeks of sessions with reports and ratings for the demo mentor, messages, and
counselling slots for the demo counsellor with one booking by the demo student."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from nanum.core import clock
from nanum.core.demo import demo_user
from nanum.core.models import District, Organisation, Role, RoleAssignment, User
from nanum.learning.selectors import member_users

from . import services
from .models import (
    Match,
    MenteeSurvey,
    MentorProfile,
    Message,
    Session,
    SessionRating,
    SessionReport,
    Subject,
)
from .selectors import counselling_eligible, mentee_eligible

EVENINGS = [d * 24 + h for d in range(5) for h in (16, 17, 18, 19, 20, 21)]
WEEKENDS = [d * 24 + h for d in (5, 6) for h in range(10, 19)]
SEOUL = ZoneInfo(settings.TIME_ZONE)
PDF_FONT = "HYSMyeongJo-Medium"
LATE_SURVEYS = 4  # member surveys made after the term's first run (the next run's)
UNIVERSITIES = [
    ("yonsei", "연세대학교", "Yonsei University"),
    ("ewha", "이화여자대학교", "Ewha Womans University"),
]


def _hours(rng: Any, blocks: int) -> list[int]:
    starts = rng.sample([h for h in EVENINGS + WEEKENDS if h % 2 == 0], blocks)
    return sorted({h + i for h in starts for i in (0, 1)})


def _universities(ctx: Any) -> list[Organisation]:
    unis = [ctx.orgs["snu"]]
    for code, ko, en in UNIVERSITIES:
        org, _ = Organisation.objects.get_or_create(
            code=code,
            defaults={
                "kind": "university",
                "tenant": ctx.tenants["seoul"],
                "name_ko": ko,
                "name_en": en,
            },
        )
        unis.append(org)
    return unis


def _mentors(
    ctx: Any, count: int, unis: list[Organisation], districts: list[District]
) -> list[MentorProfile]:
    rng, seoul = ctx.rng, ctx.tenants["seoul"]
    users = [
        User(
            username=f"demo-mentor-{i:04d}",
            display_name=f"멘토{i:04d}",
            home_tenant=seoul,
        )
        for i in range(count)
    ]
    for user in users:
        user.set_unusable_password()  # demo crowd: nobody signs in as them
    users = User.objects.bulk_create(users)
    profiles, roles = [], []
    for user in users:
        uni = rng.choice(unis)
        roles.append(
            RoleAssignment(user=user, role=Role.MENTOR, organisation=uni, tenant=seoul)
        )
        profiles.append(
            MentorProfile(
                user=user,
                tenant=seoul,
                university=uni,
                major=rng.choice(
                    ["수학교육", "영어영문", "화학", "컴퓨터공학", "국어국문", "경제"]
                ),
                year=rng.randint(1, 4),
                subjects=rng.sample(Subject.values, rng.randint(2, 3)),
                levels=rng.choice(
                    [
                        ["middle", "high"],
                        ["elementary", "middle", "high"],
                        ["high"],
                        ["elementary", "middle"],
                    ]
                ),
                availability=_hours(rng, rng.randint(2, 4)),
                mode=rng.choice(["online", "online", "either", "offline"]),
                gender=rng.choice(["female", "male"]),
                capacity=4,
                status=MentorProfile.Status.ACTIVE,
                checks={"identity": True, "enrolment": True, "record_check": True},
                training_completed_on=clock.today() - timedelta(days=40),
                screened_at=clock.now(),
                activated_at=clock.now(),
            )
        )
    RoleAssignment.objects.bulk_create(roles)
    MentorProfile.objects.bulk_create(profiles)
    for p in profiles:
        p.districts.set(rng.sample(districts, 3))
    return profiles


def _sample_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF marked as a demo sample (Korean in reportlab's CID font)."""
    buf = io.BytesIO()
    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(PDF_FONT, 20)
    c.drawString(72, 760, title)
    c.setFont(PDF_FONT, 12)
    for i, line in enumerate([*lines, "", "데모용 견본 (Nanum demo sample)"]):
        c.drawString(72, 720 - 20 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def _documents(profile: MentorProfile) -> None:
    """The documents an applicant uploads: certificate of enrolment, record-check
    consent (through the same service as the upload form)."""
    name, uni = profile.user.display_name, profile.university.name
    for kind, title, file_name in (
        ("enrolment", "재학증명서", "재학증명서.pdf"),
        ("record_check", "성범죄 경력 조회 동의서", "경력조회동의서.pdf"),
    ):
        body = _sample_pdf(
            title, [f"성명: {name}", f"소속: {uni} {profile.major} {profile.year}학년"]
        )
        services.mentor_document_add(
            actor=profile.user,
            profile_id=profile.pk,
            kind=kind,
            upload=SimpleUploadedFile(file_name, body, "application/pdf"),
        )


@transaction.atomic
def seed(ctx: Any, scale: str) -> list[str]:
    seoul = ctx.tenants.get("seoul")
    officer, mentor_user = ctx.users.get("officer.seoul"), ctx.users.get("mentor")
    student, counsellor = ctx.users.get("student"), ctx.users.get("counsellor")
    if not all((seoul, officer, mentor_user, student, counsellor)):
        return ["Mentoring: skipped (core demo users missing)"]
    rng = ctx.rng
    today = clock.today()
    districts = list(District.objects.filter(tenant=seoul))
    near = [d for d in districts if d.code in ("gwanak", "dongjak")] or districts[:2]
    term = services.term_create(
        actor=officer,
        tenant=seoul,
        name="2026 1학기 1:1 멘토링",
        starts_on=today - timedelta(days=35),
        ends_on=today + timedelta(days=120),
    )
    unis = _universities(ctx)
    demo = services.mentor_apply(
        actor=mentor_user,
        tenant=seoul,
        data=services.MentorInput(
            university_id=ctx.orgs["snu"].pk,
            major="수학교육",
            year=3,
            subjects=["maths", "science", "english"],
            levels=["middle", "high"],
            availability=[24 + 19, 24 + 20, 72 + 19, 72 + 20, 5 * 24 + 10, 5 * 24 + 11],
            mode="either",
            district_ids=[d.pk for d in near],
            gender="female",
            capacity=4,
        ),
    )
    services.mentor_screen(
        actor=officer,
        profile_id=demo.pk,
        approve=True,
        checks={"identity": True, "enrolment": True, "record_check": True},
        training_completed_on=today - timedelta(days=40),
    )
    services.mentor_activate(actor=officer, profile_id=demo.pk)
    crowd = _mentors(ctx, 30 if scale == "small" else 400, unis, districts)
    for profile in crowd[:3]:  # a few applications waiting for screening
        profile.status = MentorProfile.Status.APPLIED
        profile.checks, profile.screened_at, profile.activated_at = {}, None, None
        profile.save(update_fields=["status", "checks", "screened_at", "activated_at"])
        _documents(profile)

    members = [
        u
        for u in member_users(tenant=seoul)
        .exclude(pk=student.pk)
        .order_by("pk")[: 100 if scale == "small" else 1500]
    ]
    surveys = [
        MenteeSurvey(
            student=u,
            tenant=seoul,
            term=term,
            subjects=rng.sample(
                ["maths", "english", "maths", "science", "korean", "coding"],
                rng.randint(1, 2),
            ),
            level=rng.choice(["elementary", "middle", "high"]),
            availability=_hours(rng, rng.randint(2, 4)),
            mode=rng.choice(["online", "online", "either"]),
            district=rng.choice(districts),
        )
        for u in members
    ]
    for s in surveys:
        s.subjects = list(dict.fromkeys(s.subjects))
    # The last few arrive after the term's first run: waiting for the next one.
    late = surveys[-LATE_SURVEYS:] if len(surveys) > 2 * LATE_SURVEYS else []
    MenteeSurvey.objects.bulk_create(surveys[: len(surveys) - len(late)])
    if mentee_eligible(student, seoul):
        services.survey_submit(
            actor=student,
            term_id=term.pk,
            data=services.matching.SurveyInput(
                subjects=["maths", "science"],
                level="middle",
                availability=[24 + 19, 24 + 20, 72 + 19],
                mode="online",
                district_id=near[0].pk,
            ),
        )
    run = services.match_run_create(actor=officer, term_id=term.pk)
    # The demo loads inside one transaction, where the queued task would only run
    # after commit: compute the run here (the task does nothing for a finished run).
    services.match_run_compute(run_id=run.pk)
    run.refresh_from_db()
    mine = Match.objects.filter(run=run, student=student).first()
    if mine is not None and mine.mentor_id != demo.pk:
        full = Match.objects.filter(run=run, mentor=demo).exclude(student=student)
        extra = full.first()
        if extra is not None and full.count() >= demo.capacity:
            services.match_remove(actor=officer, match_id=extra.pk)
        services.match_adjust(actor=officer, match_id=mine.pk, mentor_id=demo.pk)
    services.match_run_publish(actor=officer, run_id=run.pk)
    MenteeSurvey.objects.bulk_create(late)
    _history(demo, mentor_user, rng)
    slots = _counselling(counsellor, student)
    pc_line = _pyeongchang_counselling(ctx)
    return [
        f"Mentoring: {MentorProfile.objects.filter(status='active').count()} active mentors, "
        f"{MenteeSurvey.objects.count()} surveys, {run.stats.get('pairs')} pairs in one "
        f"optimal run (certified: {run.certified}), {Session.objects.count()} sessions, "
        f"{slots} counselling slots; {len(late)} surveys wait for the next run",
        "  demo: mentor (한멘토, SNU, with mentees incl. student), officer.seoul (staff: "
        "/mentoring/staff/, 3 mentor applications to screen, each with two documents; "
        "the term's page runs the next batch match), "
        "counsellor (/mentoring/counselling/)",
        *pc_line,
    ]


def _weekly(hour_of_week: int, on_or_after: date) -> datetime:
    """The first time at ``hour_of_week`` (Seoul time) on or after ``on_or_after``."""
    weekday, hour = divmod(hour_of_week, 24)
    day = on_or_after + timedelta(days=(weekday - on_or_after.weekday()) % 7)
    return datetime.combine(day, time(hour), tzinfo=SEOUL)


def _history(demo: MentorProfile, mentor_user: User, rng: Any) -> None:
    """The weeks already behind the demo mentor's pairs, at their real Seoul hours.

    Publishing scheduled the pairs from tomorrow on; before that, each pair gets
    every weekly session since four weeks ago: the older ones held, reported and
    rated; the latest past one confirmed by the mentee and waiting for the mentor
    (confirm, then file the report); the first pair also has the week before that
    held without a report (the report is due). A weekly hour still ahead today
    becomes an upcoming session, so every pair has one within the week."""
    now = clock.now()
    matches = Match.objects.filter(mentor=demo, status=Match.Status.ACTIVE)
    for index, match in enumerate(
        matches.select_related("student").order_by("hour_of_week", "pk")
    ):
        first = match.sessions.order_by("starts_at").first()
        limit = first.starts_at if first else now + timedelta(days=1)
        when = _weekly(match.hour_of_week, clock.today() - timedelta(days=35))
        weeks: list[datetime] = []
        while when < limit:
            weeks.append(when)
            when += timedelta(days=7)
        past = [w for w in weeks if w <= now]
        for when in weeks:
            if when > now:  # later today: an upcoming session
                Session.objects.create(
                    match=match,
                    tenant_id=match.tenant_id,
                    starts_at=when,
                    duration_minutes=match.duration_minutes,
                )
                continue
            age = len(past) - 1 - past.index(when)  # 0: the latest past week
            ended = min(when + timedelta(minutes=match.duration_minutes), now)
            if age == 0:  # the mentee confirmed; the mentor has not yet
                Session.objects.create(
                    match=match,
                    tenant_id=match.tenant_id,
                    starts_at=when,
                    duration_minutes=match.duration_minutes,
                    student_confirmed_at=ended,
                )
                continue
            session = Session.objects.create(
                match=match,
                tenant_id=match.tenant_id,
                starts_at=when,
                duration_minutes=match.duration_minutes,
                status=Session.Status.HELD,
                mentor_confirmed_at=ended,
                student_confirmed_at=ended,
            )
            if age == 1 and index == 0:  # held, its report still due
                continue
            SessionReport.objects.create(
                session=session,
                topics=rng.choice(["일차함수", "연립방정식", "원의 성질", "확률"]),
                quiz_title=f"{len(past) - age}주차 퀴즈",
                quiz_score=rng.randint(55, 100),
                learning_report="개념 이해가 좋아지고 있음. 다음 주 복습 과제 제시.",
            )
            SessionRating.objects.create(session=session, stars=rng.randint(4, 5))
        if weeks:
            match.started_on = timezone.localdate(weeks[0])
            match.save(update_fields=["started_on"])
        Message.objects.create(
            match=match, sender=mentor_user, body="이번 주 퀴즈 준비 잘 해 오세요!"
        )
        Message.objects.create(
            match=match, sender=match.student, body="네, 감사합니다!"
        )


def _counselling(counsellor: User, student: User) -> int:
    today = clock.now().astimezone(SEOUL).date()
    start = datetime.combine(today, time(16), tzinfo=SEOUL)  # 16:00 in Seoul
    count = 0
    first = None
    for day in range(1, 11):
        for hour in (16, 17):
            when = start + timedelta(days=day, hours=hour - 16)
            slot = services.slot_publish(
                actor=counsellor,
                starts_at=when,
                ends_at=when + timedelta(minutes=50),
                topic="both",
                online_link="https://meet.example/nanum",
            )
            first = first or slot
            count += 1
    if first is not None and counselling_eligible(student, first.tenant_id):
        services.booking_create(
            actor=student,
            slot_id=first.pk,
            topic="admissions",
            question="수시와 정시 중 어떤 준비가 맞을지 궁금해요.",
        )
    return count


def _pyeongchang_counselling(ctx: Any) -> list[str]:
    """Pyeongchang offers career and admissions consulting but no mentoring: its own
    counsellor publishes career slots that its members book (issue 11)."""
    hall = ctx.orgs.get("pyeongchang-hall")
    if hall is None or "student.pyeongchang" not in ctx.users:
        return []
    pc = demo_user(ctx, "counsellor.pyeongchang", "평창상담", Role.COUNSELLOR, hall)
    start = datetime.combine(clock.today(), time(15), tzinfo=SEOUL)
    count = 0
    for day in range(1, 8):
        when = start + timedelta(days=day)
        services.slot_publish(
            actor=pc,
            starts_at=when,
            ends_at=when + timedelta(minutes=50),
            topic="career",
            online_link="https://meet.example/pyeongchang",
        )
        count += 1
    return [
        f"  Pyeongchang: counsellor.pyeongchang with {count} career slots; "
        "student.pyeongchang books one at /mentoring/counselling/",
    ]
