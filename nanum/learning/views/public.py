"""Each town's own main page inside Nanum, its colours and logo."""

from __future__ import annotations

from html import escape

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .. import selectors
from ..models import LOGO_CONTENT_TYPES

# A logo is an image, never a page: opened on its own it may run nothing and load
# nothing (an SVG is a document a browser would otherwise execute at our address).
LOGO_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@require_GET
def towns(request: HttpRequest) -> HttpResponse:
    return render(
        request, "learning/towns.html", {"policies": selectors.open_policies()}
    )


@require_GET
def town(request: HttpRequest, slug: str) -> HttpResponse:
    policy = selectors.town_policy_get(slug=slug)
    return render(request, "learning/town.html", selectors.town_page(policy))


@require_GET
@cache_control(max_age=3600, public=True)
def town_theme(request: HttpRequest, slug: str) -> HttpResponse:
    """A tiny stylesheet with the town's colour (the CSP forbids inline styles)."""
    policy = selectors.town_policy_get(slug=slug)
    colour = policy.tenant.primary_colour
    css = (
        f".town-banner{{background:{colour};color:#fff;padding:1rem;border-radius:.5rem}}"
        f".town-banner a{{color:#fff}}.town-accent{{border-left:.4rem solid {colour};"
        "padding-left:.75rem}"
        f".bar{{background:{colour};height:1rem;display:block;min-width:2px}}"
    )
    return HttpResponse(css, content_type="text/css")


@require_GET
@cache_control(max_age=3600, public=True)
def town_logo(request: HttpRequest, slug: str) -> HttpResponseBase:
    policy = selectors.town_policy_get(slug=slug)
    logo = (policy.logo.name if policy.logo else "") or ""
    content_type = LOGO_CONTENT_TYPES.get(logo.rsplit(".", 1)[-1].lower())
    if content_type and default_storage.exists(logo):
        response: HttpResponseBase = FileResponse(
            default_storage.open(logo, "rb"), content_type=content_type
        )
        response["Content-Security-Policy"] = LOGO_CSP
        return response
    colour = policy.tenant.primary_colour
    initial = escape(policy.tenant.programme_name_ko[:1] or "런")
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="12" fill="{colour}"/>'
        '<text x="32" y="43" font-size="30" text-anchor="middle" fill="#fff" '
        f'font-family="sans-serif">{initial}</text></svg>'
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = LOGO_CSP
    return response
