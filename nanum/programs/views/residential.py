"""Residential programme pages: the organiser's stay, rooms and roster; a participant's
or guardian's stay page (consent, emergency contacts); a guardian's pending consents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest

from ..forms import EmergencyContactForm, RoomForm, StayForm
from ..selectors import residential as res
from ..services import residential as writes


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_http_methods(["GET", "POST"])
def organiser_stay(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = res.residential_programme_get(actor=request.user, pk=pk)
    stay = getattr(p, "stay", None)
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    stay_form = StayForm(
        post if action == "stay" else None,
        initial=(
            {
                "check_in": stay.check_in,
                "check_out": stay.check_out,
                "place": stay.place,
            }
            if stay
            else None
        ),
    )
    room_form = RoomForm(post if action == "room" else None, initial={"capacity": 4})
    failed = False
    if action == "stay" and stay_form.is_valid():
        try:
            writes.stay_set(actor=request.user, programme=p, **stay_form.cleaned_data)
            messages.success(request, _("The nights of the stay are saved."))
            return redirect("programs:organiser_stay", pk=p.pk)
        except DomainError as exc:
            add_domain_error(stay_form, exc)
    elif action == "room" and room_form.is_valid():
        try:
            writes.room_add(actor=request.user, programme=p, **room_form.cleaned_data)
            messages.success(request, _("Room added."))
            return redirect("programs:organiser_stay", pk=p.pk)
        except DomainError as exc:
            add_domain_error(room_form, exc)
    elif action == "assign" and post is not None:
        try:
            writes.room_assign(
                actor=request.user,
                programme=p,
                application_id=_int_or_none(post.get("application")) or 0,
                room_id=_int_or_none(post.get("room")),
            )
            messages.success(request, _("The roster is saved."))
            return redirect("programs:organiser_stay", pk=p.pk)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            failed = True
    failed = failed or (post is not None)
    sheet = writes.residential_roster_open(
        actor=request.user, programme_id=p.pk, request=request
    )
    return render(
        request,
        "programs/organiser/stay.html",
        {
            "p": p,
            "stay": stay,
            "sheet": sheet,
            "stay_form": stay_form,
            "room_form": room_form,
            "service_on": res.town_offers_residential(p.tenant_id),
        },
        status=422 if failed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_stay(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    app = res.stay_application_get(actor=request.user, pk=pk)
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    form = EmergencyContactForm(post if action == "contact" else None)
    failed = False
    if action == "consent":
        try:
            writes.consent_give(actor=request.user, application_id=app.pk)
            messages.success(request, _("Thank you: your consent is recorded."))
            return redirect("programs:my_stay", pk=app.pk)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            failed = True
    elif action == "contact" and form.is_valid():
        try:
            writes.emergency_contact_add(
                actor=request.user, application_id=app.pk, **form.cleaned_data
            )
            messages.success(request, _("Emergency contact added."))
            return redirect("programs:my_stay", pk=app.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    failed = failed or post is not None
    return render(
        request,
        "programs/stay.html",
        {
            "app": app,
            "p": app.programme,
            "stay": getattr(app.programme, "stay", None),
            "minor": res.is_minor(app),
            "missing": res.place_missing(app),
            "may_consent": res.may_consent(request.user, app),
            "form": form,
        },
        status=422 if failed else 200,
    )


@login_required
@require_http_methods(["GET"])
def stays(request: AuthedHttpRequest) -> HttpResponse:
    """My residential stays and the ones of my children that wait for my consent."""
    return render(
        request,
        "programs/stays.html",
        {
            "pending": res.consents_pending(actor=request.user),
            "mine": res.my_stays(actor=request.user),
        },
    )
