"""A town's officers look after the staff accounts of a provider their town added:
deactivate one (it can no longer sign in and its API tokens are revoked), reactivate
it (the revoked tokens stay revoked), or give it a new one-time password (shown
once; the old password stops working at once, and so do its signed-in sessions).

The same rules as giving an account (``town_provider_staff_add``): only a provider
the officer's town added and no other town buys seats from (409 ``provider_shared``),
another town's provider is not found. Only an account that is staff of *this*
provider is touched: any other user id is not found. An account that also holds a
role anywhere else (another provider, a school, a town) stays with an administrator
(409 ``account_shared``). Every change is audited, never with the password."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, NotFound
from nanum.core.models import ApiToken, Organisation, Role, RoleAssignment, User
from nanum.core.services import audit_record

from .town_providers import StaffAccount, _one_time_password, _own_provider


def _staff_member(org: Organisation, user_id: int) -> User:
    """The provider's own staff account, locked; anyone else is not found."""
    user = (
        User.objects.select_for_update(of=("self",))
        .filter(
            pk=user_id,
            role_assignments__role=Role.PROVIDER,
            role_assignments__organisation=org,
            role_assignments__is_active=True,
        )
        .first()
    )
    if user is None:
        raise NotFound()
    elsewhere = (
        RoleAssignment.objects.filter(user=user, is_active=True)
        .exclude(role=Role.PROVIDER, organisation=org)
        .exists()
    )
    if elsewhere or user.is_superuser or user.is_staff:
        raise DomainError(
            _(
                "This account also has a role elsewhere in Nanum, so it is managed "
                "by the administrator."
            ),
            code="account_shared",
            status=409,
        )
    return user


def _record(
    actor: User, action: str, org: Organisation, after: dict[str, object]
) -> None:
    audit_record(actor=actor, action=action, obj=org, tenant=org.tenant, after=after)


@transaction.atomic
def town_provider_staff_deactivate(
    *, actor: User, tenant_id: int, provider_id: int, user_id: int
) -> User:
    """The staff account can no longer sign in; its API tokens are revoked at once.
    Deactivating an inactive account changes nothing and records nothing."""
    org = _own_provider(actor, tenant_id, provider_id)
    user = _staff_member(org, user_id)
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )
    _record(
        actor,
        "learning.town.provider.staff_deactivate",
        org,
        {"user": user.pk, "username": user.username, "tokens_revoked": revoked},
    )
    return user


@transaction.atomic
def town_provider_staff_reactivate(
    *, actor: User, tenant_id: int, provider_id: int, user_id: int
) -> User:
    """The staff account may sign in again with its password; tokens revoked when it
    was deactivated stay revoked. An active account changes nothing."""
    org = _own_provider(actor, tenant_id, provider_id)
    user = _staff_member(org, user_id)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    _record(
        actor,
        "learning.town.provider.staff_reactivate",
        org,
        {"user": user.pk, "username": user.username},
    )
    return user


@transaction.atomic
def town_provider_staff_password(
    *, actor: User, tenant_id: int, provider_id: int, user_id: int
) -> StaffAccount:
    """A new one-time password for the staff account, returned to show once (only its
    hash is kept); the old one stops working at once, and so do the account's
    signed-in sessions. Its API tokens and whether it is active do not change."""
    org = _own_provider(actor, tenant_id, provider_id)
    user = _staff_member(org, user_id)
    password = _one_time_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    _record(
        actor,
        "learning.town.provider.staff_password",
        org,
        {"user": user.pk, "username": user.username},
    )
    return StaffAccount(user=user, password=password)
