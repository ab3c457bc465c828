"""Helpers shared by the mentoring pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from nanum.core.errors import DomainError, NotFound, PermissionDenied


def flash_refusal(request: HttpRequest, exc: DomainError) -> None:
    """A refusal of an action without a form, shown as a message on the next page.
    ``NotFound`` and ``PermissionDenied`` propagate: ``DomainErrorMiddleware`` shows
    the 404 or 403 page."""
    if isinstance(exc, NotFound | PermissionDenied):
        raise exc
    messages.error(request, str(exc.message))


def refusal_text(exc: DomainError) -> str:
    """The field errors of a refusal in one line (its message when it has none)."""
    msgs = [str(e) for errs in exc.field_errors.values() for e in errs]
    return " ".join(msgs) or str(exc.message)
