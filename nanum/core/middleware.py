from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .errors import DomainError
from .views import domain_error_page


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
        return response


class DomainErrorMiddleware:
    """Pages: a ``DomainError`` that a view did not catch becomes the localized error
    page with the error's status (``NotFound`` 404, ``PermissionDenied`` 403), never
    a 500. Views therefore call selectors that raise ``NotFound`` without catching
    it; a refusal on a form is still shown on the form (``add_domain_error``).
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
        return None
