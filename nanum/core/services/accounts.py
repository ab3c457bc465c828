"""Accounts and roles: self sign-up of students and guardians, role grants."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import InvalidInput
from nanum.core.models import Organisation, Role, RoleAssignment, Tenant, User

from .audit import audit_record

SIGNUP_ROLES = (Role.STUDENT, Role.GUARDIAN)
MIN_SELF_SIGNUP_AGE = 14  # younger children are registered by their guardian (PIPA)


@transaction.atomic
def role_grant(
    *, actor: User | None, user: User, role: str, organisation: Organisation
) -> RoleAssignment:
    if role not in Role.values:
        raise InvalidInput(field_errors={"role": [f"unknown role {role!r}"]})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        organisation=organisation,
        defaults={"tenant_id": organisation.tenant_id},
    )
    if not created and not assignment.is_active:
        assignment.is_active = True
        assignment.save(update_fields=["is_active"])
    user.__dict__.pop("_role_cache", None)
    audit_record(
        actor=actor,
        action="role.grant",
        obj=assignment,
        tenant=organisation.tenant,
        after={"user": user.pk, "role": role, "organisation": organisation.pk},
    )
    return assignment


@transaction.atomic
def user_register(
    *,
    username: str,
    display_name: str,
    email: str,
    password: str,
    birth_year: int,
    role: str,
    tenant: Tenant,
    today_year: int | None = None,
    language: str = "",
) -> User:
    """A student (14 or older) or a guardian creates their own account in a town.

    The role is held at the town's programme office (its city hall organisation);
    schools and eligibility are checked later, in the Seoul Learn application.
    """
    year = today_year or clock.today().year
    errors: dict[str, list[str | Promise]] = {}
    if role not in SIGNUP_ROLES:
        errors["role"] = [_("Choose student or guardian.")]
    age = year - birth_year
    if role == Role.STUDENT and age < MIN_SELF_SIGNUP_AGE:
        errors["birth_year"] = [
            _("Children under 14 are registered by a guardian, who consents for them.")
        ]
    if role == Role.GUARDIAN and age < 19:
        errors["birth_year"] = [_("A guardian must be an adult (19 or older).")]
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken. Choose another.")]
    office = Organisation.objects.filter(
        tenant=tenant, kind=Organisation.Kind.CITY_HALL, is_active=True
    ).first()
    if office is None or tenant.status != Tenant.Status.ACTIVE:
        errors["tenant"] = [_("This town does not take members on Nanum yet.")]
    if errors or office is None:
        raise InvalidInput(field_errors=errors)
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        birth_year=birth_year,
        home_tenant=tenant,
        preferred_language=_language_or_default(language),
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    RoleAssignment.objects.create(
        user=user, role=role, organisation=office, tenant=tenant
    )
    audit_record(
        actor=user,
        action="user.register",
        obj=user,
        tenant=tenant,
        after={"username": username, "role": role},
    )
    return user


def _language_or_default(language: str) -> str:
    code = (language or "").split("-")[0].lower()
    known = {lang for lang, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


@transaction.atomic
def user_language_set(*, actor: User, language: str) -> User:
    """Save the language ``actor`` reads Nanum in: pages after sign-in, notifications
    and e-mails. An unknown language is refused and nothing changes."""
    code = (language or "").split("-")[0].lower()
    if code not in {lang for lang, _name in settings.LANGUAGES}:
        raise InvalidInput(field_errors={"language": [_("Choose Korean or English.")]})
    before = actor.preferred_language
    if before == code:
        return actor
    actor.preferred_language = code
    actor.save(update_fields=["preferred_language"])
    audit_record(
        actor=actor,
        action="user.language",
        obj=actor,
        tenant=actor.home_tenant,
        before={"language": before},
        after={"language": code},
    )
    return actor
