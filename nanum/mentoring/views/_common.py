"""Helpers shared by the mentoring pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from nanum.core.errors import DomainError, NotFound, PermissionDenied
from nanum.core.forms import add_domain_error


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


def form_submit(
    request: HttpRequest,
    form: forms.Form,
    success: str,
    service: Callable[..., object],
    **kwargs: Any,
) -> bool:
    """Call ``service(**kwargs)`` for a valid form: True (and ``success`` flashed) when
    it went through; a refusal goes on the form and gives False. ``NotFound`` and
    ``PermissionDenied`` propagate to the 404 or 403 page."""
    try:
        service(**kwargs)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    messages.success(request, success)
    return True
