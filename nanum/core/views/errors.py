"""Error pages: 400, 403, 404, 500, a refused CSRF check, and a ``DomainError`` that
reached a page unhandled. Pages get HTML, the API and JSON clients a problem document.
"""

from __future__ import annotations

from typing import Any

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
    html = loader.get_template("500.html").render({})
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("Your session has expired"),
        _("Please go back, reload the page and try again."),
    )
