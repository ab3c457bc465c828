"""Who sees which part of the equity dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from nanum.core.errors import NotFound
from nanum.core.models import Organisation, Role, RoleAssignment, User
from nanum.core.tenancy import is_platform_admin

from ..models import EquityFact

OFFICE = "office"
DISTRICT = "district"
TOWN = "town"
MIN_CELL = 5  # people: smaller cells are suppressed below the office level


@dataclass(frozen=True)
class EquityScope:
    """Office administrators see all; district office staff their district office;
    town officers their town(s) only. Below the office, small cells are hidden."""

    level: str
    tenant_ids: frozenset[int] = frozenset()
    district_office_id: int | None = None

    @property
    def suppress(self) -> bool:
        return self.level != OFFICE

    def filter(self, qs: QuerySet[EquityFact]) -> QuerySet[EquityFact]:
        if self.level == OFFICE:
            return qs
        if self.level == DISTRICT:
            return qs.filter(district_office_id=self.district_office_id)
        return qs.filter(tenant_id__in=self.tenant_ids)

    def offices(self) -> QuerySet[Organisation]:
        qs = Organisation.objects.filter(kind=Organisation.Kind.DISTRICT_OFFICE)
        if self.level == DISTRICT:
            return qs.filter(pk=self.district_office_id or 0)
        if self.level == TOWN:
            return qs.filter(tenant_id__in=self.tenant_ids)
        return qs


def equity_scope(actor: User) -> EquityScope:
    """The actor's view of the dashboard; NotFound for everyone else."""
    if is_platform_admin(actor):
        return EquityScope(level=OFFICE)
    roles = RoleAssignment.objects.filter(
        user=actor, is_active=True, role=Role.TENANT_OFFICER
    ).select_related("organisation")
    district = [
        ra.organisation_id
        for ra in roles
        if ra.organisation.kind == Organisation.Kind.DISTRICT_OFFICE
    ]
    if district:
        return EquityScope(level=DISTRICT, district_office_id=min(district))
    tenants = frozenset(ra.tenant_id for ra in roles)
    if tenants:
        return EquityScope(level=TOWN, tenant_ids=tenants)
    raise NotFound()


def can_see_equity(actor: User) -> bool:
    try:
        equity_scope(actor)
    except NotFound:
        return False
    return True
