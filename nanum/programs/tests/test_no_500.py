"""Every programmes route, every persona, existing and missing ids and garbage: no 500."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from nanum.programs import services
from nanum.programs.tests.helpers import make_programme

PERSONAS = [
    None,
    "teacher",
    "student",
    "guardian",
    "pyeongchang_officer",
    "centre_staff",
    "bank_officer",
    "admin",
]
PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


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
        return None

    def sub(m: re.Match[str]) -> str:
        if (m.group("conv") or "str") == "int":
            return value if value.isdigit() else "999999"
        return value

    return "/" + PARAM.sub(sub, route)


pytestmark = pytest.mark.django_db


def test_no_programmes_route_answers_500(client, world):
    p = make_programme(world.centre_staff, world.centre)
    app = services.application_apply(actor=world.student, programme=p)
    token = services.checkin_token(p.sessions.all()[0])
    routes = [
        r
        for r in _walk(get_resolver().url_patterns)
        if r.startswith(("programs/", "api/v1/programs/"))
    ]
    assert len(routes) > 20
    urls = set()
    for r in routes:
        for value in (str(p.pk), str(app.pk), "999999", "garbage%20<>'", token):
            url = _fill(r, value)
            if url:
                urls.add(url)
    failures = []
    for persona in PERSONAS:
        client.logout()
        if persona:
            client.force_login(getattr(world, persona))
        for url in sorted(urls):
            for method in ("get", "post"):
                try:
                    if method == "get":
                        resp = client.get(
                            url + "?page=-1&q=%00&grade=x&code=%00&kind=zz"
                        )
                    else:
                        resp = client.post(
                            url,
                            {
                                "x": "<script>",
                                "action": "draw",
                                "present": ["a"],
                                "application": "z",
                            },
                        )
                except Exception as exc:
                    failures.append(f"{persona} {method} {url}: {exc!r}")
                    continue
                if resp.status_code >= 500:
                    failures.append(f"{persona} {method} {url}: {resp.status_code}")
    assert not failures, "\n".join(failures[:30])
