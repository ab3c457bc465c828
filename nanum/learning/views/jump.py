"""& Jump reward programmes: members apply, guardians consent, officers select."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core import clock
from nanum.core.errors import DomainError, NotFound
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest

from .. import selectors, services
from ..forms import EssayForm, RewardProgrammeForm
from ..models import RewardApplication
from ._common import int_or_none, officer_required


@login_required
def jump_home(request: AuthedHttpRequest) -> HttpResponse:
    """What a member may apply to, their applications, and (for a guardian) the
    travel consents their children's places wait for."""
    user = request.user
    return render(
        request,
        "learning/jump_home.html",
        {
            "programmes": list(selectors.reward_programmes_to_apply(user)),
            "applications": list(selectors.my_reward_applications(user)),
            "consents": list(selectors.travel_consents_pending(user)),
            "mileage": selectors.student_mileage(student_id=user.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def jump_apply(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.reward_programme_member_get(
        actor=request.user, programme_id=pk
    )
    form = EssayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reward_apply(
                actor=request.user, programme_id=pk, essay=form.cleaned_data["essay"]
            )
        except NotFound:
            raise
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(request, _("Your application was sent."))
            return redirect("learning:jump")
    return render(
        request, "learning/jump_apply.html", {"programme": programme, "form": form}
    )


@login_required
@require_POST
def jump_consent(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    try:
        services.reward_travel_consent(actor=request.user, application_id=pk)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Thank you: your consent was recorded."))
    return redirect("learning:jump")


@officer_required
@require_http_methods(["GET", "POST"])
def jump_programmes(request: AuthedHttpRequest) -> HttpResponse:
    towns = list(selectors.officer_towns(request.user))
    form = RewardProgrammeForm(request.POST or None)
    town_id = (
        int_or_none(request.POST.get("town")) if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.reward_programme_create(
                actor=request.user, tenant_id=town_id or 0, data=form.to_input()
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(request, _("The programme is open."))
            return redirect("learning:jump_programme", programme.pk)
    return render(
        request,
        "learning/jump_programmes.html",
        {
            "programmes": selectors.reward_programmes_for_officer(request.user),
            "towns": towns,
            "town_id": town_id,
            "form": form,
            "today": clock.today(),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def jump_programme(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.reward_programme_officer_get(
        actor=request.user, programme_id=pk
    )
    if request.method == "POST":
        try:
            if "shortlist" in request.POST:
                n = services.reward_shortlist_make(actor=request.user, programme_id=pk)
                messages.success(
                    request, _("Shortlist made: %(n)s applicants.") % {"n": n}
                )
            else:
                services.reward_select(
                    actor=request.user,
                    application_id=int_or_none(request.POST.get("application")) or 0,
                    select=request.POST.get("decision") == "select",
                )
                messages.success(request, _("The decision was saved."))
        except NotFound:
            raise
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("learning:jump_programme", pk)
    apps = selectors.reward_applications_for_officer(programme)
    selected = sum(1 for a in apps if a.state == RewardApplication.State.SELECTED)
    return render(
        request,
        "learning/jump_programme.html",
        {"programme": programme, "applications": apps, "selected": selected},
    )
