"""A student's pages: recommendations with the diagnostic quiz, the home panel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest

from .. import selectors, services
from ..forms import DiagnosticForm


@login_required
@require_http_methods(["GET", "POST"])
def recommendations(request: AuthedHttpRequest) -> HttpResponse:
    form: DiagnosticForm | None = None
    if request.method == "POST":
        ids = [
            int(k[5:])
            for k in request.POST
            if k.startswith("item_") and k[5:].isdigit()
        ]
        form = DiagnosticForm(request.POST, items=selectors.diagnostic_items(ids[:20]))
        if form.is_valid():
            try:
                services.diagnostic_submit(actor=request.user, answers=form.answers())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, _("Thank you. Your recommendations are updated.")
                )
                return redirect("learner_model:recommendations")
    shown = services.recommendations_show(actor=request.user)
    if form is None:
        form = DiagnosticForm(items=shown.diagnostic_items)
    return render(
        request,
        "learner_model/recommendations.html",
        {
            "lessons": shown.lessons,
            "practice": shown.practice,
            "form": form,
            "diagnostic": shown.diagnostic_items,
            "basis": shown.recs.basis,
            "lectures": shown.lectures,
        },
    )


@login_required
def panel(request: AuthedHttpRequest) -> HttpResponse:
    """The top three lessons, as a fragment for the student's home (htmx)."""
    shown = services.recommendations_show(actor=request.user)
    return render(
        request,
        "learner_model/panel.html",
        {"lessons": shown.lessons[:3], "diagnostic": bool(shown.recs.diagnostic)},
    )


@login_required
@require_POST
def follow(request: AuthedHttpRequest, event_id: int) -> HttpResponse:
    event = services.recommendation_follow(actor=request.user, event_id=event_id)
    return redirect(reverse("learning:lesson", args=[event.lesson_id]))
