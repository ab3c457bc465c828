"""Membership reads that other apps use (mentoring, the learner model)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from nanum.core import clock
from nanum.core.models import Tenant, User

from ..models import (
    Application,
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
    """Whether ``tenant``'s Seoul Learn rules include university-student mentoring."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    return TenantPolicy.objects.filter(
        tenant_id=tenant_id, offers_mentoring=True
    ).exists()


def interactions_for(*, student: User | int) -> QuerySet[Interaction]:
    """A student's answers, oldest first (uses the (student, answered_at) index)."""
    sid = student if isinstance(student, int) else student.pk
    return Interaction.objects.filter(student_id=sid).order_by("answered_at", "id")
