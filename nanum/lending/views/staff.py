"""Bank staff pages: daily board, check-out, check-in, assets, labels, import/export."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nanum.core import clock, spreadsheets
from nanum.core.errors import DomainError, NotFound
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest

from .. import selectors, services
from ..forms import (
    BulkApproveForm,
    CheckinForm,
    CheckoutForm,
    DayListForm,
    ImportForm,
    ReasonForm,
    RoundForm,
    StaffSearchForm,
    TicketForm,
    TransferForm,
)
from ..models import Reservation


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapper(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.is_bank_staff(request.user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
@require_http_methods(["GET", "POST"])
def board(request: AuthedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            if "receive" in request.POST:
                services.transfer_receive(
                    actor=request.user, transfer_id=int(request.POST["receive"])
                )
                messages.success(request, _("The transfer was received."))
            elif "close" in request.POST:
                services.maintenance_close(
                    actor=request.user,
                    ticket_id=int(request.POST["close"]),
                    resolution=request.POST.get("resolution", "")[:2000],
                )
                messages.success(
                    request, _("The ticket was closed; the unit is back in service.")
                )
        except (DomainError, ValueError) as exc:
            messages.error(
                request, str(getattr(exc, "message", _("That did not work.")))
            )
        return redirect("lending:board")
    return render(
        request,
        "lending/board.html",
        {
            "b": selectors.board(actor=request.user, day=clock.today()),
            "charts": selectors.bank_charts(actor=request.user, today=clock.today()),
        },
    )


@staff_required
@require_POST
def staff_action(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    selectors.reservation_get_for_staff(actor=request.user, reservation_id=pk)
    form = ReasonForm(
        request.POST, prefix="reject" if "reject-reason" in request.POST else None
    )
    form.is_valid()
    try:
        if action == "approve":
            services.reservation_approve(actor=request.user, reservation_id=pk)
            messages.success(request, _("Approved."))
        elif action == "reject":
            services.reservation_reject(
                actor=request.user,
                reservation_id=pk,
                reason=form.cleaned_data.get("reason", ""),
            )
            messages.success(request, _("Rejected; the teacher was told why."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(
            request,
            " ".join(
                [str(exc.message)]
                + [str(m) for ms in exc.field_errors.values() for m in ms]
            ),
        )
    return redirect("lending:reservation", pk=pk)


@staff_required
@require_http_methods(["GET", "POST"])
def checkout(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    r = selectors.reservation_get_for_staff(actor=request.user, reservation_id=pk)
    consumables = selectors.consumables_in_stock(bank_id=r.bank_id)
    form = CheckoutForm(request.POST or None, consumables=consumables)
    if request.method == "POST" and form.is_valid():
        try:
            services.checkout(
                actor=request.user,
                reservation_id=pk,
                tag_codes=form.codes(),
                consumables=form.consumables(),
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(request, _("Checked out."))
            return redirect("lending:reservation", pk=pk)
    tags = [
        a.asset.tag_code
        for a in r.allocations.filter(active=True).select_related("asset")
    ]
    return render(
        request,
        "lending/checkout.html",
        {"r": r, "form": form, "tags": tags},
        status=422 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def checkin(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    r = selectors.reservation_get_for_staff(actor=request.user, reservation_id=pk)
    tags = [
        a.asset.tag_code
        for a in r.allocations.filter(
            active=True, returned_at__isnull=True
        ).select_related("asset")
    ]
    form = CheckinForm(request.POST or None, request.FILES or None, tags=tags)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        items = [
            services.CheckinItem(
                tag_code=tag,
                parts_complete=d[f"parts_{i}"],
                condition=d[f"condition_{i}"],
                missing_parts=d[f"missing_{i}"],
                notes=d[f"notes_{i}"],
                photo=d.get(f"photo_{i}"),
            )
            for i, tag in enumerate(tags)
            if d[f"return_{i}"]
        ]
        try:
            services.checkin(actor=request.user, reservation_id=pk, items=items)
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(request, _("Checked in."))
            return redirect("lending:reservation", pk=pk)
    return render(
        request,
        "lending/checkin.html",
        {"r": r, "form": form},
        status=422 if form.errors else 200,
    )


@staff_required
@require_GET
def assets(request: AuthedHttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:60]
    qs = selectors.asset_list_for_staff(actor=request.user).order_by("tag_code")
    if q:
        qs = qs.filter(tag_code__icontains=q) | qs.filter(
            equipment__name_ko__icontains=q
        )
    return render(request, "lending/assets.html", {"assets": qs[:200], "q": q})


@staff_required
@require_http_methods(["GET", "POST"])
def asset_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    page = selectors.asset_page(actor=request.user, asset_id=pk)
    ticket_form = TicketForm(request.POST if "ticket" in request.POST else None)
    transfer_form = TransferForm(
        request.POST if "transfer" in request.POST else None, orgs=page.destinations
    )
    try:
        if "ticket" in request.POST and ticket_form.is_valid():
            services.maintenance_open(
                actor=request.user,
                asset_id=pk,
                description=ticket_form.cleaned_data["description"],
                expected_back=ticket_form.cleaned_data["expected_back"],
            )
            messages.success(
                request,
                _("The unit is out of service; affected reservations were handled."),
            )
            return redirect("lending:asset", pk=pk)
        if "transfer" in request.POST and transfer_form.is_valid():
            d = transfer_form.cleaned_data
            services.transfer_send(
                actor=request.user,
                asset_id=pk,
                to_org_id=d["to_org"].pk,
                rehome=d["rehome"],
            )
            messages.success(request, _("The unit is in transit."))
            return redirect("lending:asset", pk=pk)
    except DomainError as exc:
        add_domain_error(
            ticket_form if "ticket" in request.POST else transfer_form,
            exc,
            with_summary=True,
        )
    return render(
        request,
        "lending/asset.html",
        {
            "asset": page.asset,
            "ticket_form": ticket_form,
            "transfer_form": transfer_form,
            "orgs": page.banks,
            "tickets": page.tickets,
            "transfers": page.transfers,
        },
        status=422 if (ticket_form.errors or transfer_form.errors) else 200,
    )


@staff_required
@require_GET
def labels_pdf(request: AuthedHttpRequest) -> HttpResponse:
    qs = selectors.asset_list_for_staff(actor=request.user).order_by("tag_code")
    bank = request.GET.get("bank", "")
    if bank.isdigit():
        qs = qs.filter(home_bank_id=int(bank))
    base = request.build_absolute_uri(reverse("lending:tag_lookup"))
    pdf = services.label_sheet_pdf(list(qs[:2400]), base_url=base)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="labels.pdf"'
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def catalogue_import(request: AuthedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        banks = selectors.staff_banks(actor=request.user)
        try:
            if not banks:
                raise DjangoPermissionDenied
            started = services.catalogue_import_upload(
                actor=request.user,
                tenant_id=banks[0].tenant_id,
                kind=form.cleaned_data["kind"],
                filename=f.name,
                data=f.read(),
            )
        except DomainError as exc:
            row_errors = exc.extra.get("row_errors", [])
            form.add_error(None, str(exc.message))
            for field, msgs in exc.field_errors.items():
                if field == "file" and not row_errors:
                    form.add_error("file", [str(m) for m in msgs])
        else:
            if started.job_id is not None:
                return redirect("lending:import_job", pk=started.job_id)
            messages.success(
                request, _("%(n)s rows imported.") % {"n": started.imported}
            )
            return redirect("lending:import")
    return render(
        request,
        "lending/import.html",
        {"form": form, "row_errors": row_errors},
        status=422 if form.errors else 200,
    )


@staff_required
@require_GET
def import_job(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Progress of a large import run by the worker; refreshes itself until done."""
    job = selectors.import_job_get(actor=request.user, job_id=pk)
    return render(request, "lending/import_job.html", {"job": job})


