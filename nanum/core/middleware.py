from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import add_never_cache_headers

from .errors import DomainError
from .views import domain_error_page
from .views.errors import (
    bad_request,
    database_unavailable,
    is_database_unavailable,
    nul_character_refused,
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


NUL = "\x00"


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _body_fits_in_memory(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is None or length <= limit


def request_has_nul(request: HttpRequest) -> bool:
    """Whether the path, the query or a text field of the body holds a NUL character.

    PostgreSQL cannot store one in text, and no person types one: such a request is
    refused whole before any view runs (SQLite would store it; the answer must not
    depend on the database). Uploaded files are not looked at (an Excel file holds
    NUL bytes); their contents are read by their importers.
    """
    if NUL in request.path or any(
        NUL in k or NUL in v for k, vs in request.GET.lists() for v in vs
    ):
        return True
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return False
    content_type = request.content_type or ""
    if content_type == "application/json":
        body = request.body
        if b"\\u0000" not in body.lower() and b"\x00" not in body:
            return False
        try:
            return _has_nul(json.loads(body))
        except ValueError:
            return b"\x00" in body  # unreadable JSON: its parser refuses it anyway
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if _body_fits_in_memory(request):
            # read the body first: the form is then parsed from the kept copy and a
            # view that reads request.body (the API) still can; parsing the stream
            # would consume it
            request.body  # noqa: B018
        fields = request.POST  # an unreadable body raises: the caller answers 400
        return any(NUL in k or NUL in v for k, vs in fields.lists() for v in vs)
    return False


class NulCharacterMiddleware:
    """A request with a NUL character in its path, query or text fields gets the
    localized 400 page (a problem document on the API) and changes nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            refused = request_has_nul(request)
        except RequestDataTooBig:
            # raised again where the body is read: the API answers 413, pages 400
            refused = False
        except (MultiPartParserError, BadRequest, SuspiciousOperation):
            # a multipart body without a usable boundary, too many fields, too big
            return bad_request(request)
        if refused:
            return nul_character_refused(request)
        return self.get_response(request)


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
