"""Public pages: listing, calendar feeds, programme detail (and applying), verification."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.idempotency import form_once
from nanum.core.models import Role, User

from .. import selectors, services
from ..forms import ApplyForm, FilterForm
from ..models import Programme
from ..selectors import residential
from ._feeds import ical_response


def _filters(request: HttpRequest) -> tuple[FilterForm, selectors.ListingFilters]:
    form = FilterForm(request.GET or None)
    f = selectors.ListingFilters()
    if form.is_valid():
        d = form.cleaned_data
        f = selectors.ListingFilters(
            q=d["q"] or "",
            kind=d["kind"] or "",
            audience=d["audience"] or "",
            grade=d["grade"],
            open_only=d["open_only"],
            organiser=d["organiser"].pk if d["organiser"] else None,
            town=d["town"].slug if d["town"] else "",
        )
    return form, f


@require_http_methods(["GET"])
def programme_list(request: HttpRequest) -> HttpResponse:
    form, f = _filters(request)
    programmes = list(selectors.programme_list(filters=f)[:200])
    query = request.GET.urlencode()
    user = request.user if isinstance(request.user, User) else None
    return render(
        request,
        "programs/list.html",
        {
            "form": form,
            "programmes": programmes,
            "query": query,
            "show_stays": user is not None and residential.stays_link_shown(actor=user),
        },
    )


@require_http_methods(["GET"])
def calendar_feed(request: HttpRequest) -> HttpResponse:
    _form, f = _filters(request)
    return ical_response(selectors.programme_list(filters=f)[:500], "nanum-programmes")


@require_http_methods(["GET"])
def programme_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    p = selectors.programme_get(pk=pk)
    return ical_response([p], f"programme-{p.pk}")


@require_http_methods(["GET", "POST"])
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = selectors.programme_get(pk=pk)
    actor = request.user if isinstance(request.user, User) else None
    children = (
        selectors.children_of(actor=actor)
        if actor is not None and p.audience != Programme.Audience.TEACHERS
        else []
    )
    mine = (
        selectors.my_application_for(actor=actor, programme=p)
        if actor is not None
        else []
    )
    taken = selectors.seats_taken(p)
    options = selectors.programme_apply_options(
        actor=actor, programme=p, mine=mine, children=children, taken=taken
    )
    if request.method == "GET":
        children = options.children  # offer only children who have not applied
    form = ApplyForm(
        request.POST if request.method == "POST" else None, children=children
    )
    if (
        p.selection != Programme.Selection.LOTTERY
        or p.audience == Programme.Audience.TEACHERS
    ):
        del form.fields["declare_priority"]  # priority only matters in a lottery
    if request.method == "POST":
        if actor is None:
            return redirect(f"{reverse('core:login')}?next={request.path}")
        if form.is_valid():
            child = next(
                (c for c in children if c.pk == form.cleaned_data.get("child")), None
            )
            with form_once(request) as once:  # sent twice: one application
                if once.replayed:
                    return once.replayed
                try:
                    app = services.application_apply(
                        actor=actor,
                        programme=p,
                        child=child,
                        declare_priority=form.cleaned_data.get(
                            "declare_priority", False
                        ),
                    )
                    messages.success(
                        request,
                        _("Your application was received: %(status)s")
                        % {"status": app.get_status_display()},
                    )
                    return once.done(redirect("programs:mine"))
                except DomainError as exc:
                    add_domain_error(form, exc)
    if request.method == "POST":
        mine = selectors.my_application_for(actor=actor, programme=p) if actor else []
    return render(
        request,
        "programs/detail.html",
        {
            "p": p,
            "form": form,
            "mine": mine,
            "sessions": selectors.sessions_of(p),
            "taken": taken,
            "options": options,
            "is_open": p.is_open(),
            "commitment": selectors.seed_commitment(p.lottery_seed),
            "can_nominate": options.can_nominate,
            "is_guardian": bool(actor is not None and actor.has_role(Role.GUARDIAN)),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET"])
def verify(request: HttpRequest) -> HttpResponse:
    code = (request.GET.get("code") or "")[:40]
    cert = selectors.certificate_verify(code) if code else None
    return render(
        request,
        "programs/verify.html",
        {
            "code": code,
            "cert": cert,
            "masked": selectors.mask_name(cert.holder_name) if cert else "",
        },
    )
