"""Demo research equipment: a few hundred idle items from Seoul universities and
institutes, read through the real ZEUS sync (an in-memory feed in the Open API's
shape), one request waiting for the central bank and one approved by its owner, and a few free
visit slots on two on-site-only items."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from nanum.core import clock
from nanum.core.models import User

from .. import selectors, services
from ..models import ResearchVisitSlot
from ..services import ZeusClient
from ..services.zeus_client import FeedPage

if TYPE_CHECKING:
    from nanum.core.demo import DemoContext

# owner (ko, code), address, postcode, contact e-mail domain
OWNERS = [
    ("서울대학교", "SNU", "관악구 관악로 1", "08826", "snu.ac.kr"),
    ("연세대학교", "YSU", "서대문구 연세로 50", "03722", "yonsei.ac.kr"),
    ("고려대학교", "KU", "성북구 안암로 145", "02841", "korea.ac.kr"),
    ("한양대학교", "HYU", "성동구 왕십리로 222", "04763", "hanyang.ac.kr"),
    (
        "서울과학기술대학교",
        "SEOULTECH",
        "노원구 공릉로 232",
        "01811",
        "seoultech.ac.kr",
    ),
    ("이화여자대학교", "EWHA", "서대문구 이화여대길 52", "03760", "ewha.ac.kr"),
    ("한국과학기술연구원", "KIST", "성북구 화랑로14길 5", "02792", "kist.re.kr"),
    ("서울시립대학교", "UOS", "동대문구 서울시립대로 163", "02504", "uos.ac.kr"),
    ("중앙대학교", "CAU", "동작구 흑석로 84", "06974", "cau.ac.kr"),
    ("건국대학교", "KKU", "광진구 능동로 120", "05029", "konkuk.ac.kr"),
]
KINDS = [
    ("주사전자현미경", "Scanning electron microscope", "가속전압 30 kV, 배율 ×300,000"),
    ("원자힘현미경", "Atomic force microscope", "스캔 범위 90 µm, 비접촉 모드"),
    ("푸리에 변환 적외선 분광기", "FT-IR spectrometer", "4,000–400 cm⁻¹, ATR 부착"),
    ("자외선-가시광선 분광광도계", "UV-Vis spectrophotometer", "190–1,100 nm"),
    ("공초점 레이저 주사 현미경", "Confocal laser scanning microscope", "레이저 4종"),
    ("가스 크로마토그래피", "Gas chromatograph", "FID 검출기"),
    ("디지털 오실로스코프", "Digital oscilloscope", "4채널, 1 GHz"),
    ("열화상 카메라", "Thermal imaging camera", "640×480, −20–650 °C"),
    ("3D 스캐너", "3D scanner", "정밀도 0.05 mm"),
    ("고속 원심분리기", "High-speed centrifuge", "최대 20,000 rpm"),
    ("실시간 PCR 장비", "Real-time PCR system", "96웰"),
    ("형광 분광광도계", "Spectrofluorometer", "제논 램프 150 W"),
    ("고속 카메라", "High-speed camera", "초당 10,000 프레임"),
    ("전기화학 분석기", "Electrochemical workstation", "포텐쇼스탯/갈바노스탯"),
    ("지진계 교육 세트", "Seismometer", "3축 광대역"),
]
N_ITEMS = 300


def _records(rng: random.Random) -> list[dict[str, str]]:
    rows = []
    for i in range(N_ITEMS):
        owner = OWNERS[i % len(OWNERS)]
        kind = KINDS[(i * 7) % len(KINDS)]
        year = 2009 + i % 15
        roll = rng.random()
        rows.append(
            {
                "equipId": f"Z{2000000 + i}",
                "equipNo": f"NFEC-{year}-{1 + i % 12:02d}-{200000 + i * 13:06d}",
                "fixedAsetNo": f"{owner[1]}-{year}-{i:05d}",
                "korNm": kind[0],
                "engNm": kind[1],
                "organNm": owner[0],
                "organCd": owner[1],
                "useScopeCd": "1" if roll < 0.1 else "2",
                "idleDisuseCd": "3" if i % 50 == 49 else ("4" if i % 4 == 0 else "2"),
                "statusCd": "A",
                "registDt": f"{year}{1 + i % 12:02d}15",
                "modifyDt": "20261115",
                "chargerNm": ["김연구", "이장비", "박실험", "최분석"][i % 4],
                "chargerEmail": f"equip{i % 20}@{owner[4]}",
                "chargerTelno": f"02-{3000 + i % 900}-{1000 + i:04d}",
                "installPlace": f"{owner[2]} {1 + i % 30}동 {100 + i % 400}호",
                "zipCd": owner[3],
                "rentPsblYn": "N" if roll > 0.92 else ("O" if roll > 0.6 else "Y"),
                "eduNeedYn": "Y" if i % 5 == 0 else "N",
                "insrncNeedYn": "Y" if i % 7 == 0 else "N",
                "oprtrNeedYn": "Y" if i % 6 == 0 else "N",
                "equipSpec": kind[2],
            }
        )
    return rows


class DemoFeed(ZeusClient):
    """The demo's ZEUS: the same pages the Open API serves, from memory."""

    def __init__(self, records: list[dict[str, str]]) -> None:
        super().__init__(base_url="demo://zeus", api_key="demo", page_size=100)
        self.records = records

    def page(self, number: int) -> FeedPage:
        """Page ``number`` (from 1); past the end, an empty page, as the Open API
        answers (the sync asks for the page after a full last one)."""
        start = (number - 1) * self.page_size
        return FeedPage(
            number=number,
            total=len(self.records),
            records=self.records[start : start + self.page_size],
        )

    def pages(self) -> Iterator[FeedPage]:
        for n in range(0, len(self.records), self.page_size):
            yield self.page(n // self.page_size + 1)


def seed(ctx: DemoContext) -> list[str]:
    central = ctx.orgs.get("bank-central")
    bank = ctx.orgs.get("bank-gangseo-yangcheon")
    teacher = ctx.users.get("teacher")
    school = ctx.orgs.get("demo-school")
    if central is None or bank is None or teacher is None or school is None:
        return []
    sync = services.zeus_sync_run(
        bank_id=central.pk, client=DemoFeed(_records(random.Random(13)))
    )
    lendable = selectors.research_item_list(actor=teacher).filter(
        use_scope="shared", lending="loan"
    )
    start = clock.today() + timedelta(days=21)
    start -= timedelta(days=start.weekday())  # a Monday three weeks ahead
    made = []
    for item, offset in ((lendable[1], 0), (lendable[2], 7)):
        made.append(
            services.research_request_create(
                actor=teacher,
                item_id=item.pk,
                school_id=school.pk,
                bank_id=bank.pk,
                mode="loan",
                start_date=start + timedelta(days=offset),
                end_date=start + timedelta(days=offset + 4),
                purpose="과학 동아리 심화 탐구: 실제 연구장비로 관찰하기",
            )
        )
    approved = made[1]
    staff = ctx.users.get("bank.central")
    if staff is not None:
        services.research_request_forward(actor=staff, request_id=approved.pk)
        services.research_owner_decide(
            token=selectors.owner_token("r", approved.pk),
            approve=True,
            name="김연구",
            reason="장비 사용 교육 후 대여합니다.",
        )
    slots = _visit_slots(teacher, staff, start) if staff is not None else []
    return [
        f"ZEUS: {sync.added} research items from Seoul universities and institutes "
        f"({sync.withdrawn} disused, hidden); search '현미경' as 'teacher'. Request "
        f"#{made[0].pk} waits for the central bank ('bank.central': Research equipment "
        f"requests), #{made[1].pk} is approved by its owner. {len(slots)} free visit "
        f"slots on {len({sl.item_id for sl in slots})} on-site items (items' pages)."
    ]


def _visit_slots(teacher: User, staff: User, monday: date) -> list[ResearchVisitSlot]:
    """Three future visit slots on each of two on-site-only items (published by the
    central bank's staff): a morning and an afternoon, and one the week after."""
    on_site = selectors.research_item_list(actor=teacher).filter(
        use_scope="shared", lending="on_site", idle_status__in=("idle", "under_used")
    )[:2]
    made = []
    for item in on_site:
        for days, start, end, pupils in (
            (1, time(10, 0), time(12, 0), 30),
            (1, time(14, 0), time(16, 0), 25),
            (8, time(10, 0), time(11, 30), 20),
        ):
            made.append(
                services.research_slot_create(
                    actor=staff,
                    item_id=item.pk,
                    date=monday + timedelta(days=days),
                    start_time=start,
                    end_time=end,
                    max_pupils=pupils,
                )
            )
    return made
