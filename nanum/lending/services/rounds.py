"""Scarcity rounds: collect requests for a booking window, then allocate in one go.

Order: schools with a higher need index first (in tiers of 0.1, so that small
differences do not decide alone), then a lottery drawn from a recorded seed. Anyone can
re-run the draw from the seed and get the same order. Each request keeps the reason
for its outcome, in the teacher's language.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound
from nanum.core.models import Organisation, User
from nanum.core.services import audit_record

from ..models import AllocationRound, Reservation
from ..selectors import BANK_KINDS, require_bank_staff
from . import booking
from ._common import notify


@transaction.atomic
def round_create(
    *,
    actor: User,
    bank_id: int,
    name: str,
    window_start: date,
    window_end: date,
    collect_until: datetime,
) -> AllocationRound:
    require_bank_staff(actor, bank_id)
    bank = Organisation.objects.filter(pk=bank_id, kind__in=BANK_KINDS).first()
    if bank is None:
        raise NotFound()
    if window_end < window_start:
        raise InvalidInput(
            field_errors={"window_end": [_("The window must end after it starts.")]}
        )
    if not (name or "").strip():
        raise InvalidInput(field_errors={"name": [_("Give the round a name.")]})
    rnd = AllocationRound.objects.create(
        tenant_id=bank.tenant_id,
        bank=bank,
        name=name.strip()[:120],
        window_start=window_start,
        window_end=window_end,
        collect_until=collect_until,
    )
    audit_record(
        actor=actor, action="lending.round.create", obj=rnd, tenant=bank.tenant
    )
    return rnd


def draw_order(
    requests: list[Reservation], seed: int
) -> list[tuple[Reservation, int, Decimal]]:
    """(request, lottery number, need tier) in allocation order, reproducible from seed."""
    rng = random.Random(seed)
    ids = sorted(r.pk for r in requests)
    tickets = list(range(1, len(ids) + 1))
    rng.shuffle(tickets)
    ticket = dict(zip(ids, tickets, strict=True))
    out = []
    for r in requests:
        need = r.school.need_index if r.school.need_index is not None else Decimal("0")
        tier = (need * 10).to_integral_value(rounding="ROUND_FLOOR") / 10
        out.append((r, ticket[r.pk], tier))
    out.sort(key=lambda t: (-t[2], t[1]))
    return out


@transaction.atomic
def round_run(
    *, actor: User | None, round_id: int, seed: int | None = None
) -> AllocationRound:
    rnd = AllocationRound.objects.select_for_update().filter(pk=round_id).first()
    if rnd is None:
        raise NotFound()
    if actor is not None:
        require_bank_staff(actor, rnd.bank_id)
    if rnd.status != AllocationRound.Status.COLLECTING:
        raise DomainError(
            _("This round has already been allocated."), code="wrong_status"
        )
    rnd.seed = seed if seed is not None else secrets.randbelow(2**62)
    requests = list(
        Reservation.objects.select_related(
            "school", "equipment", "requested_by", "tenant"
        ).filter(round=rnd, status=Reservation.Status.IN_ROUND)
    )
    order = draw_order(requests, rnd.seed)
    total = len(order)
    for position, (r, ticket, tier) in enumerate(order, start=1):
        try:
            with transaction.atomic():
                booking.allocate(r)
            r.status = (
                Reservation.Status.PENDING
                if r.equipment.requires_approval
                else Reservation.Status.CONFIRMED
            )
            outcome = "allocated"
        except booking.NoUnitsFree:
            r.status = Reservation.Status.WAITLISTED
            outcome = "waitlisted"
        with translation.override(r.requested_by.preferred_language or "ko"):
            text = gettext(
                "Allocation round “%(round)s”: your school's need index tier is %(tier)s; "
                "lottery number %(ticket)s of %(total)s; place %(pos)s in the order."
            ) % {
                "round": rnd.name,
                "tier": tier,
                "ticket": ticket,
                "total": total,
                "pos": position,
            }
            if outcome == "allocated":
                text += " " + gettext("Units were allocated to you.")
            else:
                text += " " + gettext("No units were left; you are on the waitlist.")
            text += " " + gettext("Seed: %(seed)s.") % {"seed": rnd.seed}
        r.reason = text
        r.save(update_fields=["status", "reason", "updated_at"])
        notify(r, r.status)
    rnd.status = AllocationRound.Status.ALLOCATED
    rnd.allocated_at = clock.now()
    rnd.save(update_fields=["seed", "status", "allocated_at"])
    audit_record(
        actor=actor,
        action="lending.round.run",
        obj=rnd,
        after={"seed": rnd.seed, "requests": total},
    )
    return rnd
