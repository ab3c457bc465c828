"""Eight weeks of past loans at 'bank.gangseo''s bank, so that the board's charts
(utilisation per week, loans overdue) have figures right after ``nanum demo``.

Demo shaping only: past loans cannot be booked through the service (the lead time
refuses past dates), so the returned ones are written as returned reservations, and
the overdue one is booked and checked out through the services, then moved back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import F

from nanum.core import clock
from nanum.core.errors import DomainError
from nanum.core.models import Organisation

from .. import services
from ..models import Allocation, EquipmentModel, Reservation

if TYPE_CHECKING:
    from nanum.core.demo import DemoContext

# (model code, units, weeks ago, first weekday, days)
PAST_LOANS = [
    ("microscope-bio", 4, 7, 0, 3),
    ("geometry-set", 2, 6, 1, 4),
    ("microscope-bio", 6, 5, 0, 5),
    ("tangram-class", 2, 4, 2, 3),
    ("fraction-tiles", 3, 3, 0, 5),
    ("microscope-bio", 8, 2, 1, 4),
    ("geometry-set", 3, 1, 0, 5),
    ("telescope", 1, 1, 2, 2),
]


def seed(ctx: DemoContext) -> list[str]:
    teacher = ctx.users.get("teacher")
    school = ctx.orgs.get("demo-school")
    staff = ctx.users.get("bank.gangseo")
    bank = ctx.orgs.get("bank-gangseo-yangcheon")
    if teacher is None or school is None or staff is None or bank is None:
        return []
    models = {m.code: m for m in EquipmentModel.objects.filter(tenant=bank.tenant)}
    # The past loans are another school's (booked for it by the bank staff), so the
    # demo teacher's school keeps its whole term quota for the journeys.
    other = (
        Organisation.objects.filter(kind="school", district=school.district)
        .exclude(pk=school.pk)
        .order_by("pk")
        .first()
    ) or school
    today = clock.today()
    monday = today - timedelta(days=today.weekday())
    rows = []
    for code, qty, weeks, weekday, days in PAST_LOANS:
        if code not in models:
            continue
        start = monday - timedelta(days=7 * weeks - weekday)
        rows.append(
            Reservation(
                tenant=bank.tenant,
                equipment=models[code],
                bank=bank,
                school=other,
                requested_by=staff,
                quantity=qty,
                start_date=start,
                end_date=start + timedelta(days=days - 1),
                purpose="과학·수학 탐구 수업",
                status=Reservation.Status.RETURNED,
            )
        )
    Reservation.objects.bulk_create(rows)
    overdue = 0
    model = models.get("geometry-set")
    if model is not None:
        far = today + timedelta(days=120)
        far += timedelta(days=(7 - far.weekday()) % 7)  # a Monday
        try:
            r = services.reservation_create(
                actor=teacher,
                equipment_id=model.pk,
                bank_id=bank.pk,
                school_id=school.pk,
                quantity=1,
                start_date=far,
                end_date=far + timedelta(days=2),
                purpose="과학·수학 탐구 수업",
            )
            services.checkout(
                actor=staff,
                reservation_id=r.pk,
                tag_codes=list(r.allocations.values_list("asset__tag_code", flat=True)),
            )
        except DomainError:
            r = None
        if r is not None:  # out since ten days ago, due back three days ago
            delta = today - timedelta(days=10) - far
            Reservation.objects.filter(pk=r.pk).update(
                start_date=F("start_date") + delta, end_date=today - timedelta(days=3)
            )
            Allocation.objects.filter(reservation=r).update(
                blocked_from=F("blocked_from") + delta,
                blocked_until=today - timedelta(days=3) + timedelta(days=1),
            )
            overdue = 1
    return [
        f"K-STEM Bank: {len(rows)} past loans and {overdue} overdue loan at "
        "'bank.gangseo''s bank (the board's utilisation and overdue charts)."
    ]
