"""The signed-in user's own pages: home, notifications, API tokens, channels."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nanum.core import selectors, services
from nanum.core.errors import DomainError
from nanum.core.forms import (
    ChannelsForm,
    PhoneCodeForm,
    TokenCreateForm,
    add_domain_error,
)
from nanum.core.http import AuthedHttpRequest
from nanum.core.models import Role
from nanum.core.navigation import nav_for


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "core/home.html",
        {
            "cards": nav_for(user),
            "assignments": selectors.role_assignment_list(actor=user),
            "notifications": selectors.notification_list(actor=user)[:5],
            "unread": selectors.unread_count(actor=user),
            "is_admin": user.is_superuser or user.has_role(Role.ADMINISTRATOR),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: AuthedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notification_mark_read(actor=request.user)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("core:notifications")
    items = selectors.notification_list(actor=request.user)[:100]
    return render(request, "core/notifications.html", {"items": items})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request: AuthedHttpRequest) -> HttpResponse:
    new_token: str | None = None
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                services.token_revoke(
                    actor=request.user, token_id=int(request.POST["revoke"])
                )
                messages.success(request, _("The token was revoked."))
            except (DomainError, ValueError):
                messages.error(request, _("We could not find that token."))
            return redirect("core:tokens")
        if form.is_valid():
            _token, new_token = services.token_create(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
            form = TokenCreateForm()
    return render(
        request,
        "core/tokens.html",
        {
            "form": form,
            "items": selectors.token_list(actor=request.user),
            "new_token": new_token,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def channels(request: AuthedHttpRequest) -> HttpResponse:
    """How to be told (in-app, e-mail, SMS, KakaoTalk) and the verified mobile number."""
    user = request.user
    pref = services.preference_of(user)
    post = request.POST if request.method == "POST" else None
    channels_form = ChannelsForm(
        post if post and "save" in post else None,
        initial={"channels": pref.channels},
    )
    phone_form = PhoneCodeForm(
        post if post and ("send" in post or "verify" in post) else None,
        initial={"phone": pref.phone},
    )
    if post is not None:
        try:
            if "save" in post and channels_form.is_valid():
                services.channels_set(
                    actor=user, channels=channels_form.cleaned_data["channels"]
                )
                messages.success(request, _("Your choice was saved."))
                return redirect("core:channels")
            if "send" in post and phone_form.is_valid():
                services.phone_code_send(
                    phone=phone_form.cleaned_data["phone"],
                    purpose="verify",
                    ip=services.client_address(request),
                )
                messages.success(request, _("A code was sent to your phone."))
            elif "verify" in post and phone_form.is_valid():
                services.phone_verify(
                    actor=user,
                    phone=phone_form.cleaned_data["phone"],
                    code=phone_form.cleaned_data["code"],
                )
                messages.success(request, _("Your mobile number is verified."))
                return redirect("core:channels")
        except DomainError as exc:
            add_domain_error(
                channels_form if "save" in post else phone_form, exc, with_summary=True
            )
    return render(
        request,
        "core/channels.html",
        {"channels_form": channels_form, "phone_form": phone_form, "pref": pref},
    )
