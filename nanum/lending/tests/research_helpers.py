"""Research items and requests for the ZEUS tests."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from nanum.core import clock
from nanum.lending import services
from nanum.lending.models import ResearchItem, ResearchRequest, ResearchVisitSlot

_n = [0]


def make_item(world: Any, **kw: Any) -> ResearchItem:
    _n[0] += 1
    values: dict[str, Any] = {
        "tenant": world.seoul,
        "bank": world.central_bank,
        "source": ResearchItem.Source.ZEUS,
        "nfec_no": f"NFEC-2018-05-{300000 + _n[0]}",
        "name_ko": "주사전자현미경",
        "name_en": "Scanning electron microscope",
        "owner_name": "서울대학교",
        "contact_name": "박연구",
        "contact_email": "sem@snu.example.ac.kr",
        "use_scope": ResearchItem.UseScope.SHARED,
        "idle_status": ResearchItem.Idle.IDLE,
        "lending": ResearchItem.Lending.LOAN,
        "digest": "x",
    }
    values.update(kw)
    return ResearchItem.objects.create(**values)


def monday(weeks: int = 2) -> date:
    day = clock.today() + timedelta(days=7 * weeks)
    return day - timedelta(days=day.weekday())


def request_item(
    world: Any, item: ResearchItem, *, actor: Any = None, offset: int = 0, **kw: Any
) -> ResearchRequest:
    start = monday() + timedelta(days=offset)
    args: dict[str, Any] = {
        "actor": actor or world.teacher,
        "item_id": item.pk,
        "school_id": world.small_school.pk,
        "bank_id": world.district_bank.pk,
        "mode": "loan",
        "start_date": start,
        "end_date": start + timedelta(days=4),
        "purpose": "세포 관찰 심화 수업",
    }
    args.update(kw)
    if args["mode"] == "visit" and "slot_id" not in args:
        # a visit books a slot: publish one on its day (the central bank's staff)
        day = args.pop("start_date")
        args.pop("end_date")
        args["slot_id"] = publish_slot(world, item, day=day).pk
    return services.research_request_create(**args)


def publish_slot(
    world: Any,
    item: ResearchItem,
    *,
    day: date | None = None,
    start: str = "10:00",
    end: str = "12:00",
    max_pupils: int = 30,
    actor: Any = None,
) -> ResearchVisitSlot:
    """A visit slot of ``item`` published by the central bank's staff (through the
    service: every rule applies)."""
    return services.research_slot_create(
        actor=actor or world.bank_officer,
        item_id=item.pk,
        date=day or monday(),
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
        max_pupils=max_pupils,
    )
