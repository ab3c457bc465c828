"""Domain errors: one stable code, a message in the user's language, field errors.

Services raise these; the web layer shows them next to the form fields, the API turns
them into RFC 9457 problem details. Nothing has been written when one is raised,
because every service runs in a single transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request that the rules refuse. ``code`` is stable and machine-readable."""

    status: int = 409
    code: str = "conflict"
    default_message: str | Promise = _("The request conflicts with the current state.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        field_errors: Mapping[str, Sequence[str | Promise]] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        if status:
            self.status = status
        self.field_errors: dict[str, list[str | Promise]] = {
            name: list(messages) for name, messages in (field_errors or {}).items()
        }
        self.extra = dict(extra or {})
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"
    default_message = _("Some fields are not valid.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("We could not find what you asked for.")


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"
    default_message = _("You do not have permission to do this.")


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = _("Too many attempts. Please wait and try again.")
