"""Pages anyone may open: sign-in, sign-up, the health check."""

from __future__ import annotations

from typing import Any, Literal, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.i18n import set_language as django_set_language

from nanum.core import services
from nanum.core.errors import DomainError
from nanum.core.forms import (
    PhoneSignUpForm,
    QueuedPasswordResetForm,
    SignUpForm,
    ThrottledAuthenticationForm,
    add_domain_error,
    signin_refused_message,
)


def _language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(
            Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE
        ),
    )


class LoginView(auth_views.LoginView):
    """Signing in switches the pages to the language the user saved."""

    template_name = "core/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        language = services.user_language(form.get_user())
        translation.activate(language)
        _language_cookie(response, language)
        return response


@require_http_methods(["GET", "POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: the cookie for everyone, and the saved language of a
    signed-in user (their notifications and e-mails follow it)."""
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.user_language_set(actor=request.user, language=language)
        except DomainError:
            pass  # Django's view below ignores an unknown language the same way
    return django_set_language(request)


class PasswordResetView(auth_views.PasswordResetView):
    """Same work and answer for every address: the e-mail is sent by a task."""

    template_name = "core/password_reset.html"
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("core:password_reset_done")


def signin_refused(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a refused sign-in (``AXES_LOCKOUT_CALLABLE``), on every
    login form: Nanum's sign-in page already shows why, with 429; any other (the
    admin's) gets a page saying how long to wait."""
    if (
        original_response is not None
        and request.resolver_match is not None
        and request.resolver_match.view_name == "core:login"
    ):
        original_response.status_code = 429
        return original_response
    return render(
        request,
        "core/signin_refused.html",
        {"message": signin_refused_message(request)},
        status=429,
    )


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
                language=translation.get_language() or "",
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("core:home")
    return render(request, "core/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def signup_phone(request: HttpRequest) -> HttpResponse:
    """Sign up with a mobile number: ask for a code, then enter it with the rest."""
    if request.user.is_authenticated:
        return redirect("core:home")
    form = PhoneSignUpForm(request.POST or None)
    if request.method == "POST" and "send" in request.POST:
        form = PhoneSignUpForm(initial={"phone": request.POST.get("phone", "")})
        try:
            services.phone_code_send(
                phone=request.POST.get("phone", ""),
                purpose="signup",
                ip=services.client_address(request),
            )
        except DomainError as exc:
            for text in [*exc.field_errors.get("phone", []), exc.message][:1]:
                messages.error(request, str(text))
        else:
            messages.success(request, _("A code was sent to your phone."))
    elif request.method == "POST" and form.is_valid():
        try:
            user = services.user_register_by_phone(data=form.signup())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("core:home")
    return render(request, "core/signup_phone.html", {"form": form})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    try:
        backlog = services.tasks_backlog()
    except DatabaseError:  # no task table (not migrated): the site still serves
        backlog = {}
    return JsonResponse({"status": "ok", "database": "ok", "tasks": backlog})
