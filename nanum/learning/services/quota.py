"""Places: set-based allocation of a town's quota to its waiting list.

For each town, one locked read of the policy, one grouped count of the places held,
one ordered read of the waiting list (ids and levels only), then chunked UPDATEs and a
bulk insert of notifications. No per-applicant queries, so 100,000 applications in six
towns allocate in seconds (see bench/learning_allocation.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.models import AuditLog

from ..models import Application, Status, TenantPolicy
from ._common import notify_bulk

CHUNK = 900  # below SQLite's variable limit


def _free_places(policy: TenantPolicy) -> tuple[float, dict[str, float]]:
    held = dict(
        Application.objects.filter(tenant_id=policy.tenant_id, status=Status.APPROVED)
        .values_list("school_level")
        .annotate(n=Count("id"))
        .values_list("school_level", "n")
    )
    inf = float("inf")
    total = (
        inf if policy.quota_total is None else policy.quota_total - sum(held.values())
    )
    levels: dict[str, float] = {}
    for level in ("elementary", "middle", "high", "none"):
        quota = policy.level_quota(level)
        levels[level] = inf if quota is None else quota - held.get(level, 0)
    return total, levels


def _choose(
    waiting: Iterable[tuple[int, str]], total: float, levels: dict[str, float]
) -> list[int]:
    chosen: list[int] = []
    for app_id, level in waiting:
        if total <= 0:
            break
        if levels.get(level, 0) <= 0:
            continue
        chosen.append(app_id)
        total -= 1
        levels[level] -= 1
    return chosen


def places_allocate(*, tenant_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Give free places to waiting applicants by the town's priority, then date.

    Returns {tenant_id: places given}. Safe to run at any time and concurrently: the
    town's policy row is locked for the whole allocation.
    """
    result: dict[int, int] = {}
    policies = TenantPolicy.objects.all()
    if tenant_ids is not None:
        policies = policies.filter(tenant_id__in=list(tenant_ids))
    for tenant_id in policies.order_by("tenant_id").values_list("tenant_id", flat=True):
        result[tenant_id] = _allocate_one(tenant_id)
    return result


@transaction.atomic
def _allocate_one(tenant_id: int) -> int:
    policy = TenantPolicy.objects.select_for_update().get(tenant_id=tenant_id)
    total, levels = _free_places(policy)
    if total <= 0:
        return 0
    waiting = (
        Application.objects.filter(tenant_id=tenant_id, status=Status.WAITING)
        .order_by("priority_rank", "submitted_at", "id")
        .values_list("id", "school_level", "student_id")
    )
    if total != float("inf") and all(v != float("inf") for v in levels.values()):
        waiting = waiting[: int(total) * 4 + 1000]
    student_of: dict[int, int] = {}

    def rows() -> Iterable[tuple[int, str]]:
        for app_id, level, student_id in waiting.iterator(chunk_size=5000):
            student_of[app_id] = student_id
            yield app_id, level

    chosen = _choose(rows(), total, levels)
    if not chosen:
        return 0
    now = clock.now()
    until = clock.today() + timedelta(days=policy.membership_days)
    for i in range(0, len(chosen), CHUNK):
        part = chosen[i : i + CHUNK]
        Application.objects.filter(pk__in=part, status=Status.WAITING).update(
            status=Status.APPROVED, place_since=now, valid_until=until, updated_at=now
        )
    notify_bulk(
        [student_of[a] for a in chosen],
        kind="learning.place",
        subject=_("You have a place: choose your online lecture site"),
        url="/learning/me/",
    )
    AuditLog.objects.create(
        action="learning.places.allocate",
        object_type="learning.TenantPolicy",
        object_id=str(policy.pk),
        tenant_id=tenant_id,
        after={"given": len(chosen)},
    )
    return len(chosen)
