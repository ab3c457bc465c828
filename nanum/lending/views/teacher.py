"""Teachers' pages: search, reserve, my reservations, iCal feed."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar, Event

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.idempotency import form_once

from .. import selectors, services
from ..forms import ChangeForm, ClassRequestForm, ReasonForm, ReserveForm, SearchForm
from ..models import Reservation


@login_required
@require_GET
def search(request: AuthedHttpRequest) -> HttpResponse:
    schools = selectors.school_list(actor=request.user)
    defaults = selectors.booking_defaults(actor=request.user)
    form = SearchForm(
        request.GET or None,
        schools=schools,
        initial={
            "start": defaults.start,
            "end": defaults.end,
            "quantity": 1,
            "school": defaults.school,
        },
    )
    results: list[selectors.SearchResult] = []
    has_more, page = False, 1
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        school = d.get("school") or schools.first()
        results, has_more = selectors.availability_search(
            actor=request.user,
            start=d["start"],
            end=d["end"],
            quantity=d["quantity"],
            q=d["q"],
            category=d["category"],
            grade=d["grade"],
            school_id=school.pk if school else None,
            page=page,
        )
    research = _research_block(request, form)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("research_page", None)
    return render(
        request,
        "lending/search.html",
        {
            "form": form,
            "results": results,
            "has_more": has_more,
            "page": page,
            "query": query.urlencode(),
            "can_book": bool(schools.exists()),
            "defaults": defaults,
            **research,
        },
    )


def _research_block(request: AuthedHttpRequest, form: SearchForm) -> dict[str, object]:
    """Research equipment from ZEUS for the search's own block (research/views)."""
    if not (form.is_bound and form.is_valid()):
        return {}
    if form.cleaned_data["category"] not in ("", "advanced"):
        return {}
    raw = request.GET.get("research_page", "1")
    page = int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1
    items, total = selectors.research_search(
        actor=request.user, q=form.cleaned_data["q"], page=page
    )
    return {"research_items": items, "research_total": total, "research_page": page}


