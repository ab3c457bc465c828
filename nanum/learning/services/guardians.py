"""A guardian registers a child who is too young to sign up alone."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import InvalidInput, PermissionDenied
from nanum.core.models import Role, RoleAssignment, User
from nanum.core.services import audit_record, role_grant

from ..models import GuardianLink

MAX_CHILDREN = 10


def _same_name(a: str, b: str) -> bool:
    """Names compared without spaces or case (정 어린 is 정어린)."""
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


@transaction.atomic
def child_register(*, actor: User, display_name: str, birth_year: int) -> User:
    """Create the child's account (no password: the guardian acts for them) and link it.

    The link is unconfirmed until an officer checks the family-relationship document
    that comes with the child's application.
    """
    if not actor.has_role(Role.GUARDIAN):
        raise PermissionDenied(_("Only a guardian can add a child."))
    # One add at a time per guardian, so a form sent twice cannot add the child twice.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    display_name = (display_name or "").strip()
    age = clock.today().year - int(birth_year)
    errors: dict[str, list[Any]] = {}
    if not display_name:
        errors["display_name"] = [_("Enter the child's name.")]
    if not 5 <= age <= 18:
        errors["birth_year"] = [_("A child added by a guardian is 5 to 18 years old.")]
    links = GuardianLink.objects.filter(guardian=actor).select_related("child")
    if links.count() >= MAX_CHILDREN:
        errors["display_name"] = [_("You have added the most children allowed.")]
    elif display_name and any(
        _same_name(link.child.display_name, display_name)
        and link.child.birth_year == int(birth_year)
        for link in links
    ):
        errors["display_name"] = [
            _(
                "You have already added %(name)s (born %(year)s). Apply for them "
                "from “My children” instead of adding them again."
            )
            % {"name": display_name, "year": int(birth_year)}
        ]
    if errors:
        raise InvalidInput(field_errors=errors)
    child = User(
        username=f"child-{secrets.token_hex(6)}",
        display_name=display_name[:100],
        birth_year=int(birth_year),
        home_tenant=actor.home_tenant,
    )
    child.set_unusable_password()
    child.save()
    link = GuardianLink.objects.create(guardian=actor, child=child)
    # The child is a student where the guardian holds their role (pages and menus
    # follow roles; the child signs in only once the guardian gives them a sign-in).
    held = (
        RoleAssignment.objects.filter(user=actor, role=Role.GUARDIAN, is_active=True)
        .select_related("organisation")
        .first()
    )
    if held is not None:
        role_grant(
            actor=actor, user=child, role=Role.STUDENT, organisation=held.organisation
        )
    audit_record(
        actor=actor,
        action="learning.child_register",
        obj=link,
        tenant=actor.home_tenant,
        after={"child": child.pk, "birth_year": child.birth_year},
    )
    return child
