"""What a provider organisation reads: itself and the seats it serves."""

from __future__ import annotations

from django.db.models import QuerySet

from nanum.core.errors import PermissionDenied
from nanum.core.models import Organisation, Role, User
from nanum.core.tenancy import organisation_ids_for

from ..models import (
    Seat,
)


def provider_get(*, actor: User, provider_id: int | None = None) -> Organisation:
    """The provider organisation ``actor`` works for (or ``provider_id`` among them)."""
    ids = organisation_ids_for(actor, Role.PROVIDER)
    qs = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    if provider_id is not None:
        qs = qs.filter(pk=provider_id)
    org = qs.order_by("pk").first()
    if org is None:
        raise PermissionDenied()
    return org


def provider_seats(*, provider: Organisation) -> QuerySet[Seat]:
    return (
        Seat.objects.filter(provider=provider, state=Seat.State.ACTIVE)
        .select_related("tenant", "application")
        .order_by("tenant__slug", "assigned_at")
    )
