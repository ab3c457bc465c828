"""Shared helpers for the learning views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.models import Role

from ..services.common import is_officer


def show_error(form: forms.Form, exc: DomainError) -> None:
    """Put a service's error on the form (with its summary on top)."""
    add_domain_error(form, exc, with_summary=True)


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_officer(request.user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def provider_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.has_role(Role.PROVIDER) or request.user.is_superuser):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


HOME_VERSION = "learning_home_v"


def home_version(request: HttpRequest) -> str:
    return str(request.session.get(HOME_VERSION, "0"))


def home_changed(request: HttpRequest) -> None:
    """The student changed their own data: the home page summary must be read again."""
    request.session[HOME_VERSION] = int(request.session.get(HOME_VERSION, 0)) + 1
