"""The town officer's providers page: add a provider the town buys seats from (name,
sign-in address, contact, seats) and edit the ones the town added; on a provider's
page, give its staff accounts (a one-time password shown once) and show or renew its
hand-off secret (shown once); deactivate or reactivate a staff account (confirmed)
or give it a new one-time password (shown once). Every write is one call into
``services.town_providers``, which checks and audits it; another town's slug or
provider is simply not found."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.models import User

from .. import selectors, services
from ..forms.providers import (
    ProviderForm,
    ProviderSecretForm,
    ProviderStaffForm,
    StaffDeactivateForm,
)
from ..models import TenantPolicy
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
                return redirect("learning:town_provider_edit", slug, org.pk)
    context = {
        "policy": policy,
        "providers": selectors.town_provider_list(policy=policy),
        "form": form,
    }
    return render(request, "learning/town_providers.html", context, status=status)


def _provider(
    request: AuthedHttpRequest, slug: str, pk: int
) -> tuple[TenantPolicy, selectors.TownProvider]:
    """The officer's town and one provider it added; anything else is not found."""
    policy = selectors.managed_town_get(actor=request.user, slug=slug)
    return policy, selectors.town_provider_get(policy=policy, provider_id=pk)


def _edit_page(
    request: AuthedHttpRequest,
    policy: TenantPolicy,
    row: selectors.TownProvider,
    *,
    form: ProviderForm | None = None,
    staff_form: ProviderStaffForm | None = None,
    secret_form: ProviderSecretForm | None = None,
    shown: dict[str, str] | None = None,
    staff_error: dict[str, object] | None = None,
    status: int = 200,
) -> HttpResponse:
    org = row.provider
    initial = {
        "name_ko": org.name_ko,
        "name_en": org.name_en,
        "launch_url": row.launch_url,
        "phone": org.phone,
        "seats": row.seats,
    }
    context = {
        "policy": policy,
        "row": row,
        "form": form or ProviderForm(initial=initial),
        "staff": selectors.town_provider_staff(provider=org),
        "staff_form": staff_form or ProviderStaffForm(),
        "secret_form": secret_form or ProviderSecretForm(),
        "secret_shown": selectors.town_provider_secret_shown(provider_id=org.pk),
        "shown": shown or {},
        "staff_error": staff_error or {},
        "deactivate_form": StaffDeactivateForm(),
    }
    response = render(
        request, "learning/town_provider_edit.html", context, status=status
    )
    response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_http_methods(["GET", "POST"])
def town_provider_edit(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    policy, row = _provider(request, slug, pk)
    if request.method != "POST":
        return _edit_page(request, policy, row)
    form = ProviderForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            services.town_provider_update(
                actor=request.user,
                tenant_id=policy.tenant_id,
                provider_id=row.provider.pk,
                data=form.to_input(),
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
            status = exc.status
        else:
            messages.success(request, _("The provider was saved."))
            return redirect("learning:town_providers", slug)
    return _edit_page(request, policy, row, form=form, status=status)


@officer_required
@require_POST
def town_provider_staff_add(
    request: AuthedHttpRequest, slug: str, pk: int
) -> HttpResponse:
    """A staff account for the provider; its one-time password is shown once."""
    policy, row = _provider(request, slug, pk)
    form = ProviderStaffForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            account = services.town_provider_staff_add(
                actor=request.user,
                tenant_id=policy.tenant_id,
                provider_id=row.provider.pk,
                name=form.cleaned_data["name"],
                username=form.cleaned_data["username"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
            status = exc.status
        else:
            shown = {
                "username": account.user.username,
                "password": account.password,
            }
            return _edit_page(request, policy, row, shown=shown)
    return _edit_page(request, policy, row, staff_form=form, status=status)


@officer_required
@require_POST
def town_provider_secret(
    request: AuthedHttpRequest, slug: str, pk: int
) -> HttpResponse:
    """Show the provider's hand-off secret once, or make a new one (confirmed)."""
    policy, row = _provider(request, slug, pk)
    form = ProviderSecretForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            secret = services.town_provider_secret(
                actor=request.user,
                tenant_id=policy.tenant_id,
                provider_id=row.provider.pk,
                new=form.cleaned_data["new"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
            status = exc.status
        else:
            return _edit_page(request, policy, row, shown={"secret": secret})
    return _edit_page(request, policy, row, secret_form=form, status=status)


#: What each staff button calls (the service checks and audits it).
_STAFF_ACTS: dict[str, Callable[..., User | services.StaffAccount]] = {
    "deactivate": services.town_provider_staff_deactivate,
    "reactivate": services.town_provider_staff_reactivate,
    "password": services.town_provider_staff_password,
}


@officer_required
@require_POST
def town_provider_staff_manage(
    request: AuthedHttpRequest, slug: str, pk: int, user_id: int, act: str
) -> HttpResponse:
    """Deactivate (confirmed) or reactivate a staff account of the provider, or give
    it a new one-time password, shown once; anyone else's account is not found."""
    change = _STAFF_ACTS.get(act)
    if change is None:
        raise Http404()
    policy, row = _provider(request, slug, pk)
    provider_id = row.provider.pk
    if act == "deactivate":
        form = StaffDeactivateForm(request.POST)
        if not form.is_valid():
            staff = selectors.town_provider_staff(provider=row.provider)
            if user_id not in {u.pk for u in staff}:
                raise Http404()
            errors = [str(e) for e in form.errors.get("confirm", [])]
            error = {"user": user_id, "messages": errors}
            return _edit_page(request, policy, row, staff_error=error, status=422)
    try:
        done = change(
            actor=request.user,
            tenant_id=policy.tenant_id,
            provider_id=provider_id,
            user_id=user_id,
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        error = {"user": user_id, "messages": [str(exc.message)]}
        return _edit_page(request, policy, row, staff_error=error, status=exc.status)
    if isinstance(done, services.StaffAccount):
        shown = {
            "username": done.user.username,
            "password": done.password,
            "reset": "1",
        }
        return _edit_page(request, policy, row, shown=shown)
    if act == "deactivate":
        text = _("%(username)s can no longer sign in; its API tokens were revoked.")
    else:
        text = _("%(username)s can sign in again with its password.")
    messages.success(request, text % {"username": done.username})
    return redirect("learning:town_provider_edit", slug, provider_id)
