"""Error pages: 400, 403, 404, 500, 503 (the database is unavailable), a refused CSRF
check, and a ``DomainError`` that reached a page unhandled. Pages get HTML, the API and
JSON clients a problem document.
"""

from __future__ import annotations

import sys
from typing import Any

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from nanum.core.errors import DomainError, NotFound
from nanum.core.errors import PermissionDenied as DomainPermissionDenied
from nanum.core.problems import problem_response


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


def nul_character_refused(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        400,
        _("Bad request"),
        _(
            "A field holds a NUL character (code 0), which no text may contain. "
            "Nothing was changed."
        ),
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


#: Seconds a client should wait before retrying while the database is unavailable.
RETRY_AFTER_SECONDS = 5

_UNAVAILABLE: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


def is_database_unavailable(exc: BaseException | None) -> bool:
    """True when ``exc`` (or what caused it) says the database cannot be reached.

    Django wraps the driver's errors (``django.db.OperationalError`` with the psycopg
    error as ``__cause__``); a lost connection, a server shutting down, a refused
    connection and SQLite's "database is locked" all land here: the request may be
    retried, so the answer is 503 with ``Retry-After``, never 500.
    """
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, _UNAVAILABLE):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def database_unavailable_problem() -> HttpResponse:
    """The API's answer while the database is down: problem+json 503, Retry-After."""
    response = problem_response(
        status=503,
        code="database_unavailable",
        title=_("The service is briefly unavailable."),
        detail=_("Please try again in a few seconds."),
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database is unavailable: a problem document for API and JSON
    clients, else the localized 503 page, rendered without context processors (they
    read the database, which is the thing that failed)."""
    if _wants_problem(request):
        return database_unavailable_problem()
    html = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    if is_database_unavailable(sys.exc_info()[1]):
        # An outage that escaped the view (e.g. a middleware saving the session).
        return database_unavailable(request)
    if _wants_problem(request):
        return problem_response(
            status=500,
            code="server_error",
            title=_("Something went wrong"),
            detail=_("Our team has been told. Please try again later."),
        )
    # No context processors here: the database may be the thing that failed.
    html = loader.get_template("500.html").render({})
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("Your session has expired"),
        _("Please go back, reload the page and try again."),
    )
