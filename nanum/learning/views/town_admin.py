"""Town self-service pages: an administrator adds a town; its officers edit its page,
rules, providers and notices (every write in ``services.towns``, audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.errors import DomainError, NotFound
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.tenancy import is_platform_admin

from .. import selectors, services
from ..forms import NoticeForm, SeatsForm, TownCreateForm, TownPageForm, TownRulesForm
from ..models import TenantPolicy
from ._common import officer_required


def _rules_initial(policy: TenantPolicy) -> dict[str, Any]:
    return {
        k: getattr(policy, k) for k in services.TownRules.__dataclass_fields__.keys()
    }


def _page_initial(policy: TenantPolicy) -> dict[str, Any]:
    return {
        "tagline_ko": policy.tagline_ko,
        "tagline_en": policy.tagline_en,
        "page_text_ko": policy.page_text_ko,
        "page_text_en": policy.page_text_en,
        "primary_colour": policy.tenant.primary_colour,
    }


@officer_required
def town_list(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/town_list.html",
        {
            "towns": selectors.managed_towns(request.user),
            "can_add": is_platform_admin(request.user),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def town_new(request: AuthedHttpRequest) -> HttpResponse:
    if not is_platform_admin(request.user):
        raise DjangoPermissionDenied
    providers = list(selectors.provider_organisations())
    form = TownCreateForm(request.POST or None, request.FILES or None)
    seats = SeatsForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid() and seats.is_valid():
        cd = form.cleaned_data
        try:
            policy = services.town_create(
                actor=request.user,
                data=services.TownInput(
                    name_ko=cd["name_ko"],
                    name_en=cd["name_en"],
                    slug=cd["slug"],
                    kind=cd["kind"],
                    programme_name_ko=cd["programme_name_ko"],
                    programme_name_en=cd["programme_name_en"],
                    rules=form.to_rules(),
                    page=form.to_page(),
                    seats=seats.to_seats(),
                    officer_username=cd["officer_username"],
                ),
            )
        except DomainError as exc:
            if "seats" in exc.field_errors:
                add_domain_error(seats, exc)
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(request, _("The town is live."))
            return redirect("learning:town_edit", policy.tenant.slug)
    return render(
        request, "learning/town_new.html", {"form": form, "seats_form": seats}
    )


def _editor(
    request: AuthedHttpRequest, policy: TenantPolicy, **forms: Any
) -> HttpResponse:
    providers = list(selectors.provider_organisations())
    seat_initial = {
        f"seats_{pid}": n
        for pid, n in selectors.town_seats(tenant_id=policy.tenant_id).items()
    }
    context = {
        **selectors.town_editor(policy),
        "rules_form": forms.get("rules_form")
        or TownRulesForm(initial=_rules_initial(policy)),
        "page_form": forms.get("page_form")
        or TownPageForm(initial=_page_initial(policy)),
        "seats_form": forms.get("seats_form")
        or SeatsForm(initial=seat_initial, providers=providers),
        "notice_form": forms.get("notice_form") or NoticeForm(),
    }
    status = 422 if forms else 200
    return render(request, "learning/town_edit.html", context, status=status)


@officer_required
def town_edit(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    policy = selectors.managed_town_get(actor=request.user, slug=slug)
    return _editor(request, policy)


@officer_required
@require_POST
def town_rules(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    policy = selectors.managed_town_get(actor=request.user, slug=slug)
    form = TownRulesForm(request.POST)
    if form.is_valid():
        try:
            services.town_rules_update(
                actor=request.user, tenant_id=policy.tenant_id, rules=form.to_rules()
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(request, _("The rules were saved."))
            return redirect("learning:town_edit", slug)
    return _editor(request, policy, rules_form=form)


@officer_required
@require_POST
def town_page_save(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    policy = selectors.managed_town_get(actor=request.user, slug=slug)
    form = TownPageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.town_page_update(
                actor=request.user, tenant_id=policy.tenant_id, page=form.to_page()
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(request, _("The page was saved."))
            return redirect("learning:town_edit", slug)
    return _editor(request, policy, page_form=form)


@officer_required
@require_POST
def town_seats(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    policy = selectors.managed_town_get(actor=request.user, slug=slug)
    form = SeatsForm(request.POST, providers=selectors.provider_organisations())
    if form.is_valid():
        try:
            services.town_seats_update(
                actor=request.user, tenant_id=policy.tenant_id, seats=form.to_seats()
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(request, _("The providers and seats were saved."))
            return redirect("learning:town_edit", slug)
    return _editor(request, policy, seats_form=form)


@officer_required
@require_POST
def town_notice_add(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    policy = selectors.managed_town_get(actor=request.user, slug=slug)
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            services.town_notice_add(
                actor=request.user,
                tenant_id=policy.tenant_id,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(request, _("The notice is published."))
            return redirect("learning:town_edit", slug)
    return _editor(request, policy, notice_form=form)


@officer_required
@require_POST
def town_notice_delete(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    policy = selectors.managed_town_get(actor=request.user, slug=slug)
    try:
        services.town_notice_delete(
            actor=request.user, tenant_id=policy.tenant_id, notice_id=pk
        )
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The notice was removed."))
    return redirect("learning:town_edit", slug)
