"""Pages of core, by audience: ``public`` (sign-in, sign-up, health), ``account``
(the signed-in user's home, notifications and tokens) and ``errors`` (the error
pages that ``nanum/urls.py``, the settings and the middleware name by path).
"""

from __future__ import annotations

from .account import channels, home, notifications, tokens
from .errors import (
    bad_request,
    csrf_failure,
    domain_error_page,
    page_not_found,
    permission_denied,
    server_error,
)
from .public import (
    LoginView,
    PasswordResetView,
    healthz,
    set_language,
    signup,
    signup_phone,
)

__all__ = [
    "LoginView",
    "PasswordResetView",
    "bad_request",
    "channels",
    "csrf_failure",
    "domain_error_page",
    "healthz",
    "home",
    "notifications",
    "page_not_found",
    "permission_denied",
    "server_error",
    "set_language",
    "signup",
    "signup_phone",
    "tokens",
]
