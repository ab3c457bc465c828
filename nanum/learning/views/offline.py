"""The installable web app: its manifest and its service worker, served at the root
so that the worker's scope is the whole site (see nanum/static/nanum/sw.js)."""

from __future__ import annotations

import json
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


@lru_cache(maxsize=1)
def _worker_source() -> bytes:
    path = finders.find("nanum/sw.js")
    if not path or isinstance(path, list):
        raise FileNotFoundError("nanum/sw.js")
    with open(path, "rb") as fh:
        return fh.read()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker_source(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # a new worker is picked up at once
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": _("Nanum: sharing education resources"),
        "short_name": _("Nanum"),
        "description": _(
            "Study with Seoul Learn, your mentor and the lessons you opened, "
            "also offline."
        ),
        "lang": get_language() or "ko",
        "start_url": reverse("learning:student_home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5fa8",
        "icons": [
            {
                "src": static(f"nanum/icons/nanum-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        content_type="application/manifest+json; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=3600"
    response["Vary"] = "Accept-Language, Cookie"
    return response
