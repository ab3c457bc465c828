"""API twins of the & Jump pages: members list and apply, guardians consent, officers
open, shortlist and select. The page and the API give the same answer, the same
refusal (404 for another town's programme, 403 where the page refuses), refuse bad
input in the caller's language with nothing written, and write the same audit rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import AuditLog, Role, User
from nanum.core.testing import make_user
from nanum.learning.models import GuardianLink, RewardApplication, RewardProgramme

from .test_jump_programmes import ESSAY, member, programme_post

pytestmark = pytest.mark.django_db
API = "/api/v1/learning"
TODAY = timezone.localdate


def call(
    method: str, path: str, token: str, body: Any = None, lang: str | None = None
) -> Any:
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if lang:
        extra["HTTP_ACCEPT_LANGUAGE"] = lang
    send = getattr(Client(), method)
    if body is None:
        return send(path, **extra)
    return send(path, body, content_type="application/json", **extra)


def audit(action: str) -> list[tuple[Any, ...]]:
    return [
        (a.actor_id, a.action, a.object_type, a.tenant_id, a.after)
        for a in AuditLog.objects.filter(action=action).order_by("pk")
    ]


def programme_json(town_id: int, **over: Any) -> dict[str, Any]:
    form = programme_post()
    body: dict[str, Any] = {
        **form,
        "town_id": town_id,
        "places": int(form["places"]),
        "min_mileage": int(form["min_mileage"]),
        "involves_travel": True,
    }
    body.update(over)
    return body


@pytest.fixture
def jump_town(world: Any, towns: Any) -> Any:
    policy = towns["pyeongchang"]
    policy.services = ["lectures", "jump"]
    policy.save()
    return policy


@pytest.fixture
def programme(world: Any, jump_town: Any) -> RewardProgramme:
    return RewardProgramme.objects.create(
        tenant=world.pyeongchang,
        title_ko="예일대 캠프",
        essay_prompt="왜?",
        places=1,
        min_mileage=10,
        opens_on=TODAY(),
        closes_on=TODAY() + timedelta(days=7),
        involves_travel=True,
    )


# --- Members -------------------------------------------------------------------------


def test_member_sees_and_applies_alike(
    world, programme, apply_for, client_for, api_token
):
    by_page, by_api = member(world, apply_for, 900), member(world, apply_for, 900)
    for s in (by_page, by_api):
        page = client_for(s).get(reverse("learning:jump"))
        r = call("get", f"{API}/jump/programmes", api_token(s))
        assert (
            [p["id"] for p in r.json()["items"]]
            == [p.pk for p in page.context["programmes"]]
            == [programme.pk]
        )
        mileage = call("get", f"{API}/jump/mileage", api_token(s)).json()
        assert mileage == {"mileage": page.context["mileage"]} == {"mileage": 90}
    page = client_for(by_page).post(
        reverse("learning:jump_apply", args=[programme.pk]), {"essay": ESSAY}
    )
    assert page.status_code == 302
    r = call(
        "post",
        f"{API}/jump/programmes/{programme.pk}/applications",
        api_token(by_api),
        {"essay": ESSAY},
    )
    assert r.status_code == 201, r.content
    assert r.json()["state"] == "submitted" and r.json()["mileage"] == 90
    rows = audit("learning.jump.apply")
    assert [row[0] for row in rows] == [by_page.pk, by_api.pk]
    assert rows[0][1:] == rows[1][1:]
    for s in (by_page, by_api):
        page = client_for(s).get(reverse("learning:jump"))
        token = api_token(s)
        assert call("get", f"{API}/jump/programmes", token).json()["items"] == []
        assert list(page.context["programmes"]) == []
        mine = call("get", f"{API}/jump/applications", token).json()
        assert mine["count"] == 1 and set(mine) == {"count", "items", "limit", "offset"}
        assert [a["id"] for a in mine["items"]] == [
            a.pk for a in page.context["applications"]
        ]


@pytest.mark.parametrize(
    ("essay", "field", "en"),
    [
        ("짧아요", "essay", "Write at least 30 characters."),
        ("가" * 2001, "essay", "Write at most 2000 characters."),
    ],
)
def test_bad_essay_is_refused_alike_in_both_languages(
    world, programme, apply_for, client_for, api_token, essay, field, en
):
    s = member(world, apply_for, 900)
    token = api_token(s)
    client = client_for(s)
    audits = AuditLog.objects.count()
    url = reverse("learning:jump_apply", args=[programme.pk])
    for lang in ("en", "ko"):
        client.cookies["nanum_language"] = lang
        page = client.post(url, {"essay": essay})
        assert page.status_code == 200
        page_errors = [str(e) for e in page.context["form"].errors[field]]
        r = call(
            "post",
            f"{API}/jump/programmes/{programme.pk}/applications",
            token,
            {"essay": essay},
            lang=lang,
        )
        assert r.status_code == 422
        assert r.json()["code"] == "invalid_input"
        assert [e["message"] for e in r.json()["errors"]] == page_errors
        assert (page_errors == [en]) is (lang == "en")
    assert not RewardApplication.objects.exists()
    assert AuditLog.objects.count() == audits


def test_refusals_of_applying_are_the_same(
    world, programme, apply_for, client_for, api_token
):
    s = member(world, apply_for, 900)
    poor = member(world, apply_for, 50)  # 5 mileage, below the floor of 10
    outsider = make_user("jump-outsider", Role.STUDENT, world.middle_school)
    api_url = f"{API}/jump/programmes/{programme.pk}/applications"
    page_url = reverse("learning:jump_apply", args=[programme.pk])
    assert call("post", api_url, api_token(s), {"essay": ESSAY}).status_code == 201
    cases = [
        (s, 409, "duplicate", "You have already applied to this programme."),
        (poor, 409, "not_enough_mileage", "This programme needs 10 mileage"),
    ]
    for user, status, code, text in cases:
        client = client_for(user)
        client.cookies["nanum_language"] = "en"
        page = client.post(page_url, {"essay": ESSAY})
        r = call("post", api_url, api_token(user), {"essay": ESSAY}, lang="en")
        assert r.status_code == status and r.json()["code"] == code
        assert r.json()["title"].startswith(text)
        assert r.json()["title"] in page.content.decode().replace("&#x27;", "'")
    # not a member of the town: not found on both, for reading and applying
    page = client_for(outsider).post(page_url, {"essay": ESSAY})
    r = call("post", api_url, api_token(outsider), {"essay": ESSAY})
    got = call("get", f"{API}/jump/programmes/{programme.pk}", api_token(outsider))
    assert page.status_code == r.status_code == got.status_code == 404
    # the window closed
    programme.opens_on = programme.closes_on = TODAY() - timedelta(days=1)
    programme.save()
    other = member(world, apply_for, 900)
    r = call("post", api_url, api_token(other), {"essay": ESSAY})
    assert r.status_code == 409 and r.json()["code"] == "window_closed"
    assert RewardApplication.objects.count() == 1
    assert len(audit("learning.jump.apply")) == 1


# --- Officers ------------------------------------------------------------------------


def test_officer_opens_a_programme_alike(world, jump_town, client_for, api_token):
    officer = world.pyeongchang_officer
    page = client_for(officer).post(
        reverse("learning:jump_programmes"),
        {"town": world.pyeongchang.pk, **programme_post()},
    )
    assert page.status_code == 302
    r = call(
        "post",
        f"{API}/officer/jump/programmes",
        api_token(officer),
        programme_json(world.pyeongchang.pk),
    )
    assert r.status_code == 201, r.content
    first, second = RewardProgramme.objects.order_by("pk")
    fields = ["tenant_id", "title_ko", "places", "min_mileage", "opens_on"]
    assert [getattr(first, f) for f in fields] == [getattr(second, f) for f in fields]
    assert r.json()["id"] == second.pk and r.json()["town"] == "pyeongchang"
    rows = audit("learning.jump.create")
    assert len(rows) == 2 and rows[0] == rows[1]
    listing = client_for(officer).get(reverse("learning:jump_programmes"))
    r = call("get", f"{API}/officer/jump/programmes", api_token(officer))
    assert [p["id"] for p in r.json()["items"]] == [
        p.pk for p in listing.context["programmes"]
    ]


@pytest.mark.parametrize(
    ("over", "fields", "status"),
    [
        ({"places": 0, "closes_on": "2000-01-01"}, {"places", "closes_on"}, 422),
        ({"title_ko": " ", "essay_prompt": ""}, {"title_ko", "essay_prompt"}, 422),
        ({"min_mileage": -1}, {"min_mileage"}, 422),
        ({"places": 40000}, {"places"}, 422),
        ({"town_id": 0}, {"town_id"}, 422),
        ({"closes_on": "not a date"}, {"closes_on"}, 422),
    ],
)
def test_bad_programme_is_refused_and_nothing_written(
    world, jump_town, api_token, over, fields, status
):
    token = api_token(world.pyeongchang_officer)
    audits = AuditLog.objects.count()
    r = call(
        "post",
        f"{API}/officer/jump/programmes",
        token,
        programme_json(world.pyeongchang.pk) | over,
    )
    assert r.status_code == status
    assert r.json()["code"] == "invalid_input"
    assert {e["field"] for e in r.json()["errors"]} == fields
    assert not RewardProgramme.objects.exists()
    assert AuditLog.objects.count() == audits


def test_programme_in_another_or_a_jumpless_town_is_refused(
    world, jump_town, client_for, api_token
):
    officer = world.gimpo_officer
    token = api_token(officer)
    client = client_for(officer)
    client.cookies["nanum_language"] = "en"
    for town, status in ((world.pyeongchang, 403), (world.gimpo, 422)):
        page = client.post(
            reverse("learning:jump_programmes"), {"town": town.pk, **programme_post()}
        )
        r = call(
            "post",
            f"{API}/officer/jump/programmes",
            token,
            programme_json(town.pk),
            lang="en",
        )
        assert page.status_code == 200 and r.status_code == status
        problem = r.json()
        text = problem["errors"][0]["message"] if status == 422 else problem["title"]
        assert text in page.content.decode().replace("&amp;", "&")
    assert not RewardProgramme.objects.exists()
    assert not audit("learning.jump.create")


def _officer_calls(
    programme: RewardProgramme, app: RewardApplication
) -> list[tuple[str, str, Any, dict[str, Any] | None]]:
    p = f"{API}/officer/jump/programmes/{programme.pk}"
    return [
        ("get", p, None, None),
        ("get", f"{p}/applications", None, None),
        ("post", f"{p}/shortlist", None, {"shortlist": 1}),
        (
            "post",
            f"{API}/officer/jump/applications/{app.pk}/decision",
            {"decision": "select"},
            {"application": app.pk, "decision": "select"},
        ),
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("gimpo_officer", 404), ("seoul_officer", 404), ("student", 403)],
)
def test_other_towns_and_members_are_refused_alike(
    world, programme, apply_for, client_for, api_token, who, status
):
    s = member(world, apply_for, 900)
    app = RewardApplication.objects.create(
        programme=programme,
        tenant=world.pyeongchang,
        student=s,
        essay=ESSAY,
        state="shortlisted",
    )
    user = getattr(world, who)
    token = api_token(user)
    client = client_for(user)
    url = reverse("learning:jump_programme", args=[programme.pk])
    for method, path, body, form in _officer_calls(programme, app):
        page = client.get(url) if form is None else client.post(url, form)
        r = call(method, path, token, body)
        assert page.status_code == r.status_code == status, path
        assert r.json()["code"] == ("not_found" if status == 404 else "forbidden")
    listing = client.get(reverse("learning:jump_programmes"))
    r = call("get", f"{API}/officer/jump/programmes", token)
    if status == 403:
        assert listing.status_code == r.status_code == 403
    else:
        assert r.json()["items"] == [] and list(listing.context["programmes"]) == []
    app.refresh_from_db()
    assert app.state == "shortlisted" and app.decided_by is None
    assert not AuditLog.objects.filter(action__startswith="learning.jump").exists()


@pytest.mark.parametrize("who", ["pyeongchang_officer", "admin"])
def test_shortlist_and_selection_write_what_the_page_writes(
    world, programme, apply_for, client_for, api_token, who
):
    officer: User = getattr(world, who)
    strong, weak = member(world, apply_for, 900), member(world, apply_for, 300)
    guardian = make_user("g-api-jump", Role.GUARDIAN, world.middle_school)
    GuardianLink.objects.create(guardian=guardian, child=strong)
    apps = {
        s.pk: RewardApplication.objects.create(
            programme=programme,
            tenant=world.pyeongchang,
            student=s,
            essay=ESSAY,
            mileage=m,
        )
        for s, m in ((strong, 90), (weak, 30))
    }
    token = api_token(officer)
    client = client_for(officer)
    url = reverse("learning:jump_programme", args=[programme.pk])
    # shortlist: by the page, then (from the same state) by the API
    client.post(url, {"shortlist": 1})
    by_page = audit("learning.jump.shortlist")
    states = dict(RewardApplication.objects.values_list("pk", "state"))
    AuditLog.objects.filter(action="learning.jump.shortlist").delete()
    RewardApplication.objects.update(state="submitted")
    r = call("post", f"{API}/officer/jump/programmes/{programme.pk}/shortlist", token)
    assert r.status_code == 200 and r.json() == {"shortlisted": 2}
    assert audit("learning.jump.shortlist") == by_page and len(by_page) == 1
    assert dict(RewardApplication.objects.values_list("pk", "state")) == states
    # the applicants as the page lists them
    page = client.get(url)
    r = call("get", f"{API}/officer/jump/programmes/{programme.pk}/applications", token)
    assert [(a["id"], a["state"], a["recommended"]) for a in r.json()["items"]] == [
        (a.pk, a.state, a.recommended) for a in page.context["applications"]
    ]
    # select the strong one through the API; the weak one is refused: one place
    first, second = apps[strong.pk], apps[weak.pk]
    r = call(
        "post",
        f"{API}/officer/jump/applications/{first.pk}/decision",
        token,
        {"decision": "select"},
    )
    assert r.status_code == 200 and r.json()["state"] == "selected"
    assert audit("learning.jump.select") == [
        (
            officer.pk,
            "learning.jump.select",
            "learning.RewardApplication",
            world.pyeongchang.pk,
            {"state": "selected"},
        )
    ]
    client.cookies["nanum_language"] = "en"
    page = client.post(
        url, {"application": second.pk, "decision": "select"}, follow=True
    )
    page_message = [str(m) for m in get_messages(page.wsgi_request)]
    r = call(
        "post",
        f"{API}/officer/jump/applications/{second.pk}/decision",
        token,
        {"decision": "select"},
        lang="en",
    )
    assert r.status_code == 409 and r.json()["code"] == "full"
    assert r.json()["title"] == "All 1 places are already filled."
    second.refresh_from_db()
    assert second.state == "shortlisted"
    detail = call("get", f"{API}/officer/jump/programmes/{programme.pk}", token)
    assert detail.json()["selected"] == 1 and detail.json()["applications"] == 2
    assert page_message == [r.json()["title"]]
    # a bad decision is refused before anything changes
    r = call(
        "post",
        f"{API}/officer/jump/applications/{second.pk}/decision",
        token,
        {"decision": "maybe"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "decision"
    assert len(audit("learning.jump.select")) == 1


# --- Guardians -----------------------------------------------------------------------


def test_guardian_consents_alike_and_strangers_are_refused(
    world, programme, apply_for, client_for, api_token
):
    child, other = member(world, apply_for, 900), member(world, apply_for, 900)
    guardian = make_user("g-consent", Role.GUARDIAN, world.middle_school)
    stranger = make_user("g-stranger2", Role.GUARDIAN, world.middle_school)
    for s in (child, other):
        GuardianLink.objects.create(guardian=guardian, child=s)
    a1, a2 = (
        RewardApplication.objects.create(
            programme=programme,
            tenant=world.pyeongchang,
            student=s,
            essay=ESSAY,
            state="selected",
        )
        for s in (child, other)
    )
    token = api_token(guardian)
    page = client_for(guardian).get(reverse("learning:jump"))
    r = call("get", f"{API}/jump/consents", token)
    assert sorted(c["application_id"] for c in r.json()["items"]) == sorted(
        a.pk for a in page.context["consents"]
    )
    assert r.json()["count"] == 2
    # a guardian who is not the child's: not found on both, nothing written
    page = client_for(stranger).post(reverse("learning:jump_consent", args=[a1.pk]))
    r = call("post", f"{API}/jump/applications/{a1.pk}/consent", api_token(stranger))
    assert page.status_code == r.status_code == 404
    assert not audit("learning.jump.consent")
    # the guardian consents: one by the page, one by the API, the same audit row
    client_for(guardian).post(reverse("learning:jump_consent", args=[a1.pk]))
    r = call("post", f"{API}/jump/applications/{a2.pk}/consent", token)
    assert r.status_code == 200 and r.json()["travel_consent_at"]
    rows = audit("learning.jump.consent")
    assert [row[0] for row in rows] == [guardian.pk, guardian.pk]
    assert rows[0] == rows[1]
    # twice: refused alike (the page shows the same message and changes nothing)
    client = client_for(guardian)
    client.cookies["nanum_language"] = "en"
    page = client.post(reverse("learning:jump_consent", args=[a1.pk]), follow=True)
    shown = [str(m) for m in get_messages(page.wsgi_request)]
    r = call("post", f"{API}/jump/applications/{a1.pk}/consent", token, lang="en")
    assert r.status_code == 409 and r.json()["title"] == "Consent was already given."
    assert shown[-1] == r.json()["title"]
    # not selected: refused with 403 and the page's message
    RewardApplication.objects.filter(pk=a2.pk).update(
        state="shortlisted", travel_consent_at=None
    )
    r = call("post", f"{API}/jump/applications/{a2.pk}/consent", token, lang="en")
    assert r.status_code == 403
    assert r.json()["title"] == "No travel consent is needed for this place."
    assert len(audit("learning.jump.consent")) == 2
