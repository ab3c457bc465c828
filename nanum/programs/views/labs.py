"""Open-lab visits: teachers book a slot for a class; lab staff publish slots."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.models import Role

from .. import selectors, services
from ..forms import LabBookForm, LabSlotForm


@login_required
@require_http_methods(["GET"])
def lab_list(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "programs/labs.html",
        {
            "slots": list(selectors.lab_slots_open(actor=request.user)[:200]),
            "bookings": list(selectors.my_lab_bookings(actor=request.user)[:50]),
            "is_teacher": request.user.has_role(Role.TEACHER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lab_book(request: AuthedHttpRequest, slot_pk: int) -> HttpResponse:
    slot = selectors.lab_slot_open_get(actor=request.user, pk=slot_pk)
    form = LabBookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.lab_book(
                actor=request.user,
                slot_id=slot.pk,
                class_name=d["class_name"],
                students=d["students"],
                note=d["note"],
            )
            messages.success(request, _("The lab visit is booked."))
            return redirect("programs:labs")
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "programs/lab_book.html",
        {"slot": slot, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def lab_cancel(request: AuthedHttpRequest, booking_pk: int) -> HttpResponse:
    try:
        services.lab_booking_cancel(actor=request.user, booking_id=booking_pk)
        messages.success(request, _("The booking was cancelled."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    if selectors.is_organiser(request.user) and request.POST.get("from") == "organiser":
        return redirect("programs:organiser_labs")
    return redirect("programs:labs")


@login_required
@require_http_methods(["GET", "POST"])
def organiser_labs(request: AuthedHttpRequest) -> HttpResponse:
    managed = selectors.labs_managed(request.user)
    if not selectors.is_organiser(request.user) or not managed.exists():
        raise Http404
    form = LabSlotForm(request.POST if request.method == "POST" else None, labs=managed)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.lab_slot_create(
                actor=request.user,
                lab=d["lab"],
                room=d["room"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                instructor=d["instructor"],
                max_students=d["max_students"],
                equipment_note=d["equipment_note"],
            )
            messages.success(request, _("Slot added."))
            return redirect("programs:organiser_labs")
        except DomainError as exc:
            add_domain_error(form, exc)
    slots = list(selectors.organiser_lab_slots(actor=request.user)[:200])
    return render(
        request,
        "programs/organiser/labs.html",
        {"form": form, "slots": slots},
        status=422 if request.method == "POST" else 200,
    )
