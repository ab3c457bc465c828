"""Requests on research items that a sync withdrew (disused, or gone from ZEUS).

Called inside the sync's transaction (services/zeus_sync.py) with the items it has
just withdrawn:

* a request that has not started (waiting for the central bank or the owner, or
  approved but not yet handed out; an approved visit on a later day) is cancelled
  with the reason, stored in the teacher's language; the teacher is told (and the
  pickup bank, when it was approved), each in their own language; one audit row
  each (``lending.research_cancel``, system actor);
* a running one (handed out, or a visit today) is left alone: the central bank's
  staff are told to check with the owner institution, and an audit row
  (``lending.research_withdrawn_in_use``) records it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.models import Role, RoleAssignment, User
from nanum.core.services import Message, notification_send, user_language

from ..models import ResearchRequest
from .research import S, _audit, _notify

BATCH = 500
WITHDRAWN_REASON = _(
    "The item was withdrawn from ZEUS (disused, or no longer registered by its "
    "owner), so this request was cancelled. Please choose another item."
)


def _running(r: ResearchRequest, today: date) -> bool | None:
    """True: under way (leave it, flag it); False: not started (cancel it);
    None: an approved visit whose day has passed (done: nothing to do)."""
    if r.status == S.HANDED_OUT:
        return True
    if r.status == S.APPROVED and r.mode == ResearchRequest.Mode.VISIT:
        if r.start_date < today:
            return None
        return r.start_date == today
    return False


def _cancel(r: ResearchRequest) -> None:
    was_approved = r.status == S.APPROVED
    r.status = S.CANCELLED
    with translation.override(user_language(r.requested_by)):
        r.reason = str(WITHDRAWN_REASON)
    r.save(update_fields=["status", "reason", "updated_at"])
    _audit(
        None,
        "cancel",
        r,
        status=r.status,
        reason="withdrawn_from_zeus",
        item=r.item.nfec_no,
    )
    _notify(r, bank_ids=(r.bank_id,) if was_approved else ())


def _flag(r: ResearchRequest) -> None:
    _audit(None, "withdrawn_in_use", r, status=r.status, item=r.item.nfec_no)
    staff = User.objects.filter(
        pk__in=RoleAssignment.objects.filter(
            organisation_id=r.item.bank_id, role=Role.BANK_STAFF, is_active=True
        ).values("user_id"),
        is_active=True,
    )
    body = Message(
        _(
            "%(item)s (%(nfec)s, %(owner)s) was withdrawn from ZEUS while request "
            "#%(id)s is under way (%(school)s, %(start)s – %(end)s). The request was "
            "left as it is: check with the owner institution how it ends."
        ),
        item=r.item.name,
        nfec=r.item.nfec_no,
        owner=r.item.owner_name,
        id=r.pk,
        school=r.school.name,
        start=r.start_date,
        end=r.end_date,
    )
    for user in staff:
        notification_send(
            user=user,
            kind="lending.research_withdrawn_in_use",
            subject=_("Research equipment withdrawn from ZEUS while in use"),
            body=body,
            url=reverse("lending:research_request", args=[r.pk]),
        )


def research_requests_withdrawn(
    *, item_ids: Sequence[int]
) -> tuple[list[int], list[int]]:
    """Settle the holding requests on just-withdrawn items (see module); call in
    the withdrawing transaction. Returns the ids cancelled and the ids flagged."""
    today = clock.today()
    cancelled: list[int] = []
    flagged: list[int] = []
    for i in range(0, len(item_ids), BATCH):
        requests = (
            ResearchRequest.objects.select_for_update(of=("self",))
            .select_related("item", "school", "requested_by")
            .filter(item_id__in=item_ids[i : i + BATCH])
            .filter(status__in=ResearchRequest.HOLDING)
            .order_by("pk")
        )
        for r in requests:
            running = _running(r, today)
            if running is None:
                continue
            if running:
                _flag(r)
                flagged.append(r.pk)
            else:
                _cancel(r)
                cancelled.append(r.pk)
    return cancelled, flagged
