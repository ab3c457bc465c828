"""Reads of the units a bank's staff look after: assets, their page, consumables."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from nanum.core.errors import NotFound
from nanum.core.models import Organisation, User

from ..models import Asset, Consumable, MaintenanceTicket, Transfer
from .catalogue import staff_banks
from .roles import BANK_KINDS, staff_bank_ids


def asset_list_for_staff(*, actor: User) -> QuerySet[Asset]:
    banks = staff_bank_ids(actor)
    qs = Asset.objects.select_related("equipment", "home_bank", "location")
    if banks is None:
        return qs
    return qs.filter(Q(home_bank_id__in=banks) | Q(location_id__in=banks))


def asset_get_for_staff(*, actor: User, asset_id: int) -> Asset:
    """An asset homed or located at one of the actor's banks; NotFound otherwise."""
    asset = asset_list_for_staff(actor=actor).filter(pk=asset_id).first()
    if asset is None:
        raise NotFound()
    return asset


@dataclass
class AssetPage:
    """What the staff's asset page shows beside its forms."""

    asset: Asset
    banks: list[Organisation]
    destinations: QuerySet[Organisation]
    tickets: list[MaintenanceTicket]
    transfers: list[Transfer]


def asset_page(*, actor: User, asset_id: int) -> AssetPage:
    asset = asset_get_for_staff(actor=actor, asset_id=asset_id)
    return AssetPage(
        asset=asset,
        banks=staff_banks(actor=actor),
        destinations=Organisation.objects.filter(
            tenant_id=asset.tenant_id, kind__in=BANK_KINDS
        ),
        tickets=list(
            MaintenanceTicket.objects.filter(asset=asset).order_by("-opened_at")[:20]
        ),
        transfers=list(
            Transfer.objects.filter(asset=asset)
            .select_related("from_org", "to_org")
            .order_by("-sent_at")[:20]
        ),
    )


def consumables_in_stock(*, bank_id: int) -> list[Consumable]:
    return list(Consumable.objects.filter(bank_id=bank_id, stock__gt=0))
