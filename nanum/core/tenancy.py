"""Tenant scoping: what part of the platform an actor may see.

Every selector that returns tenant-owned rows passes its queryset through
``scope_to_actor``. An object id from a request is never trusted alone.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from .models import Role, RoleAssignment, User

M = TypeVar("M", bound=Model)

# Roles whose holders see every tenant's data.
PLATFORM_ROLES = {Role.ADMINISTRATOR}


def is_platform_admin(actor: User | AnonymousUser | None) -> bool:
    if not isinstance(actor, User) or not actor.is_authenticated:
        return False
    return actor.is_superuser or actor.has_role(*PLATFORM_ROLES)


def tenant_ids_for(actor: User | AnonymousUser | None, *roles: str) -> set[int] | None:
    """Tenant ids whose data ``actor`` may see in the given roles; None means all."""
    if not isinstance(actor, User) or not actor.is_authenticated:
        return set()
    if is_platform_admin(actor):
        return None
    qs = RoleAssignment.objects.filter(user=actor, is_active=True)
    if roles:
        qs = qs.filter(role__in=roles)
    ids = set(qs.values_list("tenant_id", flat=True))
    if not roles and actor.home_tenant_id:
        ids.add(actor.home_tenant_id)
    return ids


def organisation_ids_for(
    actor: User | AnonymousUser | None, *roles: str
) -> set[int] | None:
    """Organisation ids where ``actor`` holds one of ``roles``; None means all."""
    if not isinstance(actor, User) or not actor.is_authenticated:
        return set()
    if is_platform_admin(actor):
        return None
    qs = RoleAssignment.objects.filter(user=actor, is_active=True)
    if roles:
        qs = qs.filter(role__in=roles)
    return set(qs.values_list("organisation_id", flat=True))


def scope_to_actor(
    qs: QuerySet[M],
    actor: User | AnonymousUser | None,
    *roles: str,
    field: str = "tenant",
) -> QuerySet[M]:
    """Filter ``qs`` to rows of the tenants ``actor`` may see (``field`` is the FK)."""
    ids = tenant_ids_for(actor, *roles)
    if ids is None:
        return qs
    return qs.filter(**{f"{field}__in": ids})
