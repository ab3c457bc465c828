"""Membership reads that other apps use (mentoring, the learner model)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from nanum.core import clock
from nanum.core.models import Tenant, User
from nanum.core.prepared import PreparedRead

from ..models import (
    Application,
    GuardianLink,
    Interaction,
    Status,
    TenantPolicy,
)


def _live_members(tenant: Tenant | int) -> QuerySet[Application]:
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    return Application.objects.filter(
        tenant_id=tenant_id, status=Status.APPROVED
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=clock.today()))


def member_users(*, tenant: Tenant | int) -> QuerySet[User]:
    """Students with an approved, live membership in ``tenant``."""
    return User.objects.filter(
        pk__in=_live_members(tenant).values("student_id"), is_active=True
    )


def is_active_member(*, user: User | None, tenant: Tenant | int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return _live_members(tenant).filter(student=user).exists()


def tenant_offers_mentoring(*, tenant: Tenant | int) -> bool:
    """Whether ``tenant``'s Seoul Learn rules include university-student mentoring:
    its "mentoring" service switch, the one the menus and pages follow."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    policy = TenantPolicy.objects.filter(tenant_id=tenant_id).only("services").first()
    return policy is not None and policy.offers("mentoring")


def services_offered_to(user: User) -> set[str]:
    """The services (``TenantPolicy.services`` keys) switched on in the towns where
    ``user``, or a child the user is the guardian of, is a live member. The menu's
    service gate (``nanum.core.navigation``) and the pages' links use it."""
    if not user.is_authenticated:
        return set()
    offered: set[str] = set()
    for services in _SERVICES(user_id=user.pk, today=clock.today()):
        offered.update(services or [])
    return offered


#: Asked by the menu on every signed-in page: compiled once (nanum.core.prepared);
#: through the ORM each time it cost ~1.5 ms of CPU a page, the database ~0.1 ms.
_SERVICES: PreparedRead[list[str] | None] = PreparedRead(
    lambda user_id, today: TenantPolicy.objects.filter(
        tenant_id__in=Application.objects.filter(status=Status.APPROVED)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .filter(
            Q(student_id=user_id)
            | Q(
                student_id__in=GuardianLink.objects.filter(guardian_id=user_id).values(
                    "child_id"
                )
            )
        )
        .values("tenant_id")
    ).values_list("services", flat=True),
    user_id=int,
    today=date,
)


def interactions_for(*, student: User | int) -> QuerySet[Interaction]:
    """A student's answers, oldest first (uses the (student, answered_at) index)."""
    sid = student if isinstance(student, int) else student.pk
    return Interaction.objects.filter(student_id=sid).order_by("answered_at", "id")
