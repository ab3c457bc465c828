"""API twins of the guardian's child pages (issue 11, children under 14): adding a
child, giving the child a username and password, or a one-time code. The page and the
API give the same answer, the same refusal in the caller's language (nothing
written) and the same audit rows; another guardian's child is not found on both. The
child's code sign-in counts wrong codes per client as the sign-in throttle sees it
(behind trusted proxies, the forwarded client), so one family's typos do not lock out
every child behind the same proxy."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import AuditLog
from nanum.core.testing import make_user
from nanum.learning.models.applications import ChildSignIn
from nanum.learning.services.applications import application_approve
from nanum.learning.services.children import CODE_TRIES, child_code_issue

pytestmark = pytest.mark.django_db
API = "/api/v1/learning/children"


def call(token: str, path: str, body: dict[str, Any], lang: str = "ko") -> Any:
    return Client().post(
        path,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def audit(action: str) -> list[tuple[Any, ...]]:
    return [
        (a.actor_id, a.object_type, a.tenant_id, a.before, a.after)
        for a in AuditLog.objects.filter(action=action).order_by("pk")
    ]


@pytest.fixture
def child(world, towns, apply_child):
    """A child under 14 whose Seoul application the officer approved (the guardian's
    relationship is confirmed)."""
    app = apply_child(world.seoul)
    application_approve(
        actor=world.seoul_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    return app.student


def test_a_guardian_adds_a_child_alike_and_twice_is_refused_alike(
    world, client_for, api_token
):
    client = client_for(world.guardian)
    token = api_token(world.guardian)
    year = timezone.localdate().year - 9
    page = client.post(
        reverse("learning:children"), {"display_name": "정어린", "birth_year": year}
    )
    assert page.status_code == 302
    r = call(token, API, {"display_name": "김하늘", "birth_year": year})
    assert r.status_code == 201, r.content
    made = r.json()
    assert made["display_name"] == "김하늘" and made["confirmed"] is False
    listed = Client().get(API, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert {c["display_name"] for c in listed["items"]} == {"정어린", "김하늘"}
    for lang in ("ko", "en"):
        client.cookies["nanum_language"] = lang
        again = {"display_name": "정 어린", "birth_year": year}
        page = client.post(reverse("learning:children"), again)
        assert page.status_code == 200
        page_errors = [str(e) for e in page.context["form"].errors["display_name"]]
        r = call(token, API, again, lang=lang)
        assert r.status_code == 422
        assert [e["message"] for e in r.json()["errors"]] == page_errors
        assert r.json()["errors"][0]["field"] == "display_name"
    assert world.guardian.learning_children.count() == 2
    # only a guardian adds a child
    r = call(api_token(world.student), API, {"display_name": "남", "birth_year": year})
    assert r.status_code == 403
    assert world.student.learning_children.count() == 0


def test_a_username_and_password_are_given_alike(world, child, client_for, api_token):
    client = client_for(world.guardian)
    token = api_token(world.guardian)
    url = reverse("learning:guardian_child_password", args=[child.pk])
    path = f"{API}/{child.pk}/sign-in/password"
    good = {"username": "haneul.kim", "password": "Sky-lesson-2031"}

    # without the guardian's consent: the same refusal on the same field
    for lang in ("ko", "en"):
        client.cookies["nanum_language"] = lang
        page = client.post(url, {**good, "password2": good["password"]})
        assert page.status_code == 200
        page_errors = [str(e) for e in page.context["password_form"].errors["consent"]]
        r = call(token, path, good, lang=lang)
        assert r.status_code == 422
        assert [(e["field"], e["message"]) for e in r.json()["errors"]] == [
            ("consent", m) for m in page_errors
        ]
    # a taken username and a weak password: both fields, on both
    bad = {"username": world.student.username, "password": "123", "consent": True}
    page = client.post(url, {**bad, "password2": "123", "consent": "on"})
    r = call(token, path, bad, lang="en")
    assert {e["field"] for e in r.json()["errors"]} == {"username", "password"}
    assert set(page.context["password_form"].errors) == {"username", "password"}
    child.refresh_from_db()
    assert not child.has_usable_password() and not ChildSignIn.objects.exists()

    page = client.post(url, {**good, "password2": good["password"], "consent": "on"})
    assert page.status_code == 302
    by_page = audit("learning.child.sign_in_password")
    AuditLog.objects.filter(action="learning.child.sign_in_password").delete()
    r = call(token, path, {**good, "consent": True})
    assert r.status_code == 200
    assert r.json() == {"id": child.pk, "username": "haneul.kim"}
    assert audit("learning.child.sign_in_password") == by_page and len(by_page) == 1
    assert ChildSignIn.objects.filter(child=child, method="password").count() == 2
    kid = Client()
    signed = kid.post(reverse("core:login"), good)
    assert signed.status_code == 302
    assert int(kid.session["_auth_user_id"]) == child.pk


def test_a_one_time_code_is_given_alike_and_works_once(
    world, child, client_for, api_token
):
    client = client_for(world.guardian)
    token = api_token(world.guardian)
    url = reverse("learning:guardian_child_code", args=[child.pk])
    path = f"{API}/{child.pk}/sign-in/code"
    page = client.post(url, {})
    page_errors = [str(e) for e in page.context["code_form"].errors["consent"]]
    r = call(token, path, {})
    assert r.status_code == 422
    assert [e["message"] for e in r.json()["errors"]] == page_errors
    assert not ChildSignIn.objects.exists()

    page = client.post(url, {"consent": "on"})
    assert page.status_code == 200 and page.context["code"]
    by_page = audit("learning.child.sign_in_code")
    AuditLog.objects.filter(action="learning.child.sign_in_code").delete()
    r = call(token, path, {"consent": True})
    assert r.status_code == 201
    body = r.json()
    assert body["expires_in_minutes"] == 30 and len(body["code"]) == 11
    assert audit("learning.child.sign_in_code") == by_page and len(by_page) == 1
    # the page's earlier code stopped working; the API's signs the child in once
    sign_in = reverse("learning:child_code_sign_in")
    old = Client().post(sign_in, {"code": page.context["code"]})
    assert old.status_code == 200 and old.context["form"].errors["code"]
    kid = Client()
    assert kid.post(sign_in, {"code": body["code"]}).status_code == 302
    assert int(kid.session["_auth_user_id"]) == child.pk
    assert Client().post(sign_in, {"code": body["code"]}).status_code == 200


def test_another_guardians_child_is_not_found_and_an_unconfirmed_one_is_refused(
    world, towns, child, apply_child, client_for, api_token
):
    other = make_user("guardian.other", "guardian", world.middle_school)
    client = client_for(other)
    token = api_token(other)
    for name, path, form, body in (
        (
            "guardian_child_password",
            f"{API}/{child.pk}/sign-in/password",
            {"username": "x.kid", "password": "Sky-1", "password2": "Sky-1"},
            {"username": "x.kid", "password": "Sky-lesson-2031", "consent": True},
        ),
        (
            "guardian_child_code",
            f"{API}/{child.pk}/sign-in/code",
            {"consent": "on"},
            {"consent": True},
        ),
    ):
        page = client.post(reverse(f"learning:{name}", args=[child.pk]), form)
        r = call(token, path, body)
        assert page.status_code == r.status_code == 404, name
    # the guardian's own child whose relationship no officer has confirmed yet
    young = apply_child(world.pyeongchang).student
    r = call(
        api_token(world.guardian), f"{API}/{young.pk}/sign-in/code", {"consent": True}
    )
    assert r.status_code == 409 and r.json()["code"] == "relationship_not_confirmed"
    assert not ChildSignIn.objects.exists()
    child.refresh_from_db()
    assert not child.has_usable_password()


def test_wrong_codes_are_counted_per_client_behind_a_trusted_proxy(
    world, child, settings
):
    settings.NANUM_TRUSTED_PROXIES = ["10.0.0.0/8"]
    code = child_code_issue(actor=world.guardian, child_id=child.pk, consent=True)
    sign_in = reverse("learning:child_code_sign_in")
    proxy = "10.0.0.2"  # every family reaches us through the same proxy
    typo = Client()
    for _ in range(CODE_TRIES + 1):
        r = typo.post(
            sign_in,
            {"code": "WRONG-CODES"},
            HTTP_X_FORWARDED_FOR="203.0.113.5",
            REMOTE_ADDR=proxy,
        )
        assert r.status_code == 200
    kid = Client()
    r = kid.post(
        sign_in, {"code": code}, HTTP_X_FORWARDED_FOR="198.51.100.7", REMOTE_ADDR=proxy
    )
    assert r.status_code == 302
    assert int(kid.session["_auth_user_id"]) == child.pk