@login_required
@require_http_methods(["GET", "POST"])
def reserve(request: AuthedHttpRequest) -> HttpResponse:
    schools = selectors.school_list(actor=request.user)
    banks = selectors.bank_choices(actor=request.user)
    data = request.POST if request.method == "POST" else None
    bank_param = (data or request.GET).get("bank", "")
    defaults = selectors.booking_defaults(
        actor=request.user,
        bank_id=int(bank_param) if bank_param.isdigit() else None,
    )
    initial: dict[str, object] = {
        "start_date": defaults.start,
        "end_date": defaults.end,
        "school": defaults.school,
    }
    asked = {
        k: request.GET.get(v)
        for k, v in (
            ("equipment", "equipment"),
            ("bank", "bank"),
            ("start_date", "start"),
            ("end_date", "end"),
            ("quantity", "quantity"),
            ("school", "school"),
        )
    }
    form = ReserveForm(
        data,
        banks=banks,
        schools=schools,
        initial=initial | {k: v for k, v in asked.items() if v},
    )
    model_id = (data or request.GET).get("equipment", "")
    if not model_id.isdigit():
        raise Http404
    model = selectors.model_get(actor=request.user, model_id=int(model_id))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with form_once(request) as once:  # sent twice (double click): booked once
            if once.replayed:
                return once.replayed
            try:
                r = services.reservation_create(
                    actor=request.user,
                    equipment_id=model.pk,
                    bank_id=d["bank"].pk,
                    school_id=d["school"].pk,
                    quantity=d["quantity"],
                    start_date=d["start_date"],
                    end_date=d["end_date"],
                    fulfilment=d["fulfilment"],
                    purpose=d["purpose"],
                    waitlist=d["waitlist"],
                )
            except DomainError as exc:
                add_domain_error(form, exc, with_summary=True)
            else:
                messages.success(
                    request,
                    _("Reservation #%(id)s: %(status)s")
                    % {"id": r.pk, "status": r.get_status_display()},
                )
                return once.done(redirect("lending:reservation", pk=r.pk))
    return render(
        request,
        "lending/reserve.html",
        {"form": form, "model": model, "defaults": defaults},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_request(request: AuthedHttpRequest) -> HttpResponse:
    """A class set: N units of one model, filled from the nearest banks (all or none)."""
    schools = selectors.school_list(actor=request.user)
    defaults = selectors.booking_defaults(actor=request.user)
    data = request.POST if request.method == "POST" else None
    asked = {
        k: request.GET.get(v)
        for k, v in (
            ("equipment", "equipment"),
            ("start_date", "start"),
            ("end_date", "end"),
            ("quantity", "quantity"),
            ("school", "school"),
        )
    }
    form = ClassRequestForm(
        data,
        schools=schools,
        models=selectors.model_list(actor=request.user),
        initial={
            "start_date": defaults.start,
            "end_date": defaults.end,
            "school": defaults.school,
        }
        | {k: v for k, v in asked.items() if v},
    )
    model_id = (data or request.GET).get("equipment", "")
    if not model_id.isdigit():
        raise Http404
    model = selectors.model_get(actor=request.user, model_id=int(model_id))
    # the plan shown: from the posted form, or from the search's parameters
    probe = (
        form
        if form.is_bound
        else ClassRequestForm(
            {**{k: form[k].value() for k in form.fields}, "purpose": "-"},
            schools=schools,
        )
    )
    plan = None
    if probe.is_valid():
        d = probe.cleaned_data
        plan = selectors.class_request_plan(
            actor=request.user,
            equipment_id=model.pk,
            school_id=d["school"].pk,
            start=d["start_date"],
            end=d["end_date"],
            quantity=d["quantity"],
            fulfilment=d["fulfilment"],
        )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with form_once(request) as once:  # sent twice (double click): booked once
            if once.replayed:
                return once.replayed
            try:
                made = services.class_basket_create(
                    actor=request.user,
                    items=[
                        services.BasketItem(equipment_id=m, quantity=n)
                        for m, n in [(model.pk, d["quantity"]), *form.basket()]
                    ],
                    school_id=d["school"].pk,
                    start_date=d["start_date"],
                    end_date=d["end_date"],
                    fulfilment=d["fulfilment"],
                    purpose=d["purpose"],
                )
            except DomainError as exc:
                add_domain_error(form, exc, with_summary=True)
            else:
                for r in made.reservations:
                    messages.success(
                        request,
                        _(
                            "Reservation #%(id)s: %(qty)s at %(bank)s (%(how)s), %(status)s"
                        )
                        % {
                            "id": r.pk,
                            "qty": r.quantity,
                            "bank": r.bank.name,
                            "how": r.get_fulfilment_display(),
                            "status": r.get_status_display(),
                        },
                    )
                return once.done(redirect("lending:my_reservations"))
    return render(
        request,
        "lending/class_request.html",
        {"form": form, "model": model, "plan": plan, "defaults": defaults},
        status=422 if form.errors else 200,
    )


@login_required
@require_GET
def my_reservations(request: AuthedHttpRequest) -> HttpResponse:
    items = selectors.reservation_list(actor=request.user).order_by(
        "-start_date", "-pk"
    )[:200]
    feed = selectors.calendar_feed_of(user=request.user)
    feed_url = (
        request.build_absolute_uri(reverse("lending:ical", args=[feed.token]))
        if feed
        else ""
    )
    return render(
        request, "lending/my_reservations.html", {"items": items, "feed_url": feed_url}
    )


@login_required
@require_GET
def reservation_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    opened = services.reservation_open(
        actor=request.user, reservation_id=pk, request=request
    )
    r = opened.reservation
    return render(
        request,
        "lending/reservation.html",
        {
            "r": r,
            "allocations": opened.allocations,
            "class_parts": opened.class_parts,
            "change_form": ChangeForm(
                initial={"start_date": r.start_date, "end_date": r.end_date}
            ),
            "reason_form": ReasonForm(),
            "reject_form": ReasonForm(prefix="reject"),
            "staff": opened.staff,
        },
    )


@login_required
@require_POST
def reservation_action(
    request: AuthedHttpRequest, pk: int, action: str
) -> HttpResponse:
    """Teacher actions: cancel, change dates, accept an offer; the feed address."""
    if action == "feed":  # the older address of "create my feed"
        return calendar_feed_action(request, "create")
    try:
        if action == "cancel":
            reason_form = ReasonForm(request.POST)
            reason_form.is_valid()
            services.reservation_cancel(
                actor=request.user,
                reservation_id=pk,
                reason=reason_form.cleaned_data.get("reason", ""),
            )
            messages.success(request, _("The reservation was cancelled."))
        elif action == "change":
            form = ChangeForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Enter both dates."))
                return redirect("lending:reservation", pk=pk)
            services.reservation_change(
                actor=request.user,
                reservation_id=pk,
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
            )
            messages.success(request, _("The dates were changed."))
        elif action == "accept":
            services.reservation_accept_offer(actor=request.user, reservation_id=pk)
            messages.success(request, _("You accepted the offer."))
        else:
            raise Http404
    except DomainError as exc:
        if exc.status == 404:
            raise  # the error page, like every NotFound
        messages.error(request, str(exc.message))
    return redirect("lending:reservation", pk=pk)


@login_required
@require_POST
def calendar_feed_action(request: AuthedHttpRequest, action: str) -> HttpResponse:
    """The owner's iCal feed: make it, give it a new address, or switch it off."""
    if action == "create":
        services.calendar_feed_create(actor=request.user)
    elif action == "rotate":
        services.calendar_feed_rotate(actor=request.user)
        messages.success(
            request,
            _(
                "Your calendar feed has a new address; the old one no longer works. "
                "Put the new address into your calendar app."
            ),
        )
    elif action == "revoke":
        services.calendar_feed_revoke(actor=request.user)
        messages.success(
            request,
            _("Your calendar feed is switched off; its address no longer works."),
        )
    else:
        raise Http404
    return redirect("lending:my_reservations")


@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The teacher's reservations as an iCalendar feed (secret address, no sign-in)."""
    feed = selectors.calendar_feed_get(token=token)
    cal = Calendar()
    cal.add("prodid", "-//Nanum K-STEM Bank//nanum//KO")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "K-STEM Bank")
    rows = selectors.reservation_list(actor=feed.user).filter(
        status__in=Reservation.HOLDING
    )[:500]
    for r in rows:
        ev = Event()
        ev.add("uid", f"reservation-{r.pk}@nanum")
        ev.add(
            "summary", f"{r.equipment.name_ko} ×{r.quantity} ({r.get_status_display()})"
        )
        ev.add("dtstart", r.start_date)
        ev.add("dtend", r.end_date + timedelta(days=1))
        ev.add("dtstamp", r.updated_at)
        ev.add("location", r.bank.name_ko)
        ev.add("description", r.purpose)
        cal.add_component(ev)
    return HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")


@login_required
@require_GET
def model_file(request: AuthedHttpRequest, pk: int, kind: str) -> FileResponse:
    """The photo or manual of an equipment model, from private storage."""
    if kind not in ("photo", "manual"):
        raise Http404
    model = selectors.model_get(actor=request.user, model_id=pk)
    field = getattr(model, kind, None)
    if not field or not default_storage.exists(field.name):
        raise Http404
    return FileResponse(
        default_storage.open(field.name, "rb"),
        as_attachment=kind == "manual",
        filename=field.name.rsplit("/", 1)[-1],
    )
