"""Rebuild the equity facts from what the other apps hold (through their selectors)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from nanum.core.models import District, Organisation, Role, RoleAssignment, User
from nanum.core.services import audit_record, tasks_enqueue
from nanum.learning.selectors import insights as learning_insights
from nanum.lending.selectors import insights as lending_insights
from nanum.mentoring import selectors as mentoring_selectors
from nanum.programs.selectors import insights as programs_insights

from .. import tasks
from ..models import EquityFact, Resource


def term_of(day: date) -> str:
    """Korean school terms: 1 = March–August, 2 = September–February."""
    if day.month >= 9:
        return f"{day.year}-2"
    if day.month <= 2:
        return f"{day.year - 1}-2"
    return f"{day.year}-1"


def quintile_cuts(values: Iterable[Decimal]) -> list[Decimal]:
    """The 20th, 40th, 60th and 80th percentiles of the schools' need index."""
    ordered = sorted(values)
    if not ordered:
        return []
    n = len(ordered)
    return [ordered[min(n - 1, (n * q) // 5)] for q in (1, 2, 3, 4)]


def quintile_of(need: Decimal | None, cuts: list[Decimal]) -> int:
    if need is None or not cuts:
        return 0
    return 1 + bisect_left(cuts, need)


def _sources() -> Iterable[tuple[str, dict[str, Any]]]:
    for row in lending_insights.equity_equipment_rows():
        yield Resource.EQUIPMENT, row
    for row in programs_insights.equity_programme_rows():
        yield Resource.PROGRAMME, row
    for row in learning_insights.equity_place_rows():
        yield str(row["resource"]), row
    for row in mentoring_selectors.equity_mentor_rows():
        yield Resource.MENTOR, row


def equity_refresh() -> int:
    """Replace the live equity facts (archived terms stay); return how many were
    built (a system write)."""
    schools = {
        o["pk"]: o
        for o in Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).values(
            "pk",
            "tenant_id",
            "district_id",
            "parent_id",
            "parent__kind",
            "school_level",
            "need_index",
        )
    }
    districts = {
        d["pk"]: d
        for d in District.objects.values("pk", "district_office_id", "need_index")
    }
    cuts = quintile_cuts(
        s["need_index"] for s in schools.values() if s["need_index"] is not None
    )
    student_school = dict(
        RoleAssignment.objects.filter(
            role=Role.STUDENT,
            is_active=True,
            organisation__kind=Organisation.Kind.SCHOOL,
        ).values_list("user_id", "organisation_id")
    )
    facts: list[EquityFact] = []
    for resource, row in _sources():
        school_id = row.get("school_id") or student_school.get(row["person_id"])
        school = schools.get(school_id) if school_id else None
        district_id = row.get("district_id")
        need = None
        office = None
        level = str(row.get("school_level") or "")
        if school is not None:
            district_id = school["district_id"] or district_id
            need = school["need_index"]
            level = school["school_level"] or level
            if school["parent__kind"] == Organisation.Kind.DISTRICT_OFFICE:
                office = school["parent_id"]
        district = districts.get(district_id) if district_id else None
        if district is not None:
            office = office or district["district_office_id"]
            if need is None:
                need = district["need_index"]
        facts.append(
            EquityFact(
                resource=resource,
                term=term_of(row["day"]),
                tenant_id=row["tenant_id"],
                district_office_id=office,
                district_id=district_id,
                school_id=school["pk"] if school else None,
                school_level=level,
                category=str(row.get("category") or "")[:40],
                quintile=quintile_of(need, cuts),
                person=f"u{row['person_id']}",
                requested=int(row["requested"]),
                allocated=int(row["allocated"]),
                used=int(row["used"]),
            )
        )
    with transaction.atomic():
        EquityFact.objects.filter(archived=False).delete()
        EquityFact.objects.bulk_create(facts, batch_size=2000)
        audit_record(
            actor=None,
            action="insights.equity_refresh",
            object_type="insights.equityfact",
            after={"facts": len(facts)},
        )
    return len(facts)


def equity_refresh_request(*, actor: User) -> None:
    """An administrator asks for the figures to be rebuilt now: the rebuild runs as the
    nightly task does, on the worker (it reads every app's requests, too long for a
    page's request at scale), queued in this transaction and audited."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="insights.equity_refresh_requested",
            object_type="insights.equityfact",
        )
        tasks_enqueue(tasks.equity_refresh)
