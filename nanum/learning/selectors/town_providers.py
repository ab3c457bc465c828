"""The providers a town added, as its officers' providers page and API show them.

Callers pass the ``TenantPolicy`` they got from ``managed_town_get`` (scoped to the
officer), so a provider of another town is never listed and is not found."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import AuditLog, Organisation, Role, User

from ..models import ProviderProfile, SeatAllocation, TenantPolicy

#: The audit actions after which a provider's hand-off secret has been shown here.
SECRET_SHOWN = (
    "learning.town.provider.secret_show",
    "learning.town.provider.secret_new",
)


@dataclass(frozen=True)
class TownProvider:
    """One provider of the town: what it is, where students go, this year's seats."""

    provider: Organisation
    launch_url: str
    seats: int
    used: int
    #: Another town holds seats at it: name, address and contact are fixed.
    shared: bool


def _providers(policy: TenantPolicy) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=Organisation.Kind.PROVIDER, tenant_id=policy.tenant_id
    ).order_by("name_ko", "pk")


def _rows(policy: TenantPolicy, orgs: list[Organisation]) -> list[TownProvider]:
    ids = [o.pk for o in orgs]
    urls = dict(
        ProviderProfile.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "launch_url"
        )
    )
    allocs = {
        a.provider_id: a
        for a in SeatAllocation.objects.filter(
            tenant_id=policy.tenant_id, year=clock.today().year, provider_id__in=ids
        )
    }
    shared = set(
        SeatAllocation.objects.filter(provider_id__in=ids)
        .exclude(tenant_id=policy.tenant_id)
        .values_list("provider_id", flat=True)
    )
    rows = []
    for org in orgs:
        alloc = allocs.get(org.pk)
        rows.append(
            TownProvider(
                provider=org,
                launch_url=urls.get(org.pk, ""),
                seats=alloc.seats if alloc else 0,
                used=alloc.used if alloc else 0,
                shared=org.pk in shared,
            )
        )
    return rows


def town_provider_list(*, policy: TenantPolicy) -> list[TownProvider]:
    """The providers this town added, by Korean name."""
    return _rows(policy, list(_providers(policy)))


def town_provider_get(*, policy: TenantPolicy, provider_id: int) -> TownProvider:
    """One provider this town added; another town's (or none) is not found."""
    org = _providers(policy).filter(pk=provider_id).first()
    if org is None:
        raise NotFound()
    return _rows(policy, [org])[0]


def town_provider_staff(*, provider: Organisation) -> list[User]:
    """The provider's staff: users with an active provider role there, by name."""
    return list(
        User.objects.filter(
            role_assignments__role=Role.PROVIDER,
            role_assignments__organisation=provider,
            role_assignments__is_active=True,
        )
        .distinct()
        .order_by("display_name", "username")
    )


def town_provider_secret_shown(*, provider_id: int) -> bool:
    """Whether the provider's hand-off secret was shown (or replaced) here before."""
    return AuditLog.objects.filter(
        action__in=SECRET_SHOWN,
        object_type="core.Organisation",
        object_id=str(provider_id),
    ).exists()
