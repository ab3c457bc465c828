"""Demo data of insights: each school's need index with its (simulated) public
indicators for two school years, a district office officer, research consent and
answers of some Seoul Learn members, the researcher's approved project with its
first export, and the equity figures."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from nanum.core import clock
from nanum.core.demo import DemoContext, demo_user
from nanum.core.models import Organisation, Role, User
from nanum.learning import services as learning_services
from nanum.learning.selectors import insights as learning_insights

from . import services
from .models import (
    SMALL_FULL,
    SMALL_NONE,
    W_BENEFIT,
    W_DISTRICT,
    W_MULTICULTURAL,
    W_SMALL,
    Dataset,
    EquityFact,
    ResearchConsent,
)

SOURCE = "학교알리미 공시 지표 (데모: 모의 값)"
RESEARCH_MEMBERS = 60


def _indicator_rows(rng: random.Random) -> list[dict[str, str]]:
    """Inputs that reproduce each school's demo need index, with noise."""
    year = clock.today().year
    rows: list[dict[str, str]] = []
    schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).select_related(
        "district"
    )
    for s in schools.order_by("code"):
        need = float(s.need_index if s.need_index is not None else Decimal("0.4"))
        students = s.student_count or 300
        district = float(
            s.district.need_index
            if s.district and s.district.need_index is not None
            else Decimal("0.4")
        )
        small = min(1.0, max(0.0, (SMALL_NONE - students) / (SMALL_NONE - SMALL_FULL)))
        rest = need - float(W_SMALL) * small - float(W_DISTRICT) * district
        x = min(1.0, max(0.0, rest / float(W_BENEFIT + W_MULTICULTURAL)))
        for y, drift in ((year - 1, rng.uniform(-1.5, 1.0)), (year, 0.0)):
            benefit = min(100.0, max(0.0, x * 30 * rng.uniform(0.9, 1.1) + drift))
            multi = min(100.0, max(0.0, x * 15 * rng.uniform(0.7, 1.3)))
            rows.append(
                {
                    "school_code": s.code,
                    "year": str(y),
                    "benefit_pct": f"{benefit:.2f}",
                    "multicultural_pct": f"{multi:.2f}",
                    "students": str(students),
                    "district_need": f"{district:.3f}",
                    "source": f"{SOURCE} {y}",
                }
            )
    return rows


def _archive(rng: random.Random) -> tuple[str, int]:
    """The previous term's requests at every Seoul school, as archived facts: a
    simulated history (Nanum's rules: need first, with reserved places), so that the
    dashboard shows a realistic semester next to the live demo data."""
    term = services.term_of(clock.today() - timedelta(days=183))
    schools = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.SCHOOL, need_index__isnull=False
        ).values(
            "pk",
            "tenant_id",
            "parent_id",
            "district_id",
            "school_level",
            "student_count",
            "need_index",
        )
    )
    cuts = services.quintile_cuts(s["need_index"] or Decimal(0) for s in schools)
    share = {
        "equipment": 0.006,
        "programme": 0.02,
        "learn_place": 0.015,
        "mentor": 0.006,
    }
    capacity = {
        "equipment": 0.55,
        "programme": 0.5,
        "learn_place": 0.67,
        "mentor": 0.62,
    }
    use = {"equipment": 0.93, "programme": 0.85, "learn_place": 0.95, "mentor": 0.88}
    cats = {
        "equipment": ["science", "ai_sw", "maths"],
        "programme": ["math_up", "eureka", "camp", "ai"],
        "learn_place": ["basic_livelihood", "near_poor", "single_parent", "income"],
    }
    facts: list[EquityFact] = []
    for resource, rate in share.items():
        asks: list[tuple[float, EquityFact]] = []
        for s in schools:
            q = services.quintile_of(s["need_index"], cuts)
            for i in range(max(1, round((s["student_count"] or 300) * rate))):
                qty = rng.randint(1, 4) if resource == "equipment" else 1
                fact = EquityFact(
                    resource=resource,
                    term=term,
                    tenant_id=s["tenant_id"],
                    district_office_id=s["parent_id"],
                    district_id=s["district_id"],
                    school_id=s["pk"],
                    school_level=s["school_level"],
                    category=rng.choice(cats.get(resource, [s["school_level"]])),
                    quintile=q,
                    person=f"d{resource[:2]}{s['pk']}-{i}",
                    requested=qty,
                    archived=True,
                )
                # Nanum's rules: greater need first, with chance among equals.
                need = float(s["need_index"] or 0)
                asks.append((-need - rng.random() * 0.5, fact))
        room = int(sum(f.requested for _k, f in asks) * capacity[resource])
        for _key, fact in sorted(asks, key=lambda a: a[0]):
            if fact.requested <= room:
                room -= fact.requested
                fact.allocated = fact.requested
                fact.used = fact.requested if rng.random() < use[resource] else 0
            facts.append(fact)
        if resource == "learn_place":
            members = [f for f in facts if f.resource == resource and f.allocated]
            seats = len(members) * 3 // 4
            for n, m in enumerate(members):
                got = n < seats
                facts.append(
                    EquityFact(
                        resource="learn_seat",
                        term=term,
                        tenant_id=m.tenant_id,
                        district_office_id=m.district_office_id,
                        district_id=m.district_id,
                        school_id=m.school_id,
                        school_level=m.school_level,
                        category=m.category,
                        quintile=m.quintile,
                        person=m.person,
                        requested=1,
                        allocated=int(got),
                        used=int(got and rng.random() < 0.9),
                        archived=True,
                    )
                )
    EquityFact.objects.filter(archived=True, term=term).delete()
    EquityFact.objects.bulk_create(facts, batch_size=2000)
    return term, len(facts)


