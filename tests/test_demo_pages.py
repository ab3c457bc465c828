"""On the full demo data, every page and endpoint answers every demo user without a 500.

The persona walk (test_no_server_errors) mostly meets empty tables; here the ids in
the URLs point at real reservations, applications, programmes, pairs and sessions of
other people and other towns, so permission and not-found paths run on real rows.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import get_resolver

from nanum.core.models import User
from nanum.mentoring.models import Match, MatchRun, Session
from tests.test_no_server_errors import _fill, _walk

pytestmark = pytest.mark.django_db

USERS = [
    None,
    "teacher",
    "bank.gangseo",
    "student",
    "guardian",
    "officer.pyeongchang",
    "mentor",
    "centre",
    "provider",
    "admin",
]


def test_demo_pages_never_answer_500(client):
    call_command("seed_demo", verbosity=0)
    # The demo's mentoring journey needs the batch match computed while seeding
    # (its task would otherwise run only after the seeding transaction).
    run = MatchRun.objects.get()
    assert run.certified and run.stats["pairs"] > 0
    mentor = User.objects.get(username="mentor")
    assert Match.objects.filter(mentor__user=mentor).exists()
    assert Session.objects.filter(match__mentor__user=mentor).exists()
    if connection.vendor == "postgresql":
        # The demo rows exist only inside this test's transaction, so the planner's
        # statistics still say "empty tables" and pick nested loops over thousands of
        # rows (minutes per page). ANALYZE in the same transaction counts them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    routes = [
        r
        for r in _walk(get_resolver().url_patterns)
        if not r.startswith(("admin/", "static/", "jsi18n/"))
    ]
    urls = sorted({u for r in routes for v in ("1", "2", "5") if (u := _fill(r, v))})
    post_urls = sorted({u for r in routes if (u := _fill(r, "1"))})
    failures = []
    for username in USERS:
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))
        for url in urls:
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"{username} GET {url}: {response.status_code}")
        for url in post_urls:
            response = client.post(url, {"id": "1", "quantity": "-3", "date": "x"})
            if response.status_code >= 500:
                failures.append(f"{username} POST {url}: {response.status_code}")
    assert not failures, "\n".join(failures[:40])
