"""Career and admissions counselling pages for students and counsellors."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core import clock
from nanum.core.errors import DomainError, NotFound, PermissionDenied
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.models import Role

from .. import selectors, services
from ..forms import BookingForm, NotesForm, SlotForm
from ._common import flash_refusal


@require_http_methods(["GET", "POST"])
@login_required
def counselling(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    is_counsellor = user.has_role(Role.COUNSELLOR)
    slot_form = SlotForm(request.POST or None) if is_counsellor else None
    if request.method == "POST" and slot_form is not None and slot_form.is_valid():
        d = slot_form.cleaned_data
        starts = d["starts_at"]
        if timezone.is_naive(starts):
            starts = timezone.make_aware(starts)
        try:
            services.slot_publish(
                actor=user,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=d["minutes"]),
                topic=d["topic"],
                online_link=d["online_link"] or "",
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            add_domain_error(slot_form, exc)
        else:
            messages.success(request, _("The slot is published."))
            return redirect("mentoring:counselling")
    towns = selectors.counselling_tenants(user)
    slots = [s for t in towns for s in selectors.open_slots(t)[:50]]
    return render(
        request,
        "mentoring/counselling.html",
        {
            "is_counsellor": is_counsellor,
            "slot_form": slot_form,
            "my_slots": list(
                selectors.counsellor_slots(user).filter(
                    starts_at__gte=clock.now() - timedelta(days=30)
                )
            )
            if is_counsellor
            else [],
            "slots": slots,
            "booking_form": BookingForm(),
            "bookings": list(
                selectors.my_bookings(user).order_by("-slot__starts_at")[:30]
            ),
            "now": clock.now(),
        },
    )


@require_POST
@login_required
def book(request: AuthedHttpRequest, slot_id: int) -> HttpResponse:
    form = BookingForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _(
                "Choose a topic and tell the counsellor what you would "
                "like to talk about."
            ),
        )
        return redirect("mentoring:counselling")
    try:
        services.booking_create(
            actor=request.user,
            slot_id=slot_id,
            topic=form.cleaned_data["topic"],
            question=form.cleaned_data["question"],
        )
        messages.success(request, _("Booked. You will get a reminder the day before."))
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("mentoring:counselling")


@require_POST
@login_required
def booking_cancel(request: AuthedHttpRequest, booking_id: int) -> HttpResponse:
    try:
        services.booking_cancel(actor=request.user, booking_id=booking_id)
        messages.success(request, _("The booking was cancelled."))
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("mentoring:counselling")


@require_POST
@login_required
def slot_cancel(request: AuthedHttpRequest, slot_id: int) -> HttpResponse:
    try:
        services.slot_cancel(actor=request.user, slot_id=slot_id)
        messages.success(request, _("The slot was cancelled."))
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("mentoring:counselling")


@require_http_methods(["GET", "POST"])
@login_required
def booking(request: AuthedHttpRequest, booking_id: int) -> HttpResponse:
    item = selectors.booking_get(actor=request.user, booking_id=booking_id)
    is_counsellor = request.user.pk == item.slot.counsellor_id
    form = (
        NotesForm(request.POST or None, initial={"notes": item.notes})
        if is_counsellor
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.booking_notes_save(
                actor=request.user, booking_id=item.pk, notes=form.cleaned_data["notes"]
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Notes saved."))
            return redirect("mentoring:booking", booking_id=item.pk)
    return render(
        request,
        "mentoring/booking.html",
        {"booking": item, "form": form, "is_counsellor": is_counsellor},
    )
