"""Who may see what in Seoul Learn, and the mileage rule (pure reads, no writes)."""

from __future__ import annotations

from nanum.core.models import Role, User
from nanum.core.tenancy import is_platform_admin, tenant_ids_for

MINUTES_PER_MILEAGE = 10  # one mileage point per 10 minutes of study


def officer_tenant_ids(actor: User | None) -> set[int] | None:
    """Towns whose Seoul Learn data ``actor`` may see as staff; None means every town."""
    return tenant_ids_for(actor, Role.TENANT_OFFICER, Role.ADMINISTRATOR)


def is_officer(actor: User | None) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    return is_platform_admin(actor) or actor.has_role(Role.TENANT_OFFICER)


def mileage_of(minutes: int | None) -> int:
    return int(minutes or 0) // MINUTES_PER_MILEAGE
