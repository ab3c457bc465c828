"""Members and guardians: consent to research use of de-identified data."""

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

from .. import selectors, services
from ..forms import ConsentForm


@require_http_methods(["GET", "POST"])
@login_required
def consent(request: AuthedHttpRequest) -> HttpResponse:
    members = selectors.consent_members(actor=request.user)
    form = ConsentForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.research_consent_set(
                actor=request.user,
                member_id=form.cleaned_data["member"],
                consented=form.cleaned_data["consented"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your choice was saved."))
            return redirect("insights:consent")
    current = [(m, selectors.consent_of(m)) for m in members]
    return render(request, "insights/consent.html", {"form": form, "current": current})
