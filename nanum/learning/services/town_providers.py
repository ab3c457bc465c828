"""A town's officers add the content providers their town buys seats from and keep the
ones it added up to date (name, launch address, contact, this year's seats).

A provider belongs to the town that added it (``Organisation.tenant``): only that
town's officers (and administrators, acting on that town) edit it; any town may buy
seats from any provider on its own edit page. Once another town holds seats at a
provider, its name, address and contact are fixed for everyone but an administrator
in the Django admin (a change would move the other towns' students too): the officer
is told so (409 ``provider_shared``) and nothing changes. Every change is validated
here and audited (``learning.town.provider.add`` / ``.edit``).

The same officers give the provider's staff their accounts (``town_provider_staff_add``:
a user with the provider role at that provider and a one-time password shown once)
and hand over its hand-off secret (``town_provider_secret``: shown once, or replaced
by a new one that is shown once). A shared provider's staff and secret stay with an
administrator (409 ``provider_shared``)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import DomainError, InvalidInput, NotFound
from nanum.core.models import Organisation, Role, RoleAssignment, User
from nanum.core.services import audit_record

from ..models import ProviderProfile, SeatAllocation, TenantPolicy
from ..models.seats import new_secret
from ..selectors.town_providers import town_provider_secret_shown
from ._common import require_officer
from .children import username_errors
from .towns import town_seats_update

SEATS_MAX = 100_000
_PHONE = re.compile(r"^[0-9][0-9 ()+\-]{6,38}$")
_HTTPS = URLValidator(schemes=["https"])

Errors = dict[str, list[Any]]


@dataclass(frozen=True)
class ProviderInput:
    """The provider form's fields; ``seats=None`` leaves this year's seats as they are."""

    name_ko: str
    launch_url: str
    name_en: str = ""
    phone: str = ""
    seats: int | None = None


def _name_taken(name_ko: str, provider_id: int | None) -> bool:
    qs = Organisation.objects.filter(
        kind=Organisation.Kind.PROVIDER, name_ko__iexact=name_ko
    )
    if provider_id is not None:
        qs = qs.exclude(pk=provider_id)
    return qs.exists()


def _errors(data: ProviderInput, *, provider_id: int | None = None) -> Errors:
    errors: Errors = {}
    name_ko = data.name_ko.strip()
    if not name_ko:
        errors["name_ko"] = [_("Enter the provider's name in Korean.")]
    elif len(name_ko) > 200:
        errors["name_ko"] = [_("Keep the name to 200 characters.")]
    elif _name_taken(name_ko, provider_id):
        errors["name_ko"] = [
            _(
                "A provider of this name is already listed: set its seats on the "
                "town's page instead."
            )
        ]
    if len(data.name_en.strip()) > 200:
        errors["name_en"] = [_("Keep the name to 200 characters.")]
    url = data.launch_url.strip()
    try:
        if not url or len(url) > 300:
            raise ValidationError("bad")
        _HTTPS(url)
    except ValidationError:
        errors["launch_url"] = [
            _(
                "Enter the provider's sign-in address, starting with https:// "
                "(at most 300 characters)."
            )
        ]
    phone = data.phone.strip()
    if phone and not _PHONE.match(phone):
        errors["phone"] = [_("Enter a telephone number such as 02-1234-5678.")]
    if data.seats is not None and not 0 <= data.seats <= SEATS_MAX:
        errors["seats"] = [
            _("Enter a number of seats from 0 to %(max)s.") % {"max": SEATS_MAX}
        ]
    return errors


def _snapshot(org: Organisation, profile: ProviderProfile | None) -> dict[str, str]:
    return {
        "name_ko": org.name_ko,
        "name_en": org.name_en,
        "phone": org.phone,
        "launch_url": profile.launch_url if profile else "",
    }


def _check_town(actor: User, tenant_id: int) -> None:
    require_officer(actor, tenant_id)
    if not TenantPolicy.objects.filter(tenant_id=tenant_id).exists():
        raise NotFound()


def _town_provider(actor: User, tenant_id: int, provider_id: int) -> Organisation:
    """A provider this town added, locked, its town loaded; another town's (or none)
    is not found."""
    _check_town(actor, tenant_id)
    org = (
        Organisation.objects.select_for_update(of=("self",))
        .select_related("tenant")
        .filter(pk=provider_id, kind=Organisation.Kind.PROVIDER, tenant_id=tenant_id)
        .first()
    )
    if org is None:
        raise NotFound()
    return org


def _shared(org: Organisation) -> bool:
    """Another town than the one that added the provider buys seats from it."""
    return (
        SeatAllocation.objects.filter(provider=org)
        .exclude(tenant_id=org.tenant_id)
        .exists()
    )


def _seats(actor: User, tenant_id: int, org: Organisation, seats: int | None) -> None:
    if seats is not None:
        town_seats_update(actor=actor, tenant_id=tenant_id, seats={org.pk: seats})


@transaction.atomic
def town_provider_add(
    *, actor: User, tenant_id: int, data: ProviderInput
) -> Organisation:
    """An officer of the town adds a provider (and, if given, this year's seats)."""
    _check_town(actor, tenant_id)
    errors = _errors(data)
    if errors:
        raise InvalidInput(field_errors=errors)
    org = Organisation(
        kind=Organisation.Kind.PROVIDER,
        code=f"provider-{tenant_id}-{secrets.token_hex(4)}",
        tenant_id=tenant_id,
        name_ko=data.name_ko.strip(),
        name_en=data.name_en.strip(),
        phone=data.phone.strip(),
    )
    org.full_clean()
    org.save()
    profile = ProviderProfile(organisation=org, launch_url=data.launch_url.strip())
    profile.full_clean()
    profile.save()
    audit_record(
        actor=actor,
        action="learning.town.provider.add",
        obj=org,
        tenant=org.tenant,
        after=_snapshot(org, profile),
    )
    _seats(actor, tenant_id, org, data.seats)
    return org


@transaction.atomic
def town_provider_update(
    *, actor: User, tenant_id: int, provider_id: int, data: ProviderInput
) -> Organisation:
    """An officer of the town that added the provider changes it. Another town's
    provider is not found; one whose seats another town holds keeps its name,
    address and contact (409 ``provider_shared``), though its seats may change."""
    org = _town_provider(actor, tenant_id, provider_id)
    errors = _errors(data, provider_id=org.pk)
    if errors:
        raise InvalidInput(field_errors=errors)
    profile = ProviderProfile.objects.filter(organisation=org).first()
    before = _snapshot(org, profile)
    after = {
        "name_ko": data.name_ko.strip(),
        "name_en": data.name_en.strip(),
        "phone": data.phone.strip(),
        "launch_url": data.launch_url.strip(),
    }
    if after != before:
        if _shared(org):
            raise DomainError(
                _(
                    "Other towns buy seats from this provider, so its name, address "
                    "and contact cannot be changed here. Ask the administrator."
                ),
                code="provider_shared",
                status=409,
            )
        org.name_ko, org.name_en, org.phone = (
            after["name_ko"],
            after["name_en"],
            after["phone"],
        )
        org.full_clean()
        org.save(update_fields=["name_ko", "name_en", "phone"])
        if profile is None:
            profile = ProviderProfile(organisation=org)
        profile.launch_url = after["launch_url"]
        profile.full_clean()
        profile.save()
        audit_record(
            actor=actor,
            action="learning.town.provider.edit",
            obj=org,
            tenant=org.tenant,
            before=before,
            after=after,
        )
    _seats(actor, tenant_id, org, data.seats)
    return org


#: Letters and digits that cannot be mistaken for one another (no 0/o, 1/l/i).
UNAMBIGUOUS = "abcdefghjkmnpqrstuvwxyz23456789"


def _own_provider(actor: User, tenant_id: int, provider_id: int) -> Organisation:
    """The town's own provider, locked, that no other town buys seats from: another
    town's (or none) is not found; a shared one stays with an administrator."""
    org = _town_provider(actor, tenant_id, provider_id)
    if _shared(org):
        raise DomainError(
            _(
                "Other towns buy seats from this provider, so its staff accounts and "
                "hand-off secret are managed by the administrator."
            ),
            code="provider_shared",
            status=409,
        )
    return org


def _one_time_password() -> str:
    raw = "".join(secrets.choice(UNAMBIGUOUS) for _i in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class StaffAccount:
    """A new staff account and its one-time password (shown once, never stored)."""

    user: User
    password: str


@transaction.atomic
def town_provider_staff_add(
    *, actor: User, tenant_id: int, provider_id: int, name: str, username: str
) -> StaffAccount:
    """An officer of the town that added the provider gives one of its staff an
    account: the provider role at that provider, no e-mail address, and a one-time
    password returned to show once (only its hash is kept)."""
    org = _own_provider(actor, tenant_id, provider_id)
    name = (name or "").strip()
    username = (username or "").strip().lower()
    errors: Errors = {}
    if not name:
        errors["name"] = [_("Enter the staff member's name.")]
    elif len(name) > 100:
        errors["name"] = [_("Keep the name to 100 characters.")]
    wrong = username_errors(username, User.objects.filter(username__iexact=username))
    if wrong:
        errors["username"] = wrong
    if errors:
        raise InvalidInput(field_errors=errors)
    password = _one_time_password()
    user = User(username=username, display_name=name, home_tenant_id=org.tenant_id)
    user.set_password(password)
    user.full_clean(exclude=["password", "email"])
    user.save()
    RoleAssignment.objects.create(
        user=user, role=Role.PROVIDER, organisation=org, tenant_id=org.tenant_id
    )
    audit_record(
        actor=actor,
        action="learning.town.provider.staff_add",
        obj=org,
        tenant=org.tenant,
        after={"user": user.pk, "username": username, "name": name},
    )
    return StaffAccount(user=user, password=password)


@transaction.atomic
def town_provider_secret(
    *, actor: User, tenant_id: int, provider_id: int, new: bool
) -> str:
    """The provider's hand-off secret, to show once to an officer of the town that
    added it. ``new=False``: the current secret, only if it was never shown or
    replaced (409 ``secret_shown`` after that: make a new one). ``new=True``: a new
    secret replaces the old one, which stops verifying at once. Both are audited
    (the secret itself never is)."""
    org = _own_provider(actor, tenant_id, provider_id)
    profile = (
        ProviderProfile.objects.select_for_update().filter(organisation=org).first()
    )
    if profile is None:
        raise NotFound()
    if not new:
        if town_provider_secret_shown(provider_id=org.pk):
            raise DomainError(
                _(
                    "The hand-off secret was already shown once. If it is lost, "
                    "make a new one (the old one then stops working)."
                ),
                code="secret_shown",
                status=409,
            )
        action = "learning.town.provider.secret_show"
    else:
        profile.handoff_secret = new_secret()
        profile.save(update_fields=["handoff_secret"])
        action = "learning.town.provider.secret_new"
    audit_record(actor=actor, action=action, obj=org, tenant=org.tenant)
    return str(profile.handoff_secret)