def seed(ctx: DemoContext, scale: str) -> list[str]:
    rng = random.Random(20261201)
    result = services.need_index_import(
        actor=None, rows=_indicator_rows(rng), source=SOURCE
    )
    lines = [
        f"Insights: need index with its indicators for {result.created // 2} schools "
        "(two school years)."
    ]
    office = ctx.orgs.get("do-gangseo-yangcheon")
    if office is not None:
        demo_user(
            ctx, "officer.gangseoyangcheon", "강서양천담당", Role.TENANT_OFFICER, office
        )
        lines.append(
            "Insights: officer.gangseoyangcheon sees the dashboard of its district office."
        )
    seoul = ctx.tenants.get("seoul")
    members = (
        learning_insights.approved_member_ids(
            tenant_id=seoul.pk, limit=RESEARCH_MEMBERS
        )
        if seoul is not None
        else []
    )
    facts = learning_insights.member_facts(members)
    today = clock.today()
    ResearchConsent.objects.bulk_create(
        [
            ResearchConsent(
                member_id=pid,
                consented=True,
                given_by_id=pid,
                # Under 14 the guardian's consent was collected on the paper form.
                by_guardian=not services.old_enough(
                    facts.get(pid, {}).get("birth_year") or 2000, today
                ),
            )
            for pid in members
        ]
    )
    items = learning_insights.published_item_ids(limit=12)
    students = {u.pk: u for u in User.objects.filter(pk__in=members)}
    for pid in members:
        for item_id in rng.sample(items, min(len(items), rng.randint(4, 10))):
            learning_services.answer_record(
                actor=students[pid],
                item_id=item_id,
                # every demo item has at least three choices
                answer=rng.randint(0, 1),
                duration_ms=rng.randint(8_000, 90_000),
            )
    admin = ctx.users.get("admin")
    researcher = ctx.users.get("researcher")
    snu = ctx.orgs.get("snu")
    if admin is not None and researcher is not None and snu is not None:
        today = clock.today()
        project = services.research_project_approve(
            actor=admin,
            data=services.ProjectInput(
                title="AI 기반 교수·학습 공동연구 (서울대학교)",
                institution_id=snu.pk,
                principal_investigator="김연구 교수",
                purpose="AI 맞춤 학습의 성취 효과와 교육격차 해소 효과 분석",
                irb_ref="SNUIRB-2026-0412",
                starts_on=today - timedelta(days=30),
                ends_on=today + timedelta(days=365),
                datasets=[d.value for d in Dataset],
                researcher_ids=[researcher.pk],
            ),
        )
        export = services.research_export_create(
            actor=researcher, project_id=project.pk, dataset=Dataset.INTERACTIONS
        )
        lines.append(
            f"Insights: the researcher's approved project with a first export "
            f"({export.row_count} rows, smallest group {export.min_k})."
        )
    term, archived = _archive(rng)
    n = services.equity_refresh()
    lines.append(
        f"Insights: equity dashboard built from {n} live requests and a simulated "
        f"archive of term {term} ({archived} requests at every Seoul school)."
    )
    return lines
