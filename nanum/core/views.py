"""Thin views of core: home, sign-in, notifications, tokens, health, error pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .errors import DomainError, NotFound
from .errors import PermissionDenied as DomainPermissionDenied
from .forms import (
    SignUpForm,
    ThrottledAuthenticationForm,
    TokenCreateForm,
    add_domain_error,
)
from .models import Role
from .navigation import nav_for
from .problems import problem_response


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            user = services.user_register(
                username=cd["username"],
                display_name=cd["display_name"],
                email=cd["email"],
                password=cd["password1"],
                birth_year=cd["birth_year"],
                role=cd["role"],
                tenant=cd["tenant"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("core:home")
    return render(request, "core/signup.html", {"form": form})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assignments = user.role_assignments.filter(is_active=True).select_related(
        "organisation", "tenant"
    )
    return render(
        request,
        "core/home.html",
        {
            "cards": nav_for(user),
            "assignments": assignments,
            "notifications": selectors.notification_list(actor=user)[:5],
            "unread": selectors.unread_count(actor=user),
            "is_admin": user.is_superuser or user.has_role(Role.ADMINISTRATOR),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notification_mark_read(actor=request.user)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("core:notifications")
    items = selectors.notification_list(actor=request.user)[:100]
    return render(request, "core/notifications.html", {"items": items})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
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
    items = request.user.api_tokens.filter(revoked_at__isnull=True).order_by(
        "-created_at"
    )
    return render(
        request,
        "core/tokens.html",
        {"form": form, "items": items, "new_token": new_token},
    )


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _wants_problem(request: HttpRequest) -> bool:
    return request.path.startswith(
        "/api/"
    ) or "application/json" in request.headers.get("Accept", "")


def _error(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    if _wants_problem(request):
        code = {400: "bad_request", 403: "forbidden", 404: "not_found"}.get(
            status, "server_error"
        )
        return problem_response(status=status, code=code, title=title, detail=detail)
    context: dict[str, Any] = {"status": status, "title": title, "detail": detail}
    return render(request, "error.html", context, status=status)


def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _error(
        request, 400, _("Bad request"), _("The request could not be understood.")
    )


def permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _error(
        request, 403, _("No access"), _("You do not have permission to see this page.")
    )


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _error(
        request,
        404,
        _("Page not found"),
        _("The page you asked for does not exist or has moved."),
    )


def domain_error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A refusal that reached a page unhandled: the localized page with its status.

    ``NotFound`` is the 404 page and ``PermissionDenied`` the 403 page, exactly as
    if the view had raised Django's own; any other refusal shows its message.
    """
    if isinstance(exc, NotFound):
        return page_not_found(request, exc)
    if isinstance(exc, DomainPermissionDenied):
        return permission_denied(request, exc)
    if _wants_problem(request):
        return problem_response(
            status=exc.status, code=exc.code, title=str(exc.message), extra=exc.extra
        )
    context: dict[str, Any] = {
        "status": exc.status,
        "title": _("We could not do that"),
        "detail": str(exc.message),
    }
    return render(request, "error.html", context, status=exc.status)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_problem(request):
        return problem_response(
            status=500,
            code="server_error",
            title=_("Something went wrong"),
            detail=_("Our team has been told. Please try again later."),
        )
    # No context processors here: the database may be the thing that failed.
    from django.template import loader

    html = loader.get_template("500.html").render({})
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("Your session has expired"),
        _("Please go back, reload the page and try again."),
    )
