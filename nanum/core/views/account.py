"""The signed-in user's own pages: home, notifications, API tokens."""

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
from nanum.core.forms import TokenCreateForm
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
