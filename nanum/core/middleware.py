from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from .errors import DomainError
from .views import domain_error_page
from .views.errors import (
    bad_request,
    database_unavailable,
    is_database_unavailable,
)


def _is_personal(request: HttpRequest) -> bool:
    """Whether the answer is for a signed-in user (a session, or an API token).

    Without a session cookie the user is known to be anonymous without a query; with
    one, the session was almost always read by the view already.
    """
    if request.path.startswith("/api/") and "Authorization" in request.headers:
        return True
    user = getattr(request, "user", None)
    if user is None:
        return False
    try:
        return bool(user.is_authenticated)
    except Exception as exc:
        if is_database_unavailable(exc):
            return True  # the session store is down: assume personal, cache nothing
        raise


class SecurityHeadersMiddleware:
    """Content-Security-Policy and related headers on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(("/api/docs", "/api/v1/docs")):
            # Swagger UI needs inline scripts and styles; it shows no personal data.
            csp = (
                "default-src 'self'; img-src 'self' data:; "
                "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
                "frame-ancestors 'none'"
            )
        else:
            csp = settings.CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if _is_personal(request):
            # Pages and API replies for a signed-in user carry personal data: no
            # browser, proxy or CDN may keep a copy. Public pages and static files
            # keep their own caching headers.
            add_never_cache_headers(response)
        return response


class DomainErrorMiddleware:
    """Pages: a ``DomainError`` that a view did not catch becomes the localized error
    page with the error's status (``NotFound`` 404, ``PermissionDenied`` 403), never
    a 500. Views therefore call selectors that raise ``NotFound`` without catching
    it; a refusal on a form is still shown on the form (``add_domain_error``).
    A database that cannot be reached gives the localized 503 page with
    ``Retry-After`` (a problem document for JSON clients), never the 500 page.
    The API has its own handlers (``nanum/api.py``) and never reaches this.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return domain_error_page(request, exception)
        if is_database_unavailable(exception):
            return database_unavailable(request)
        if isinstance(exception, (OverflowError, DataError)):
            # A number from the request beyond what the database stores (a page
            # number of 30 digits): the client's fault, a 400, not a 500.
            return bad_request(request, exception)
        return None