@staff_required
@require_GET
def catalogue_export(request: AuthedHttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in ("models", "assets") or fmt not in ("csv", "xlsx"):
        raise Http404
    if selectors.staff_bank_ids(request.user) == set():
        raise DjangoPermissionDenied
    data = services.export_file(kind=kind, actor=request.user, fmt=fmt)
    return spreadsheets.file_response(
        data,
        content_type=spreadsheets.CONTENT_TYPES[fmt],
        filename=f"lending-{kind}.{fmt}",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def rounds(request: AuthedHttpRequest) -> HttpResponse:
    """Scarcity rounds of the staff's banks: open one, run the allocation."""
    form = RoundForm(
        request.POST if "create" in request.POST else None,
        banks=selectors.staff_bank_choices(actor=request.user),
    )
    try:
        if "run" in request.POST:
            seed = request.POST.get("seed", "").strip()
            rnd = services.round_run(
                actor=request.user,
                round_id=int(request.POST["run"]),
                seed=int(seed) if seed.isdigit() and len(seed) < 18 else None,
            )
            messages.success(
                request, _("Allocated with seed %(seed)s.") % {"seed": rnd.seed}
            )
            return redirect("lending:rounds")
        if "create" in request.POST and form.is_valid():
            d = form.cleaned_data
            services.round_create(
                actor=request.user,
                bank_id=d["bank"].pk,
                name=d["name"],
                window_start=d["window_start"],
                window_end=d["window_end"],
                collect_until=d["collect_until"],
            )
            messages.success(request, _("The round is open for requests."))
            return redirect("lending:rounds")
    except (DomainError, ValueError) as exc:
        if isinstance(exc, DomainError) and "create" in request.POST:
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.error(
                request, str(getattr(exc, "message", _("That did not work.")))
            )
    items = selectors.round_list(actor=request.user)[:50]
    return render(
        request,
        "lending/rounds.html",
        {"form": form, "items": items},
        status=422 if form.errors else 200,
    )


@staff_required
@require_GET
def staff_search(request: AuthedHttpRequest) -> HttpResponse:
    """Reservations of the staff's banks by number, school, teacher, tag, status, dates."""
    form = StaffSearchForm(request.GET or None)
    page = None
    if form.is_valid():
        d = form.cleaned_data
        qs = selectors.staff_reservation_search(
            actor=request.user,
            q=d["q"],
            tag=d["tag"],
            status=d["status"],
            start=d["start"],
            end=d["end"],
        )
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "lending/staff_search.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=422 if form.errors else 200,
    )


@staff_required
@require_GET
def tag_lookup(request: AuthedHttpRequest) -> HttpResponse:
    """The header's tag form: go to the unit page of the scanned or typed tag."""
    tag = request.GET.get("tag", "").strip()[:40]
    if not tag or any(ch in tag for ch in "#?%"):
        return unit(request, tag=tag)  # no address for these: answer here
    return redirect("lending:unit", tag=tag)


@staff_required
@require_GET
def unit(request: AuthedHttpRequest, tag: str) -> HttpResponse:
    """A unit by its tag (the QR label's address): now, next and the action that fits."""
    try:
        page = selectors.unit_by_tag(actor=request.user, tag=tag, today=clock.today())
    except NotFound as exc:
        return render(
            request,
            "lending/unit.html",
            {"page": None, "tag": tag, "error": exc.message},
            status=404,
        )
    return render(request, "lending/unit.html", {"page": page, "tag": tag})


@staff_required
@require_http_methods(["GET", "POST"])
def approvals(request: AuthedHttpRequest) -> HttpResponse:
    """Every reservation waiting for approval at the staff's banks; approve many at once."""
    form = BulkApproveForm(request.POST if request.method == "POST" else None)
    results: list[services.BulkRow] = []
    if request.method == "POST" and form.is_valid():
        try:
            results = services.reservations_approve_bulk(
                actor=request.user, reservation_ids=form.cleaned_data["reservations"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    pending = selectors.staff_reservation_search(
        actor=request.user, status=Reservation.Status.PENDING
    ).order_by("start_date", "pk")
    return render(
        request,
        "lending/approvals.html",
        {
            "form": form,
            "results": results,
            "approved": sum(1 for r in results if r.approved),
            "pending": pending[:200],
        },
        status=422 if form.errors else 200,
    )


@staff_required
@require_GET
def day_list(request: AuthedHttpRequest) -> HttpResponse:
    """The printable pick list or delivery list of one day, per bank and route."""
    form = DayListForm(
        request.GET or None, initial={"day": clock.today(), "kind": "pick"}
    )
    groups = None
    if form.is_valid():
        groups = selectors.staff_day_list(
            actor=request.user,
            day=form.cleaned_data["day"],
            kind=form.cleaned_data["kind"],
        )
    return render(
        request,
        "lending/day_list.html",
        {"form": form, "groups": groups},
        status=422 if form.errors else 200,
    )
