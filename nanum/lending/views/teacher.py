"""Teachers' pages: search, reserve, my reservations, iCal feed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nanum.core.errors import DomainError
from nanum.core.models import Organisation

from .. import selectors, services
from ..forms import ChangeForm, ReasonForm, ReserveForm, SearchForm, apply_error
from ..models import CalendarFeed, Reservation
from ..permissions import is_bank_staff, teacher_school_ids


def _schools(user: Any) -> QuerySet[Organisation]:
    ids = teacher_school_ids(user)
    qs = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
    return qs if ids is None else qs.filter(pk__in=ids)


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    schools = _schools(request.user)
    initial_start = timezone.localdate() + timedelta(days=7)
    form = SearchForm(
        request.GET or None,
        schools=schools,
        initial={
            "start": initial_start,
            "end": initial_start + timedelta(days=4),
            "quantity": 1,
        },
    )
    results, has_more, page = [], False, 1
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
    query = request.GET.copy()
    query.pop("page", None)
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
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reserve(request: HttpRequest) -> HttpResponse:
    schools = _schools(request.user)
    banks = Organisation.objects.filter(
        pk__in=[b.pk for b in selectors.bank_list(actor=request.user)]
    )
    data = request.POST if request.method == "POST" else None
    initial = {
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
        initial={k: v for k, v in initial.items() if v},
    )
    model = None
    model_id = (data or request.GET).get("equipment", "")
    if model_id.isdigit():
        model = (
            selectors.model_list(actor=request.user).filter(pk=int(model_id)).first()
        )
    if model is None:
        raise Http404
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
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
            apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Reservation #%(id)s: %(status)s")
                % {"id": r.pk, "status": r.get_status_display()},
            )
            return redirect("lending:reservation", pk=r.pk)
    return render(
        request,
        "lending/reserve.html",
        {"form": form, "model": model},
        status=422 if form.errors else 200,
    )


@login_required
@require_GET
def my_reservations(request: HttpRequest) -> HttpResponse:
    items = selectors.reservation_list(actor=request.user).order_by(
        "-start_date", "-pk"
    )[:200]
    feed = CalendarFeed.objects.filter(user=request.user).first()
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
def reservation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        r = selectors.reservation_get(actor=request.user, reservation_id=pk)
    except DomainError:
        raise Http404 from None
    staff = (
        is_bank_staff(request.user)
        and selectors.reservation_list(actor=request.user, scope="staff")
        .filter(pk=pk)
        .exists()
    )
    return render(
        request,
        "lending/reservation.html",
        {
            "r": r,
            "allocations": r.allocations.filter(active=True).select_related("asset"),
            "change_form": ChangeForm(
                initial={"start_date": r.start_date, "end_date": r.end_date}
            ),
            "reason_form": ReasonForm(),
            "reject_form": ReasonForm(prefix="reject"),
            "staff": staff,
        },
    )


@login_required
@require_POST
def reservation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Teacher actions: cancel, change dates, accept an offer; the feed address."""
    if action == "feed":
        CalendarFeed.objects.get_or_create(user=request.user)
        return redirect("lending:my_reservations")
    try:
        if action == "cancel":
            form = ReasonForm(request.POST)
            form.is_valid()
            services.reservation_cancel(
                actor=request.user,
                reservation_id=pk,
                reason=form.cleaned_data.get("reason", ""),
            )
            messages.success(request, _("The reservation was cancelled."))
        elif action == "change":
            form = ChangeForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Enter both dates."))
                return redirect("lending:reservation", pk=pk)
            services.reservation_change(
                actor=request.user, reservation_id=pk, **form.cleaned_data
            )
            messages.success(request, _("The dates were changed."))
        elif action == "accept":
            services.reservation_accept_offer(actor=request.user, reservation_id=pk)
            messages.success(request, _("You accepted the offer."))
        else:
            raise Http404
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, str(exc.message))
    return redirect("lending:reservation", pk=pk)


@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The teacher's reservations as an iCalendar feed (secret address, no sign-in)."""
    from icalendar import Calendar, Event

    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
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
def model_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The photo or manual of an equipment model, from private storage."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    if kind not in ("photo", "manual"):
        raise Http404
    model = selectors.model_list(actor=request.user).filter(pk=pk).first()
    field = getattr(model, kind, None) if model is not None else None
    if not field or not default_storage.exists(field.name):
        raise Http404
    return FileResponse(
        default_storage.open(field.name, "rb"),
        as_attachment=kind == "manual",
        filename=field.name.rsplit("/", 1)[-1],
    )
