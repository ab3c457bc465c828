"""Reads of research equipment from ZEUS: search, items, requests, sync records.

Teachers and staff see the research items of their own tenants (the central bank's
copy); the central bank's staff review requests and read sync records of their
tenant; a pickup bank's staff see the requests they hand out; a teacher sees their
own requests. "Not yours" and "does not exist" are the same ``NotFound``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, NotFound, PermissionDenied
from nanum.core.models import Organisation, Role, RoleAssignment, User
from nanum.core.tenancy import is_platform_admin

from ..models import ResearchItem, ResearchRequest, ZeusSync
from .catalogue import bank_list, school_list
from .roles import actor_tenant_ids, staff_bank_ids
from .search import _district_office_id

RESEARCH_PAGE = 10
LEAD_DAYS = 7  # the owner institution needs time to answer
OWNER_SALT = "nanum.lending.research.owner"
OWNER_LINK_DAYS = 30


def central_bank_ids(actor: User | None) -> set[int] | None:
    """Central banks where ``actor`` is staff; None means every one (administrators)."""
    if actor is None or not actor.is_authenticated:
        return set()
    if is_platform_admin(actor):
        return None
    return set(
        RoleAssignment.objects.filter(
            user=actor,
            is_active=True,
            role=Role.BANK_STAFF,
            organisation__kind=Organisation.Kind.BANK,
            organisation__bank_type=Organisation.BankType.CENTRAL,
            organisation__is_active=True,
        ).values_list("organisation_id", flat=True)
    )


def is_central_bank_staff(actor: User | None) -> bool:
    ids = central_bank_ids(actor)
    return ids is None or bool(ids)


def research_item_list(
    *, actor: User, q: str = "", hidden: bool = False
) -> QuerySet[ResearchItem]:
    """Research items of the actor's tenants; withdrawn and transferred ones only
    with ``hidden`` (and then only for the central bank's staff)."""
    qs = ResearchItem.objects.all()
    tenants = actor_tenant_ids(actor)
    if tenants is not None:
        qs = qs.filter(tenant_id__in=tenants)
    central = central_bank_ids(actor)
    if not hidden or (central is not None and not central):
        qs = qs.filter(withdrawn_at__isnull=True).exclude(
            transfer=ResearchItem.Transfer.ACCEPTED
        )
    elif central is not None:
        qs = qs.filter(bank_id__in=central)
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(name_ko__icontains=q)
            | Q(name_en__icontains=q)
            | Q(owner_name__icontains=q)
            | Q(nfec_no__icontains=q)
            | Q(specs__icontains=q)
        )
    return qs.order_by("name_ko", "pk")


def research_search(
    *, actor: User, q: str, page: int = 1
) -> tuple[list[ResearchItem], int]:
    """One page of matching research items for the equipment search, and the total.
    Items their owners are using (not idle) are not on offer and are left out; sole
    use and not lendable ones are shown, marked with why they cannot be requested
    (``ResearchItem.not_requestable``)."""
    qs = research_item_list(actor=actor, q=q).exclude(
        idle_status=ResearchItem.Idle.IN_USE
    )
    start = (max(page, 1) - 1) * RESEARCH_PAGE
    return list(qs[start : start + RESEARCH_PAGE]), qs.count()


def research_request_defaults(*, actor: User) -> dict[str, Any]:
    """The request form's start: the teacher's school, the bank of its district
    office (else the first bank), and the first school day after the lead time."""
    school = school_list(actor=actor).select_related("parent", "district").first()
    banks = bank_list(actor=actor)
    office = _district_office_id(school) if school else None
    near = [b for b in banks if office and _district_office_id(b) == office]
    start = clock.today() + timedelta(days=LEAD_DAYS)
    while start.weekday() >= 5:
        start += timedelta(days=1)
    return {
        "school": school,
        "bank": (near or banks)[0] if (near or banks) else None,
        "start_date": start,
        "end_date": start + timedelta(days=4 - start.weekday()),
    }


def research_item_get(
    *, actor: User, item_id: int, hidden: bool = False
) -> ResearchItem:
    item = research_item_list(actor=actor, hidden=hidden).filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return item


def research_conditions_item(*, actor: User, item_id: int) -> ResearchItem:
    """An item whose conditions of use ``actor`` may set: staff of the central bank
    that keeps it (withdrawn ones too). Others: ``PermissionDenied``; another bank's
    or tenant's item: ``NotFound``."""
    central = central_bank_ids(actor)
    if central is not None and not central:
        raise PermissionDenied()
    item = research_item_get(actor=actor, item_id=item_id, hidden=True)
    if central is not None and item.bank_id not in central:
        raise NotFound()
    return item


def research_request_list(
    *, actor: User, scope: str = "mine"
) -> QuerySet[ResearchRequest]:
    """``mine``: the teacher's own requests; ``review``: the central bank's queue;
    ``bank``: the requests a pickup bank hands out."""
    qs = ResearchRequest.objects.select_related("item", "school", "bank")
    if scope == "review":
        central = central_bank_ids(actor)
        if central is not None:
            qs = qs.filter(item__bank_id__in=central)
    elif scope == "bank":
        banks = staff_bank_ids(actor)
        if banks is not None:
            qs = qs.filter(bank_id__in=banks)
    else:
        qs = qs.filter(requested_by=actor)
    return qs.order_by("-created_at", "-pk")


def research_request_get(*, actor: User, request_id: int) -> ResearchRequest:
    """The requester, the central bank's staff and the pickup bank's staff."""
    qs = ResearchRequest.objects.select_related(
        "item", "school", "bank", "requested_by"
    ).filter(pk=request_id)
    if not is_platform_admin(actor):
        central = central_bank_ids(actor) or set()
        banks = staff_bank_ids(actor) or set()
        qs = qs.filter(
            Q(requested_by=actor) | Q(item__bank_id__in=central) | Q(bank_id__in=banks)
        )
    found = qs.first()
    if found is None:
        raise NotFound()
    return found


def zeus_sync_list(*, actor: User) -> QuerySet[ZeusSync]:
    central = central_bank_ids(actor)
    qs = ZeusSync.objects.select_related("bank")
    if central is not None:
        qs = qs.filter(bank_id__in=central)
    return qs.order_by("-started_at", "-pk")


# --- the owner's signed link ------------------------------------------------------


def owner_token(kind: str, pk: int) -> str:
    """A signed token for the owner's contact: decide on a request (``r``) or a
    transfer (``t``) without an account. Valid for OWNER_LINK_DAYS."""
    return signing.dumps({"k": kind, "id": pk}, salt=OWNER_SALT, compress=True)


class BadOwnerLink(DomainError):
    status = 404
    code = "bad_owner_link"
    default_message = _(
        "This link is not valid or has expired. Ask the central bank for a new one."
    )


def owner_token_read(token: str) -> tuple[str, Any]:
    """The request or item a signed owner link names: ("r", request) or ("t", item)."""
    try:
        data = signing.loads(token, salt=OWNER_SALT, max_age=OWNER_LINK_DAYS * 86400)
        kind, pk = data["k"], int(data["id"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadOwnerLink() from None
    if kind == "r":
        found: Any = (
            ResearchRequest.objects.select_related("item", "school", "bank")
            .filter(pk=pk)
            .first()
        )
    elif kind == "t":
        found = ResearchItem.objects.select_related("bank").filter(pk=pk).first()
    else:
        found = None
    if found is None:
        raise BadOwnerLink()
    return kind, found
