"""Research equipment from ZEUS: the item and its request form (teachers), the
request (teacher, central bank, pickup bank), the central bank's review and sync
records, and the owner institution's decision from a signed link (no account)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nanum.core.errors import DomainError, PermissionDenied
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.idempotency import form_once

from .. import selectors, services
from ..forms import ReasonForm
from ..forms.research import (
    OwnerDecisionForm,
    ResearchConditionsForm,
    ResearchRequestForm,
    ResearchSlotForm,
    ZeusListForm,
)
from ..models import LOCAL_CONDITIONS, ResearchItem, ResearchRequest


def _refusal_text(exc: DomainError) -> str:
    return " ".join(
        [str(exc.message)] + [str(m) for ms in exc.field_errors.values() for m in ms]
    )


def _request_form(
    request: AuthedHttpRequest, item: ResearchItem, data: Any = None
) -> ResearchRequestForm:
    return ResearchRequestForm(
        data,
        schools=selectors.school_list(actor=request.user),
        banks=selectors.bank_choices(actor=request.user),
        slots=selectors.free_slots(item),
        initial={
            "mode": "loan" if item.lending == item.Lending.LOAN else "visit",
            **selectors.research_request_defaults(actor=request.user),
        },
    )


def _item_page(
    request: AuthedHttpRequest,
    item: ResearchItem,
    form: ResearchRequestForm,
    slot_form: ResearchSlotForm | None = None,
) -> HttpResponse:
    """The item's page: its request form (teachers) and, for the staff of the central
    bank that keeps it, its visit slots with the form that publishes one."""
    banks = selectors.central_bank_ids(request.user)
    keeps = banks is None or item.bank_id in banks
    visits = item.lending != item.Lending.NONE
    failed = bool(form.errors) or bool(slot_form and slot_form.errors)
    return render(
        request,
        "lending/research/item.html",
        {
            "item": item,
            "form": form,
            "can_request": selectors.school_list(actor=request.user).exists()
            and item.visible,
            "central": banks is None or bool(banks),
            "keeps": keeps,
            # only the staff of the bank that keeps the item see its slots' table
            "slots": selectors.live_slots(item) if keeps and visits else [],
            "slot_form": slot_form or ResearchSlotForm(prefix="slot"),
            "visits": visits,
        },
        status=422 if failed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def research_item(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    central = selectors.is_central_bank_staff(request.user)
    item = selectors.research_item_get(actor=request.user, item_id=pk, hidden=central)
    form = _request_form(
        request, item, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with form_once(request) as once:
            if once.replayed:
                return once.replayed
            try:
                r = services.research_request_create(
                    actor=request.user,
                    item_id=item.pk,
                    school_id=d["school"].pk,
                    bank_id=d["bank"].pk,
                    mode=d["mode"],
                    start_date=d["start_date"],
                    end_date=d["end_date"],
                    slot_id=d["slot"],
                    pupils=d["pupils"] or 0,
                    purpose=d["purpose"],
                )
            except DomainError as exc:
                add_domain_error(form, exc, with_summary=True)
            else:
                messages.success(
                    request,
                    _("Request #%(id)s sent to the central bank.") % {"id": r.pk},
                )
                return once.done(redirect("lending:research_request", pk=r.pk))
    return _item_page(request, item, form)


@login_required
@require_POST
def research_slot_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The central bank's staff publish a visit slot from the item's page."""
    item = selectors.research_conditions_item(actor=request.user, item_id=pk)
    slot_form = ResearchSlotForm(request.POST, prefix="slot")
    if slot_form.is_valid():
        try:
            services.research_slot_create(
                actor=request.user, item_id=item.pk, **slot_form.cleaned_data
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_domain_error(slot_form, exc, with_summary=True)
        else:
            messages.success(request, _("Visit slot published."))
            return redirect("lending:research_item", pk=item.pk)
    return _item_page(request, item, _request_form(request, item), slot_form)


@login_required
@require_POST
def research_slot_cancel(
    request: AuthedHttpRequest, pk: int, slot_pk: int
) -> HttpResponse:
    try:
        services.research_slot_cancel(actor=request.user, item_id=pk, slot_id=slot_pk)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(request, _("Visit slot cancelled."))
    return redirect("lending:research_item", pk=pk)


@login_required
@require_GET
def research_request_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    r = selectors.research_request_get(actor=request.user, request_id=pk)
    central = selectors.central_bank_ids(request.user)
    banks = selectors.staff_bank_ids(request.user)
    is_central = central is None or r.item.bank_id in central
    return render(
        request,
        "lending/research/request.html",
        {
            "r": r,
            "mine": r.requested_by_id == request.user.pk,
            "central": is_central,
            "pickup_staff": banks is None or r.bank_id in banks,
            "owner_link": (
                request.build_absolute_uri(
                    f"/lending/research/owner/{selectors.owner_token('r', r.pk)}/"
                )
                if is_central and r.status == ResearchRequest.Status.WITH_OWNER
                else ""
            ),
            "refuse_form": ReasonForm(prefix="refuse"),
        },
    )


@login_required
@require_POST
def research_request_action(
    request: AuthedHttpRequest, pk: int, action: str
) -> HttpResponse:
    form = ReasonForm(request.POST, prefix="refuse")
    form.is_valid()
    try:
        if action == "cancel":
            services.research_request_cancel(actor=request.user, request_id=pk)
        elif action == "forward":
            services.research_request_forward(actor=request.user, request_id=pk)
        elif action == "refuse":
            services.research_request_refuse(
                actor=request.user,
                request_id=pk,
                reason=form.cleaned_data.get("reason", ""),
            )
        elif action in ("out", "back"):
            services.research_request_hand_over(
                actor=request.user, request_id=pk, step=action
            )
        else:
            raise Http404
    except DomainError as exc:
        if isinstance(exc, PermissionDenied) or exc.status == 404:
            raise
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(request, _("Done."))
    return redirect("lending:research_request", pk=pk)


@login_required
@require_GET
def research_my(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "lending/research/my.html",
        {"requests": selectors.research_request_list(actor=request.user)[:200]},
    )


def _require_central(request: AuthedHttpRequest) -> None:
    if not selectors.is_central_bank_staff(request.user):
        raise PermissionDenied()


@login_required
@require_GET
def research_review(request: AuthedHttpRequest) -> HttpResponse:
    """The central bank's review queue; every bank's staff: the items to hand out."""
    if not selectors.is_bank_staff(request.user):
        raise PermissionDenied()
    central = selectors.is_central_bank_staff(request.user)
    review = selectors.research_request_list(actor=request.user, scope="review")
    handout = selectors.research_request_list(actor=request.user, scope="bank").filter(
        mode=ResearchRequest.Mode.LOAN,
        status__in=(ResearchRequest.Status.APPROVED, ResearchRequest.Status.HANDED_OUT),
    )
    return render(
        request,
        "lending/research/review.html",
        {
            "central": central,
            "waiting": review.filter(status=ResearchRequest.Status.REVIEW)[:200]
            if central
            else [],
            "recent": review.exclude(status=ResearchRequest.Status.REVIEW)[:50]
            if central
            else [],
            "handout": handout[:200],
            "last_sync": selectors.zeus_sync_list(actor=request.user).first()
            if central
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def research_syncs(request: AuthedHttpRequest) -> HttpResponse:
    _require_central(request)
    banks = selectors.central_bank_ids(request.user)
    form = ZeusListForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        bank_id = min(banks) if banks else None
        if bank_id is None:  # an administrator: the first central bank
            bank = selectors.bank_list(actor=request.user)
            bank_id = next((b.pk for b in bank if b.bank_type == "central"), 0)
        f = form.cleaned_data["file"]
        try:
            sync = services.zeus_list_import(
                actor=request.user, bank_id=bank_id, data=f.read(), filename=f.name
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(
                request,
                _("List imported: %(a)s added, %(c)s changed, %(s)s skipped.")
                % {"a": sync.added, "c": sync.changed, "s": sync.skipped},
            )
            return redirect("lending:research_syncs")
    return render(
        request,
        "lending/research/syncs.html",
        {"syncs": selectors.zeus_sync_list(actor=request.user)[:30], "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def research_transfer(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    _require_central(request)
    try:
        services.research_transfer_propose(actor=request.user, item_id=pk)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(request, _("Transfer proposed to the owner institution."))
    return redirect("lending:research_item", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def research_conditions(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The central bank's staff set an item's conditions of use (kept through syncs)."""
    item = selectors.research_conditions_item(actor=request.user, item_id=pk)
    initial = {f: getattr(item, f) for f in LOCAL_CONDITIONS}
    form = ResearchConditionsForm(
        request.POST if request.method == "POST" else None,
        initial=initial | {"note": item.conditions_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.research_conditions_set(
                actor=request.user, item_id=item.pk, **form.cleaned_data
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(request, _("Conditions of use saved."))
            return redirect("lending:research_item", pk=item.pk)
    return render(
        request,
        "lending/research/conditions.html",
        {"item": item, "form": form, "local": set(item.local_fields or ())},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def research_conditions_reset(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    services.research_conditions_reset(actor=request.user, item_id=pk)
    messages.success(
        request,
        _("The conditions of use will be taken from ZEUS again at the next sync."),
    )
    return redirect("lending:research_item", pk=pk)


@require_http_methods(["GET", "POST"])
def research_owner(request: HttpRequest, token: str) -> HttpResponse:
    """The owner institution's contact decides, signed in or not: the link is the key."""
    kind, obj = selectors.owner_token_read(token)
    form = OwnerDecisionForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            done = services.research_owner_decide(
                token=token,
                approve=d["decision"] == "approve",
                name=d["name"],
                reason=d["reason"],
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            add_domain_error(form, exc, with_summary=True)
        else:
            kind, obj = selectors.owner_token_read(token)
    return render(
        request,
        "lending/research/owner.html",
        {"kind": kind, "obj": obj, "form": form, "done": done},
        status=422 if form.errors else 200,
    )
