"""Semester-start work in bulk: approve many pending reservations in one go."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import DomainError, InvalidInput
from nanum.core.models import User

from .reservations import reservation_approve

BULK_MAX = 200


@dataclass(frozen=True)
class BulkRow:
    """One reservation's outcome: approved, or the reason it was not."""

    reservation_id: int
    approved: bool
    message: str | Promise


def reservations_approve_bulk(
    *, actor: User, reservation_ids: list[int]
) -> list[BulkRow]:
    """Approve each reservation on its own (per-row results, each approval audited and
    the teacher told by ``reservation_approve``); a refused row changes nothing and
    does not stop the others."""
    ids = list(dict.fromkeys(reservation_ids))
    if not ids:
        raise InvalidInput(
            field_errors={"reservations": [_("Choose at least one reservation.")]}
        )
    if len(ids) > BULK_MAX:
        raise InvalidInput(
            field_errors={
                "reservations": [
                    _("Approve at most %(n)s reservations at once.") % {"n": BULK_MAX}
                ]
            }
        )
    rows: list[BulkRow] = []
    for rid in ids:
        try:
            with transaction.atomic():
                reservation_approve(actor=actor, reservation_id=rid)
        except DomainError as exc:
            rows.append(BulkRow(rid, False, exc.message))
        else:
            rows.append(BulkRow(rid, True, _("Approved.")))
    return rows
