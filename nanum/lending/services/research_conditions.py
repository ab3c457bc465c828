"""Conditions of use the central bank sets itself on a research item from ZEUS.

ZEUS (or an idle list) gives each item its conditions of use (can be lent, on-site
only, not lendable; training, insurance, an operator) and the owner's contact, but the
bank often knows better: the owner agreed to lend after all, or a different person
answers. A field the central bank's staff change here is listed in the item's
``local_fields`` and the sync (``services/zeus_sync.py``) never writes it again; a
reset hands every field back to the feed at the next sync. The note is the bank's
own and no feed carries it. Every change is audited with the values before and after.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import InvalidInput
from nanum.core.models import Tenant, User
from nanum.core.services import audit_record

from .. import selectors
from ..models import LOCAL_CONDITIONS, ResearchItem

PHONE_RE = re.compile(r"^[0-9+()\-. ]*$")
NOTE_MAX = 1000


def local_fields_of(pks: list[int]) -> dict[int, list[str]]:
    """The fields the central bank set itself, of the items among ``pks`` that have
    any (read by the sync before it writes the changed items)."""
    found: dict[int, list[str]] = {}
    for i in range(0, len(pks), 1000):
        rows = ResearchItem.objects.filter(pk__in=pks[i : i + 1000])
        for pk, names in rows.values_list("pk", "local_fields"):
            if names:
                found[pk] = [n for n in names if n in LOCAL_CONDITIONS]
    return found


def item_for_update(actor: User, item_id: int) -> ResearchItem:
    """The item, locked, if ``actor`` is staff of the central bank that keeps it (the
    item's row is the lock its conditions, slots and requests queue on)."""
    item = selectors.research_conditions_item(actor=actor, item_id=item_id)
    return ResearchItem.objects.select_for_update().get(pk=item.pk)


def _clean(
    *,
    lending: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
    note: str,
) -> dict[str, str]:
    errors: dict[str, list[Any]] = {}
    values = {
        "lending": lending.strip(),
        "contact_name": contact_name.strip(),
        "contact_email": contact_email.strip(),
        "contact_phone": contact_phone.strip(),
        "conditions_note": note.strip(),
    }
    if values["lending"] not in ResearchItem.Lending.values:
        errors["lending"] = [_("Choose one of the conditions of use offered.")]
    if len(values["contact_name"]) > 100:
        errors["contact_name"] = [_("At most 100 characters.")]
    if values["contact_email"]:
        try:
            if len(values["contact_email"]) > 254:  # the column's width
                raise ValidationError("too long")
            validate_email(values["contact_email"])
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid e-mail address.")]
    phone = values["contact_phone"]
    if (
        len(phone) > 40
        or not PHONE_RE.match(phone)
        or (phone and not any(c.isdigit() for c in phone))
    ):
        errors["contact_phone"] = [
            _("Enter a telephone number: digits, spaces, +, -, ( and ) only.")
        ]
    if len(values["conditions_note"]) > NOTE_MAX:
        errors["conditions_note"] = [_("At most 1,000 characters.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    return values


def research_conditions_set(
    *,
    actor: User,
    item_id: int,
    lending: str,
    training_required: bool,
    insurance_required: bool,
    operator_needed: bool,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    note: str = "",
) -> ResearchItem:
    """Set the item's conditions of use at the central bank. Each field that changes
    becomes local (the sync leaves it alone); nothing changed, nothing written."""
    values: dict[str, Any] = _clean(
        lending=lending,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        note=note,
    )
    values |= {
        "training_required": bool(training_required),
        "insurance_required": bool(insurance_required),
        "operator_needed": bool(operator_needed),
    }
    with transaction.atomic():
        item = item_for_update(actor, item_id)
        changed = [f for f, v in values.items() if getattr(item, f) != v]
        if not changed:
            return item
        before = {f: getattr(item, f) for f in changed}
        for f in changed:
            setattr(item, f, values[f])
        local = set(item.local_fields or ()) | (set(changed) & set(LOCAL_CONDITIONS))
        item.local_fields = [f for f in LOCAL_CONDITIONS if f in local]
        item.conditions_set_by = actor
        item.conditions_set_at = clock.now()
        item.updated_at = item.conditions_set_at
        item.save(
            update_fields=[
                *changed,
                "local_fields",
                "conditions_set_by",
                "conditions_set_at",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="lending.research_conditions_set",
            obj=item,
            tenant=Tenant(pk=item.tenant_id),
            before=before,
            after={f: values[f] for f in changed} | {"local": item.local_fields},
        )
    return item


def research_conditions_reset(*, actor: User, item_id: int) -> ResearchItem:
    """Hand every locally set field back to the feed: the next sync writes them all
    (the item's digest is cleared so that even an unchanged feed rewrites it)."""
    with transaction.atomic():
        item = item_for_update(actor, item_id)
        if not item.local_fields:
            return item
        before = list(item.local_fields)
        item.local_fields = []
        item.digest = ""
        item.conditions_set_by = actor
        item.conditions_set_at = clock.now()
        item.save(
            update_fields=[
                "local_fields",
                "digest",
                "conditions_set_by",
                "conditions_set_at",
            ]
        )
        audit_record(
            actor=actor,
            action="lending.research_conditions_reset",
            obj=item,
            tenant=Tenant(pk=item.tenant_id),
            before={"local": before},
            after={"local": []},
        )
    return item
