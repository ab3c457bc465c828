"""The providers a town added, as its officers' providers page and API show them.

Callers pass the ``TenantPolicy`` they got from ``managed_town_get`` (scoped to the
officer), so a provider of another town is never listed and is not found."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import Organisation

from ..models import ProviderProfile, SeatAllocation, TenantPolicy


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
