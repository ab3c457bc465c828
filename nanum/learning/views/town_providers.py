"""The town officer's providers page: add a provider the town buys seats from (name,
sign-in address, contact, seats) and edit the ones the town added. Every write is one
call into ``services.town_providers``, which checks and audits it; another town's
slug or provider is simply not found."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest

from .. import selectors, services
from ..forms.providers import ProviderForm
from ._common import officer_required


@officer_required
@require_http_methods(["GET", "POST"])
def town_providers(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    policy = selectors.managed_town_get(actor=request.user, slug=slug)
    form = ProviderForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                org = services.town_provider_add(
                    actor=request.user,
                    tenant_id=policy.tenant_id,
                    data=form.to_input(),
                )
            except DomainError as exc:
                add_domain_error(form, exc, with_summary=True)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("%(name)s was added to the town's providers.")
                    % {"name": org.name},
                )
                return redirect("learning:town_providers", slug)
    context = {
        "policy": policy,
        "providers": selectors.town_provider_list(policy=policy),
        "form": form,
    }
    return render(request, "learning/town_providers.html", context, status=status)


@officer_required
@require_http_methods(["GET", "POST"])
def town_provider_edit(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    policy = selectors.managed_town_get(actor=request.user, slug=slug)
    row = selectors.town_provider_get(policy=policy, provider_id=pk)
    org = row.provider
    initial = {
        "name_ko": org.name_ko,
        "name_en": org.name_en,
        "launch_url": row.launch_url,
        "phone": org.phone,
        "seats": row.seats,
    }
    form = ProviderForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.town_provider_update(
                    actor=request.user,
                    tenant_id=policy.tenant_id,
                    provider_id=org.pk,
                    data=form.to_input(),
                )
            except DomainError as exc:
                add_domain_error(form, exc, with_summary=True)
                status = exc.status
            else:
                messages.success(request, _("The provider was saved."))
                return redirect("learning:town_providers", slug)
    context = {"policy": policy, "row": row, "form": form}
    return render(request, "learning/town_provider_edit.html", context, status=status)
