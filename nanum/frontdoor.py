"""The public front door at ``/`` and ``/favicon.ico``.

The composition root is the one place that knows every app, so the front door lives
here: it reads what anyone may see through each app's public selectors (programmes
open now, the Seoul Learn towns, what the K-STEM Bank lends). A signed-in user keeps
core's role home at the same address.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from nanum.core import views as core_views
from nanum.core.http import AuthedHttpRequest
from nanum.learning import selectors as learning
from nanum.lending import selectors as lending
from nanum.programs import selectors as programs

FAVICON = Path(__file__).resolve().parent / "static" / "nanum" / "favicon.ico"
OPEN_PROGRAMMES = 6


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """``/``: the role home when signed in, otherwise the public front door."""
    if request.user.is_authenticated:
        return core_views.home(cast(AuthedHttpRequest, request))
    open_now = programs.ListingFilters(open_only=True)
    return render(
        request,
        "frontdoor.html",
        {
            "programmes": list(
                programs.programme_list(filters=open_now)[:OPEN_PROGRAMMES]
            ),
            "towns": list(learning.open_policies()),
            "catalogue": lending.catalogue_overview(),
        },
    )


@cache
def _favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico`` for the browsers and tools that ask for it by that name."""
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")
