"""Demo data for the K-STEM Bank: a realistic catalogue across the bank network,
and idle research equipment from ZEUS (``research.py``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F

from nanum.core import clock
from nanum.core.errors import DomainError
from nanum.core.models import Organisation
from nanum.core.selectors import is_school_day

from .. import services
from ..models import (
    Allocation,
    Asset,
    BankPolicy,
    Consumable,
    EquipmentModel,
    Reservation,
    TrainingRecord,
)
from . import history, research

if TYPE_CHECKING:
    from nanum.core.demo import DemoContext

# code, ko, en, category, maker, grades, training, approval, max days, value, parts, banks
CATALOGUE = [
    (
        "microscope-bio",
        "생물 현미경 (400배)",
        "Biological microscope (400×)",
        "science",
        "Olympus",
        (3, 12),
        False,
        False,
        14,
        450_000,
        [],
        ("district", 6),
    ),
    (
        "microscope-digital",
        "디지털 현미경 (모니터 연결)",
        "Digital microscope (HDMI)",
        "science",
        "Dino-Lite",
        (5, 12),
        False,
        False,
        14,
        700_000,
        [],
        ("district", 2),
    ),
    (
        "microbit-class",
        "마이크로비트 학급 키트 (30대)",
        "micro:bit class kit (30)",
        "ai_sw",
        "Micro:bit Foundation",
        (4, 12),
        False,
        False,
        21,
        1_500_000,
        ["micro:bit V2 × 30", "USB 케이블 × 30", "배터리 팩 × 30", "보관함 × 1"],
        ("aisw", 8),
    ),
    (
        "arduino-class",
        "아두이노 학급 키트 (15세트)",
        "Arduino class kit (15 sets)",
        "ai_sw",
        "Arduino",
        (6, 12),
        False,
        False,
        21,
        1_200_000,
        ["Arduino Uno × 15", "브레드보드 × 15", "센서 세트 × 15"],
        ("aisw", 5),
    ),
    (
        "ai-robot",
        "AI 자율주행 로봇 키트",
        "AI self-driving robot kit",
        "ai_sw",
        "Robotis",
        (5, 12),
        False,
        True,
        14,
        2_300_000,
        ["로봇 × 6", "충전기 × 6", "트랙 매트 × 1"],
        ("aisw", 4),
    ),
    (
        "vr-headset",
        "VR 헤드셋 학급 세트 (10대)",
        "VR headset class set (10)",
        "ai_sw",
        "Meta",
        (5, 12),
        True,
        False,
        10,
        5_000_000,
        ["헤드셋 × 10", "컨트롤러 × 20", "충전 스테이션 × 1"],
        ("central", 3),
    ),
    (
        "edu-drone",
        "교육용 코딩 드론 (6대)",
        "Coding drone set (6)",
        "ai_sw",
        "Robolink",
        (5, 12),
        True,
        False,
        10,
        1_800_000,
        ["드론 × 6", "배터리 × 12", "프로펠러 가드 × 6"],
        ("central", 4),
    ),
    (
        "printer-3d",
        "3D 프린터",
        "3D printer",
        "advanced",
        "Sindoh",
        (4, 12),
        True,
        True,
        21,
        2_500_000,
        [],
        ("science", 4),
    ),
    (
        "oscilloscope",
        "디지털 오실로스코프",
        "Digital oscilloscope",
        "advanced",
        "Rigol",
        (10, 12),
        False,
        True,
        14,
        900_000,
        [],
        ("science", 5),
    ),
    (
        "spectrometer",
        "분광 광도계",
        "UV-Vis spectrophotometer",
        "advanced",
        "Ocean Insight",
        (10, 12),
        True,
        True,
        14,
        6_000_000,
        [],
        ("science", 2),
    ),
    (
        "telescope",
        "천체 망원경",
        "Astronomical telescope",
        "science",
        "Celestron",
        (4, 12),
        False,
        False,
        7,
        1_100_000,
        [],
        ("district", 2),
    ),
    (
        "geometry-set",
        "입체 도형 교구 세트",
        "3D geometry manipulatives",
        "maths",
        "Learning Resources",
        (1, 9),
        False,
        False,
        21,
        150_000,
        ["정다면체 × 5", "전개도 카드 × 30"],
        ("district", 4),
    ),
    (
        "fraction-tiles",
        "분수 막대 학급 세트",
        "Fraction tiles class set",
        "maths",
        "hand2mind",
        (3, 6),
        False,
        False,
        21,
        90_000,
        ["분수 막대 × 30세트"],
        ("district", 3),
    ),
    (
        "tangram-class",
        "칠교·펜토미노 학급 세트",
        "Tangram & pentomino class set",
        "maths",
        "교구나라",
        (1, 9),
        False,
        False,
        21,
        120_000,
        ["칠교 × 30", "펜토미노 × 30"],
        ("district", 3),
    ),
]


def _bank_sets(ctx: DemoContext) -> dict[str, list]:
    o = ctx.orgs
    districts = [
        org
        for code, org in o.items()
        if code.startswith("bank-")
        and org.bank_type == Organisation.BankType.MATH_SCIENCE
    ]
    return {
        "district": districts,
        "aisw": [o["bank-aisw"], o["bank-central"]],
        "science": [o["bank-science"], o["bank-central"]],
        "central": [o["bank-central"]],
    }


def _school_day(start: date) -> date:
    d = start
    while not is_school_day(d):
        d += timedelta(days=1)
    return d


@transaction.atomic
def _seed_catalogue(ctx: DemoContext) -> tuple[int, int]:
    seoul = ctx.tenants["seoul"]
    banks = _bank_sets(ctx)
    models, assets = 0, []
    for code, ko, en, cat, maker, (g1, g2), training, approval, days, value, parts, (
        where,
        n,
    ) in CATALOGUE:
        m = EquipmentModel.objects.create(
            tenant=seoul,
            code=code,
            name_ko=ko,
            name_en=en,
            category=cat,
            maker=maker,
            min_grade=g1,
            max_grade=g2,
            requires_training=training,
            requires_approval=approval,
            max_loan_days=days,
            replacement_value=value,
            kit_parts=parts,
            transit_days=2 if cat == "advanced" else 1,
            safety_notes="사용 전 안전 수칙을 학생과 함께 읽어 주세요."
            if training
            else "",
            description=f"{ko} — {maker}",
        )
        models += 1
        for bank in banks[where]:
            for i in range(1, n + 1):
                assets.append(
                    Asset(
                        tenant=seoul,
                        equipment=m,
                        tag_code=f"K{bank.pk:03d}-{code.upper()}-{i:02d}",
                        serial=f"SN{ctx.rng.randrange(10**7, 10**8)}",
                        home_bank=bank,
                        location=bank,
                        acquired_on=date(2025, 3, 1)
                        - timedelta(days=ctx.rng.randrange(0, 900)),
                        condition=ctx.rng.choice(["new", "good", "good", "fair"]),
                    )
                )
    Asset.objects.bulk_create(assets, batch_size=500)
    for bank in banks["district"] + banks["science"] + banks["aisw"]:
        BankPolicy.objects.get_or_create(bank=bank)
        Consumable.objects.get_or_create(
            tenant=seoul,
            bank=bank,
            name_ko="AA 건전지",
            name_en="AA batteries",
            defaults={
                "unit": "개",
                "stock": ctx.rng.randrange(20, 200),
                "reorder_level": 40,
            },
        )
    return models, len(assets)


def _seed_reservations(ctx: DemoContext) -> int:
    teacher = ctx.users.get("teacher")
    school = ctx.orgs.get("demo-school")
    staff = ctx.users.get("bank.gangseo")
    if teacher is None or school is None:
        return 0
    bank = ctx.orgs["bank-gangseo-yangcheon"]
    models = {m.code: m for m in EquipmentModel.objects.all()}
    TrainingRecord.objects.create(
        user=teacher,
        equipment=models["edu-drone"],
        completed_on=clock.today(),
        valid_until=clock.today() + timedelta(days=365),
        recorded_by=ctx.users.get("bank.central"),
    )
    base = clock.today() + timedelta(days=14)
    plans = [
        ("microscope-bio", bank, 4, 0, 4),
        ("geometry-set", bank, 2, 7, 9),
        ("telescope", bank, 1, 14, 15),
        ("microbit-class", ctx.orgs["bank-aisw"], 1, 7, 11),
        ("edu-drone", ctx.orgs["bank-central"], 1, 21, 23),
        ("oscilloscope", ctx.orgs["bank-science"], 2, 10, 12),
    ]
    made = 0
    for code, b, qty, s, e in plans:
        start = _school_day(base + timedelta(days=s))
        end = _school_day(start + timedelta(days=e - s))
        try:
            r = services.reservation_create(
                actor=teacher,
                equipment_id=models[code].pk,
                bank_id=b.pk,
                school_id=school.pk,
                quantity=qty,
                start_date=start,
                end_date=end,
                purpose="과학·수학 탐구 수업",
                waitlist=True,
            )
            made += 1
            if code == "microscope-bio" and staff is not None:
                services.checkout(
                    actor=staff,
                    reservation_id=r.pk,
                    tag_codes=list(
                        r.allocations.values_list("asset__tag_code", flat=True)
                    ),
                )
        except DomainError:
            continue
    return made


def _shift(r: Reservation, start: date) -> None:
    """Move a freshly booked demo reservation (and its held units) to ``start``.

    Demo shaping only: the booking service refuses dates inside the lead time, but
    the staff's board needs pickups today and tomorrow and a return due today. The
    units moved are ones no other demo booking holds in the new window.
    """
    delta = start - r.start_date
    Reservation.objects.filter(pk=r.pk).update(
        start_date=F("start_date") + delta, end_date=F("end_date") + delta
    )
    Allocation.objects.filter(reservation=r).update(
        blocked_from=F("blocked_from") + delta,
        blocked_until=F("blocked_until") + delta,
    )


def _seed_staff_day(ctx: DemoContext) -> int:
    """For 'bank.gangseo': pickups today and tomorrow, a return due today, approvals.

    Each is booked through the service at a later valid date, then moved (``_shift``).
    """
    teacher = ctx.users.get("teacher")
    school = ctx.orgs.get("demo-school")
    staff = ctx.users.get("bank.gangseo")
    if teacher is None or school is None or staff is None:
        return 0
    bank = ctx.orgs["bank-gangseo-yangcheon"]
    models = {m.code: m for m in EquipmentModel.objects.all()}
    today = clock.today()
    far = _school_day(today + timedelta(days=60))
    # (model, units, moved to (days from today) or None, then: "checkout" | "pending")
    plans: list[tuple[str, int, int | None, str]] = [
        ("tangram-class", 2, 0, ""),
        ("telescope", 1, 1, ""),
        ("fraction-tiles", 2, -4, "checkout"),
        ("microscope-digital", 1, None, "pending"),
        ("geometry-set", 1, None, "pending"),
        ("fraction-tiles", 1, None, "pending"),
    ]
    made = 0
    for i, (code, qty, move, then) in enumerate(plans):
        start = _school_day(far + timedelta(days=7 * i))
        try:
            r = services.reservation_create(
                actor=teacher,
                equipment_id=models[code].pk,
                bank_id=bank.pk,
                school_id=school.pk,
                quantity=qty,
                start_date=start,
                end_date=_school_day(start + timedelta(days=2)),
                purpose="과학·수학 탐구 수업",
            )
            if then == "checkout":
                services.checkout(
                    actor=staff,
                    reservation_id=r.pk,
                    tag_codes=list(
                        r.allocations.values_list("asset__tag_code", flat=True)
                    ),
                )
        except DomainError:
            continue
        if then == "pending":
            Reservation.objects.filter(pk=r.pk).update(
                status=Reservation.Status.PENDING
            )
        if move is not None:
            _shift(r, today + timedelta(days=move))
            if then == "checkout":  # due back today
                Reservation.objects.filter(pk=r.pk).update(end_date=today)
        made += 1
    return made


def seed(ctx: DemoContext, scale: str) -> list[str]:
    if EquipmentModel.objects.exists():
        return ["K-STEM Bank: catalogue already present, left as it is."]
    models, assets = _seed_catalogue(ctx)
    made = _seed_reservations(ctx)
    staff_day = _seed_staff_day(ctx)
    lines = [
        f"K-STEM Bank: {models} equipment models, {assets} assets across the bank network, "
        f"{made} reservations for the demo teacher (sign in as 'teacher'; staff: 'bank.gangseo').",
        f"K-STEM Bank: {staff_day} bookings on the board of 'bank.gangseo' (pickups today "
        "and tomorrow, a return due today, approvals waiting; find them under 'Find a "
        "reservation', or type a tag in the staff header).",
    ]
    lines.extend(history.seed(ctx))
    lines.extend(research.seed(ctx))
    if scale == "large":
        lines.append(
            "K-STEM Bank: the large scale is not seeded here; bench/lending_search.py builds "
            "100,000 assets and 1,000,000 reservations itself."
        )
    return lines
