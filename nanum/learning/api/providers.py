"""API twins of the town officer's providers page (views/town_providers.py): list the
providers a town added, add one, edit one, give it a staff account, show or renew
its hand-off secret, deactivate or reactivate a staff account or give it a new
one-time password. Every write is one call into ``services.town_providers``, which
checks and audits it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ninja import Query, Status

from nanum.core.http import ApiRequest
from nanum.core.idempotency import run_idempotent
from nanum.core.models import User
from nanum.core.schemas import IDEMPOTENT, Id, Page, PageQuery, page_of

from .. import selectors, services
from ..schemas import (
    ProviderSecretIn,
    ProviderSecretOut,
    ProviderStaffIn,
    ProviderStaffOut,
    ProviderStaffStateOut,
    TownProviderIn,
    TownProviderOut,
    TownSlug,
)
from . import router
from .towns import _managed

_T = TypeVar("_T")


def _out(row: selectors.TownProvider) -> dict[str, Any]:
    org = row.provider
    return {
        "id": org.pk,
        "name_ko": org.name_ko,
        "name_en": org.name_en,
        "launch_url": row.launch_url,
        "phone": org.phone,
        "seats": row.seats,
        "used": row.used,
        "shared": row.shared,
    }


def _input(payload: TownProviderIn) -> services.ProviderInput:
    return services.ProviderInput(**payload.dict())


def _account(account: services.StaffAccount, provider_id: int) -> dict[str, Any]:
    user = account.user
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.display_name,
        "provider": provider_id,
        "password": account.password,
    }


@router.get(
    "/officer/towns/{slug}/providers",
    response=Page[TownProviderOut],
    summary="The providers a town added, with this year's seats (its officers)",
)
def town_providers(
    request: ApiRequest, slug: TownSlug, page: Query[PageQuery]
) -> dict[str, Any]:
    policy = _managed(request, slug)
    return page_of(selectors.town_provider_list(policy=policy), page, _out)


@router.post(
    "/officer/towns/{slug}/providers",
    response={201: TownProviderOut},
    summary="Add a provider the town buys seats from (its officers; "
    "Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def town_provider_add(
    request: ApiRequest, slug: TownSlug, payload: TownProviderIn
) -> Status:
    policy = _managed(request, slug)

    def create() -> tuple[int, Any]:
        org = services.town_provider_add(
            actor=request.auth, tenant_id=policy.tenant_id, data=_input(payload)
        )
        row = selectors.town_provider_get(policy=policy, provider_id=org.pk)
        return 201, _out(row)

    body = {**payload.dict(), "town": slug}
    return Status(*run_idempotent(request, body, create))


@router.put(
    "/officer/towns/{slug}/providers/{provider_id}",
    response=TownProviderOut,
    summary="Change a provider the town added: name, address, contact, seats "
    "(its officers; 409 provider_shared once other towns buy seats there)",
)
def town_provider_update(
    request: ApiRequest, slug: TownSlug, provider_id: Id, payload: TownProviderIn
) -> dict[str, Any]:
    policy = _managed(request, slug)
    services.town_provider_update(
        actor=request.auth,
        tenant_id=policy.tenant_id,
        provider_id=provider_id,
        data=_input(payload),
    )
    return _out(selectors.town_provider_get(policy=policy, provider_id=provider_id))


@router.post(
    "/officer/towns/{slug}/providers/{provider_id}/staff",
    response={201: ProviderStaffOut},
    summary="Give a staff member of a provider the town added an account with the "
    "provider role; the one-time password is in the answer only (its officers; "
    "409 provider_shared once other towns buy seats there)",
)
def town_provider_staff_add(
    request: ApiRequest, slug: TownSlug, provider_id: Id, payload: ProviderStaffIn
) -> Status:
    policy = _managed(request, slug)
    account = services.town_provider_staff_add(
        actor=request.auth,
        tenant_id=policy.tenant_id,
        provider_id=provider_id,
        name=payload.name,
        username=payload.username,
    )
    return Status(201, _account(account, provider_id))


@router.post(
    "/officer/towns/{slug}/providers/{provider_id}/secret",
    response=ProviderSecretOut,
    summary="Show a provider's hand-off secret once (409 secret_shown after that) or "
    "make a new one, which ends the old one at once (its officers; 409 "
    "provider_shared once other towns buy seats there)",
)
def town_provider_secret(
    request: ApiRequest, slug: TownSlug, provider_id: Id, payload: ProviderSecretIn
) -> dict[str, Any]:
    policy = _managed(request, slug)
    secret = services.town_provider_secret(
        actor=request.auth,
        tenant_id=policy.tenant_id,
        provider_id=provider_id,
        new=payload.new,
    )
    return {"secret": secret, "new": payload.new}


def _on_staff(
    request: ApiRequest,
    slug: str,
    provider_id: int,
    user_id: int,
    change: Callable[..., _T],
) -> _T:
    """One change to a staff account of a provider the town added (the service
    checks and audits it)."""
    policy = _managed(request, slug)
    return change(
        actor=request.auth,
        tenant_id=policy.tenant_id,
        provider_id=provider_id,
        user_id=user_id,
    )


def _state(user: User, provider_id: int) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.display_name,
        "provider": provider_id,
        "active": user.is_active,
    }


@router.post(
    "/officer/towns/{slug}/providers/{provider_id}/staff/{user_id}/deactivate",
    response=ProviderStaffStateOut,
    summary="Deactivate a staff account of a provider the town added: it can no "
    "longer sign in and its API tokens are revoked (its officers; 404 for anyone "
    "not on this provider's staff; 409 provider_shared once other towns buy seats "
    "there, 409 account_shared if the account has a role elsewhere)",
)
def town_provider_staff_deactivate(
    request: ApiRequest, slug: TownSlug, provider_id: Id, user_id: Id
) -> dict[str, Any]:
    user = _on_staff(
        request, slug, provider_id, user_id, services.town_provider_staff_deactivate
    )
    return _state(user, provider_id)


@router.post(
    "/officer/towns/{slug}/providers/{provider_id}/staff/{user_id}/reactivate",
    response=ProviderStaffStateOut,
    summary="Reactivate a staff account of a provider the town added: it signs in "
    "with its password again; revoked API tokens stay revoked (its officers; the "
    "same refusals as deactivate)",
)
def town_provider_staff_reactivate(
    request: ApiRequest, slug: TownSlug, provider_id: Id, user_id: Id
) -> dict[str, Any]:
    user = _on_staff(
        request, slug, provider_id, user_id, services.town_provider_staff_reactivate
    )
    return _state(user, provider_id)


@router.post(
    "/officer/towns/{slug}/providers/{provider_id}/staff/{user_id}/password",
    response={201: ProviderStaffOut},
    summary="Give a staff account of a provider the town added a new one-time "
    "password, in the answer only; the old one stops working at once (its "
    "officers; the same refusals as deactivate)",
)
def town_provider_staff_password(
    request: ApiRequest, slug: TownSlug, provider_id: Id, user_id: Id
) -> Status:
    account = _on_staff(
        request, slug, provider_id, user_id, services.town_provider_staff_password
    )
    return Status(201, _account(account, provider_id))
