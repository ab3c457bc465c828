"""Helpers shared by the learning views: audience checks, parsing, home cache key."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http.response import HttpResponseBase

from nanum.core.http import AuthedHttpRequest
from nanum.core.models import Role

from ..selectors import is_officer


def officer_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    @login_required
    @wraps(view)
    def wrapper(
        request: AuthedHttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if not is_officer(request.user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def provider_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    @login_required
    @wraps(view)
    def wrapper(
        request: AuthedHttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if not (request.user.has_role(Role.PROVIDER) or request.user.is_superuser):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
