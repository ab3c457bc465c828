"""Demo: a Chungbuk residential camp (the town's dormitory service), two nights, three
rooms, four pupils with places:

- 김한솔 and 김한결 (children of ``cb.parent``): consent given, emergency contact, room;
- 이다온 (child of ``cb.parent2``): consent and contact given, no room yet (the
  organiser ``cb.camp`` puts them in one);
- 김한별 (``cb.parent``'s youngest): contact given, **waiting for guardian consent**
  (``cb.parent`` consents from "Residential stays and consents").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from nanum.core.demo import DemoContext, demo_user
from nanum.core.models import Organisation, Role, User
from nanum.learning.services import child_register

from .. import services
from ..models import Application, Programme, Room
from ..selectors import residential as res
from ..services import residential as writes
from ._common import SEOUL, _seoul


def _org(ctx: DemoContext, code: str, **kw: object) -> Organisation:
    org = Organisation.objects.filter(code=code).first()
    if org is None:
        org = Organisation.objects.create(code=code, **kw)
    ctx.orgs[code] = org
    return org


def _user(
    ctx: DemoContext, username: str, name: str, role: str, org: Organisation
) -> User:
    if username in ctx.users:
        return ctx.users[username]
    return demo_user(ctx, username, name, role, org)


def seed_residential(ctx: DemoContext, now: datetime) -> list[str]:
    chungbuk = ctx.tenants.get("chungbuk")
    if chungbuk is None or not res.town_offers_residential(chungbuk):
        return ["  residential: skipped (Chungbuk's dormitory service is off)"]
    admin = ctx.users["admin"]
    centre = _org(
        ctx,
        "cb-youth-centre",
        kind=Organisation.Kind.CENTRE,
        tenant=chungbuk,
        name_ko="충북 청소년 수련원",
        name_en="Chungbuk Youth Residential Centre",
    )
    school = _org(
        ctx,
        "cb-cheongju-middle",
        kind=Organisation.Kind.SCHOOL,
        school_level=Organisation.SchoolLevel.MIDDLE,
        tenant=chungbuk,
        name_ko="청주중학교",
        name_en="Cheongju Middle School",
    )
    _user(ctx, "cb.camp", "충북 캠프 담당", Role.CENTRE_STAFF, centre)
    parent = _user(ctx, "cb.parent", "김보호", Role.GUARDIAN, school)
    parent2 = _user(ctx, "cb.parent2", "이보호", Role.GUARDIAN, school)
    hansol = child_register(actor=parent, display_name="김한솔", birth_year=2013)
    hangyeol = child_register(actor=parent, display_name="김한결", birth_year=2012)
    hanbyeol = child_register(actor=parent, display_name="김한별", birth_year=2014)
    daon = child_register(actor=parent2, display_name="이다온", birth_year=2013)

    p = services.programme_create(
        actor=admin,
        organiser=centre,
        programme=services.ProgrammeInput(
            name_ko="충북 여름 숲속 기숙 캠프 (2박 3일)",
            name_en="Chungbuk forest residential camp (2 nights)",
            kind=Programme.Kind.RESIDENTIAL,
            audience=Programme.Audience.STUDENTS,
            grade_min=5,
            grade_max=9,
            capacity=12,
            apply_opens_at=now - timedelta(days=3),
            apply_closes_at=now + timedelta(days=10),
            description_ko="충북런 학생을 위한 2박 3일 숲속 과학·진로 캠프입니다. "
            "보호자 동의와 비상 연락처가 있어야 참가가 확정됩니다.",
            description_en="Two nights of forest science and careers for Chungbuk "
            "Learn students; a place is confirmed with a guardian's consent and an "
            "emergency contact.",
        ),
    )
    first = timezone.localtime(now, SEOUL).date() + timedelta(days=17)
    services.session_add(
        actor=admin,
        programme=p,
        starts_at=_seoul(first, 10),
        ends_at=_seoul(first + timedelta(days=2), 15),
        place="충북 청소년 수련원 (괴산)",
        capacity=12,
        instructor="박숲길",
    )
    writes.stay_set(
        actor=admin,
        programme=p,
        check_in=first,
        check_out=first + timedelta(days=2),
        place="충북 청소년 수련원 생활관 (괴산)",
    )
    rooms: dict[str, Room] = {}
    for name, beds, gender in (
        ("솔방울방", 4, Room.Gender.MALE),
        ("도토리방", 4, Room.Gender.FEMALE),
        ("다람쥐방", 2, Room.Gender.FREE),
    ):
        rooms[name] = writes.room_add(
            actor=admin, programme=p, name=name, capacity=beds, gender=gender
        )
    services.programme_set_status(
        actor=admin, programme=p, status=Programme.Status.PUBLISHED
    )

    def place(child: User, guardian: User, phone: str) -> Application:
        app = services.application_apply(actor=child, programme=p)
        writes.emergency_contact_add(
            actor=guardian,
            application_id=app.pk,
            name=guardian.display_name,
            relation="보호자",
            phone=phone,
        )
        return app

    for child, room in ((hansol, "솔방울방"), (hangyeol, "도토리방")):
        app = place(child, parent, "010-2345-6789")
        writes.consent_give(actor=parent, application_id=app.pk)
        writes.room_assign(
            actor=admin,
            programme=p,
            application_id=app.pk,
            room_id=rooms[room].pk,
        )
    app = place(daon, parent2, "043-221-3456")
    writes.consent_give(actor=parent2, application_id=app.pk)
    place(hanbyeol, parent, "010-2345-6789")  # waits for the guardian's consent
    return [
        f"  residential: Chungbuk camp #{p.pk} (2 nights, 3 rooms, 4 places; "
        "김한별 waits for consent) — organiser cb.camp, guardian cb.parent"
    ]
