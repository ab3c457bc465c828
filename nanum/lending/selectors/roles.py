"""Who may act where (read rules): bank-scoped staff, teachers for their schools.

Each bank's staff act on their own bank and its lending points; central bank staff act
on every bank of their tenant; platform administrators on everything.
"""

from __future__ import annotations

from django.db.models import Q

from nanum.core.errors import PermissionDenied
from nanum.core.models import Organisation, Role, RoleAssignment, User
from nanum.core.tenancy import is_platform_admin

BANK_KINDS = (Organisation.Kind.BANK, Organisation.Kind.LENDING_POINT)


def _assignments(actor: User) -> list[tuple[str, int, str, str, int]]:
    """(role, organisation id, organisation kind, bank type, tenant id) of the actor, cached.

    One query per request; it also fills the user's role cache so that
    ``is_platform_admin`` needs no query of its own.
    """
    cached = getattr(actor, "_lending_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=actor, is_active=True).values_list(
                "role",
                "organisation_id",
                "organisation__kind",
                "organisation__bank_type",
                "tenant_id",
            )
        )
        vars(actor)["_lending_assignments"] = cached  # cached on this instance only
        actor._role_cache = {row[0] for row in cached}
    return cached


def _is_admin(actor: User) -> bool:
    _assignments(actor)
    return is_platform_admin(actor)


def staff_bank_ids(actor: User | None) -> set[int] | None:
    """Bank and lending-point ids where ``actor`` is staff; None means every bank."""
    if actor is None or not actor.is_authenticated:
        return set()
    if _is_admin(actor):
        return None
    cached = getattr(actor, "_lending_bank_ids", None)
    if cached is not None:
        return cached
    rows = list(
        RoleAssignment.objects.filter(user=actor, is_active=True, role=Role.BANK_STAFF)
        .select_related("organisation")
        .only(
            "organisation__id",
            "organisation__kind",
            "organisation__bank_type",
            "tenant_id",
        )
    )
    central_tenants = {
        ra.tenant_id
        for ra in rows
        if ra.organisation.kind == Organisation.Kind.BANK
        and ra.organisation.bank_type == Organisation.BankType.CENTRAL
    }
    own = {ra.organisation_id for ra in rows}
    q = Q(pk__in=own) | Q(parent_id__in=own, kind=Organisation.Kind.LENDING_POINT)
    if central_tenants:
        q |= Q(tenant_id__in=central_tenants)
    ids = set(
        Organisation.objects.filter(q, kind__in=BANK_KINDS).values_list("pk", flat=True)
    )
    vars(actor)["_lending_bank_ids"] = ids  # cached on this instance only
    return ids


def is_bank_staff(actor: User | None) -> bool:
    ids = staff_bank_ids(actor)
    return ids is None or bool(ids)


def require_bank_staff(actor: User | None, bank_id: int) -> None:
    ids = staff_bank_ids(actor)
    if ids is not None and bank_id not in ids:
        raise PermissionDenied()


def teacher_school_ids(actor: User | None) -> set[int] | None:
    """Schools for which ``actor`` may book; None means any (administrators)."""
    if actor is None or not actor.is_authenticated:
        return set()
    if _is_admin(actor):
        return None
    return {
        r[1]
        for r in _assignments(actor)
        if r[0] == Role.TEACHER and r[2] == Organisation.Kind.SCHOOL
    }


def actor_tenant_ids(actor: User | None) -> set[int] | None:
    """Tenants whose catalogue ``actor`` may see (teachers' and staff's tenants)."""
    if actor is None or not actor.is_authenticated:
        return set()
    if _is_admin(actor):
        return None
    ids = {r[4] for r in _assignments(actor)}
    if actor.home_tenant_id:
        ids.add(actor.home_tenant_id)
    return ids
