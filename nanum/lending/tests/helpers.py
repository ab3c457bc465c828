"""A small K-STEM catalogue on top of the persona world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from nanum.core.models import User
from nanum.lending import services
from nanum.lending.models import Asset, EquipmentModel


@dataclass
class Lending:
    microscope: EquipmentModel
    drone: EquipmentModel
    printer: EquipmentModel
    microbit: EquipmentModel
    scopes: list[Asset]
    monday: date

    def day(self, offset: int) -> date:
        return self.monday + timedelta(days=offset)


def next_monday(weeks: int = 3) -> date:
    today = timezone.localdate()
    d = today + timedelta(days=7 * weeks)
    return d - timedelta(days=d.weekday())


def make_model(world, code: str, **kw) -> EquipmentModel:
    defaults = dict(
        tenant=world.seoul,
        code=code,
        name_ko=code,
        name_en=code,
        category="science",
        prep_days=1,
        inspection_days=1,
        transit_days=1,
        max_loan_days=14,
    )
    defaults.update(kw)
    return EquipmentModel.objects.create(**defaults)


def make_assets(
    world, model: EquipmentModel, n: int, bank=None, prefix: str = ""
) -> list[Asset]:
    bank = bank or world.district_bank
    prefix = prefix or model.code.upper()
    return [
        Asset.objects.create(
            tenant=world.seoul,
            equipment=model,
            tag_code=f"{prefix}-{i:03d}",
            home_bank=bank,
            location=bank,
        )
        for i in range(1, n + 1)
    ]


@pytest.fixture
def lending(world) -> Lending:
    scope = make_model(
        world, "microscope", name_ko="생물 현미경", name_en="Biological microscope"
    )
    drone = make_model(
        world, "drone", category="ai_sw", requires_training=True, name_ko="교육용 드론"
    )
    printer = make_model(
        world,
        "printer3d",
        category="advanced",
        requires_approval=True,
        name_ko="3D 프린터",
    )
    microbit = make_model(
        world,
        "microbit-kit",
        category="ai_sw",
        name_ko="마이크로비트 학급 키트",
        kit_parts=["micro:bit × 30", "USB cable × 30", "battery pack × 30"],
    )
    scopes = make_assets(world, scope, 3)
    make_assets(world, drone, 2)
    make_assets(world, printer, 1)
    make_assets(world, microbit, 2, bank=world.central_bank)
    return Lending(scope, drone, printer, microbit, scopes, next_monday())


def book(
    world,
    lending: Lending,
    *,
    actor: User | None = None,
    model=None,
    qty: int = 1,
    start: int = 0,
    end: int = 4,
    school=None,
    bank=None,
    **kw,
):

    return services.reservation_create(
        actor=actor or world.teacher,
        equipment_id=(model or lending.microscope).pk,
        bank_id=(bank or world.district_bank).pk,
        school_id=(school or world.small_school).pk,
        quantity=qty,
        start_date=lending.day(start),
        end_date=lending.day(end),
        purpose="세포 관찰 수업",
        **kw,
    )
