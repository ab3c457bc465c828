"""No user request may produce a 500: every route, every persona, good and bad input.

Walks the whole URL configuration (every app's pages and API), fills path parameters
with ids that exist, ids that don't, and garbage, and sends GET and a garbage POST as
an anonymous visitor and as each persona.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/", "static/", "jsi18n/", "media/")
PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
PERSONAS = [
    None,
    "teacher",
    "bank_officer",
    "student",
    "guardian",
    "pyeongchang_officer",
    "mentor",
    "centre_staff",
    "provider",
    "admin",
]


def _walk(patterns: list, prefix: str = "") -> list[str]:
    routes: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            routes.extend(_walk(p.url_patterns, prefix + str(p.pattern)))
        elif isinstance(p, URLPattern):
            routes.append(prefix + str(p.pattern))
    return routes


def _fill(route: str, value: str) -> str | None:
    if route.startswith("^") or "(?P" in route:
        return None  # regex routes (none of ours); skip

    def sub(m: re.Match[str]) -> str:
        conv = m.group("conv") or "str"
        if conv == "int":
            return value if value.isdigit() else "999999"
        if conv == "uuid":
            return str(uuid.uuid4())
        return value

    return "/" + PARAM.sub(sub, route)


def _routes() -> list[str]:
    out: set[str] = set()
    for route in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES):
            continue
        for value in ("1", "999999", "garbage%20<>'"):
            url = _fill(route, value)
            if url:
                out.add(url)
    return sorted(out)


def test_no_route_answers_500_for_any_persona(client, world):
    failures = []
    routes = _routes()
    assert len(routes) >= 250  # every app mounted: its routes are walked too
    for persona in PERSONAS:
        client.logout()
        if persona:
            client.force_login(getattr(world, persona))
        for url in routes:
            for method in ("get", "post"):
                try:
                    if method == "get":
                        response = client.get(url + "?page=-1&q=%00&date=2026-13-45")
                    else:
                        response = client.post(url, {"x": "<script>", "id": "abc"})
                except Exception as exc:  # an exception here is a 500 in production
                    failures.append(f"{persona} {method.upper()} {url}: {exc!r}")
                    continue
                if response.status_code >= 500:
                    failures.append(
                        f"{persona} {method.upper()} {url}: {response.status_code}"
                    )
    assert not failures, "\n".join(failures[:40])
