"""Children under 14: the officer's checks before approval, a guardian acting for a
linked child (site, hand-off, the child's own sign-in) and the guardian's view."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nanum.core.demo import seed_core
from nanum.core.errors import DomainError
from nanum.core.models import AuditLog, Notification, Role
from nanum.core.testing import make_user
from nanum.learning import demo
from nanum.learning.models import Application, Document, Seat, Status, StudyDay
from nanum.learning.models.applications import ChildSignIn
from nanum.learning.services.applications import application_approve
from nanum.learning.services.children import (
    CODE_TRIES,
    child_code_issue,
    child_code_redeem,
    child_seat_choose,
)

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _approve(world, app):
    return application_approve(
        actor=world.seoul_officer, application_id=app.pk, verified_on=TODAY()
    )


def _member_child(world, apply_child):
    app = _approve(world, apply_child(world.seoul))
    assert app.status == Status.APPROVED
    return app.student


def _token_payload(url: str) -> dict:
    token = parse_qs(urlparse(url).query)["nanum_token"][0]
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


# --- the officer's checks --------------------------------------------------------


def test_an_under_14_application_without_the_certificate_is_refused_by_name(
    world, towns, apply_child, client_for
):
    app = apply_child(world.seoul, documents=[])
    url = reverse("learning:review", args=[app.pk])
    client = client_for(world.seoul_officer)
    # the queue warns before the officer tries
    queue = client.get(reverse("learning:review_queue")).content.decode()
    assert "가족관계증명서" in queue or "family-relationship" in queue
    page = client.get(url).content.decode()
    assert "가족관계증명서가 없습니다" in page
    r = client.post(url, {"action": "approve", "verified_on": TODAY().isoformat()})
    assert r.status_code == 200
    errors = " ".join(r.context["form"].non_field_errors())
    assert "가족관계증명서" in errors and "동의" not in errors.split("가족관계")[0]
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.decided_at is None


def test_the_api_refuses_the_same_way_and_names_both_missing_checks(
    world, towns, apply_child, api_token, client
):
    app = apply_child(world.seoul, documents=[])
    Application.objects.filter(pk=app.pk).update(guardian_consent_at=None)
    r = client.post(
        f"/api/v1/learning/officer/applications/{app.pk}/decision",
        {"action": "approve", "verified_on": TODAY().isoformat()},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token(world.seoul_officer)}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "guardian_checks_missing"
    assert "family-relationship certificate" in body["title"]
    assert "consent" in body["title"]
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_with_the_certificate_sent_later_the_officer_approves(
    world, towns, apply_child, client_for
):
    app = apply_child(world.seoul, documents=[])
    client = client_for(world.guardian)
    r = client.post(
        reverse("learning:my_application", args=[app.pk]),
        {"kind": "relationship", "documents": pdf_upload("family.pdf")},
    )
    assert r.status_code == 302
    assert Document.objects.filter(
        application=app, kind=Document.Kind.RELATIONSHIP
    ).exists()
    assert _approve(world, app).status == Status.APPROVED


# --- the guardian acts for the child -----------------------------------------------


def test_the_guardian_chooses_the_site_and_opens_it_for_the_child(
    world, towns, provider_seats, apply_child, client_for
):
    child = _member_child(world, apply_child)
    client = client_for(world.guardian)
    r = client.post(
        reverse("learning:guardian_child_seat", args=[child.pk]),
        {"provider": world.provider_org.pk},
    )
    assert r.status_code == 302
    seat = Seat.objects.get(student=child, state=Seat.State.ACTIVE)
    log = AuditLog.objects.get(action="learning.seat.take")
    assert log.actor == world.guardian
    r = client.post(
        reverse("learning:guardian_child_handoff", args=[child.pk, seat.pk])
    )
    assert r.status_code == 200  # a page that moves on (a form may not redirect away)
    url = r.context["url"]
    assert url.startswith("https://lecture.example/nanum?nanum_token=")
    assert f'content="0; url={url}"' in r.content.decode().replace("&amp;", "&")
    payload = _token_payload(url)
    assert payload["ref"] == seat.ref and payload["town"] == "seoul"
    assert child.display_name not in json.dumps(payload, ensure_ascii=False)
    assert AuditLog.objects.filter(action="learning.seat.handoff_for_child").exists()
    page = client.get(reverse("learning:guardian_child", args=[child.pk]))
    assert seat.ref in page.content.decode()


def test_the_api_twin_chooses_the_site_and_gives_the_link(
    world, towns, provider_seats, apply_child, api_token, client
):
    child = _member_child(world, apply_child)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(world.guardian)}"}
    r = client.post(
        f"/api/v1/learning/children/{child.pk}/seat",
        {"provider_id": world.provider_org.pk},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201
    seat = Seat.objects.get(student=child, state=Seat.State.ACTIVE)
    assert r.json()["ref"] == seat.ref
    r = client.post(
        f"/api/v1/learning/children/{child.pk}/handoff",
        {"seat_id": seat.pk},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200 and _token_payload(r.json()["url"])["ref"] == seat.ref
    r = client.get(f"/api/v1/learning/children/{child.pk}/progress", **auth)
    assert r.status_code == 200 and r.json()["seat"]["ref"] == seat.ref


def test_before_the_officer_confirms_the_guardian_cannot_act(
    world, towns, provider_seats, apply_child
):
    app = apply_child(world.seoul)
    with pytest.raises(DomainError) as exc:
        child_seat_choose(
            actor=world.guardian,
            child_id=app.student_id,
            provider_id=world.provider_org.pk,
        )
    assert exc.value.code == "relationship_not_confirmed"
    assert not Seat.objects.exists()


def test_a_guardian_adds_the_same_child_only_once(world, client_for):
    client = client_for(world.guardian)
    data = {"display_name": "정어린", "birth_year": TODAY().year - 9}
    assert client.post(reverse("learning:children"), data).status_code == 302
    again = {"display_name": "정 어린", "birth_year": TODAY().year - 9}
    r = client.post(reverse("learning:children"), again)
    assert r.status_code == 200
    assert "이미" in " ".join(r.context["form"].errors["display_name"])
    assert world.guardian.learning_children.count() == 1


# --- the child's own sign-in -------------------------------------------------------


def test_the_guardian_gives_the_child_a_username_and_password(
    world, towns, apply_child, client_for
):
    child = _member_child(world, apply_child)
    client = client_for(world.guardian)
    url = reverse("learning:guardian_child_password", args=[child.pk])
    good = {
        "username": "haneul.kim",
        "password": "Sky-lesson-2031",
        "password2": "Sky-lesson-2031",
    }
    r = client.post(url, good)  # no consent ticked
    assert r.status_code == 200 and "동의" in r.content.decode()
    child.refresh_from_db()
    assert not child.has_usable_password()
    r = client.post(url, {**good, "consent": "on"})
    assert r.status_code == 302
    child.refresh_from_db()
    assert child.username == "haneul.kim" and child.email == ""
    row = ChildSignIn.objects.get(child=child)
    assert row.guardian == world.guardian and row.method == "password"
    kid = Client()
    r = kid.post(
        reverse("core:login"),
        {"username": "haneul.kim", "password": "Sky-lesson-2031"},
    )
    assert r.status_code == 302
    assert int(kid.session["_auth_user_id"]) == child.pk


def test_a_taken_username_or_a_weak_password_changes_nothing(
    world, towns, apply_child, client_for
):
    child = _member_child(world, apply_child)
    client = client_for(world.guardian)
    url = reverse("learning:guardian_child_password", args=[child.pk])
    r = client.post(
        url,
        {
            "username": world.student.username,
            "password": "123",
            "password2": "123",
            "consent": "on",
        },
    )
    assert r.status_code == 200
    errors = r.context["password_form"].errors
    assert "username" in errors and "password" in errors
    child.refresh_from_db()
    assert not child.has_usable_password()
    assert not ChildSignIn.objects.exists()


def test_a_one_time_code_signs_the_child_in_once(world, towns, apply_child, client_for):
    child = _member_child(world, apply_child)
    r = client_for(world.guardian).post(
        reverse("learning:guardian_child_code", args=[child.pk]), {"consent": "on"}
    )
    code = r.context["code"]
    assert len(code) == 11 and code in r.content.decode()
    assert ChildSignIn.objects.get(child=child).code_sha256 not in code
    kid = Client()
    r = kid.post(reverse("learning:child_code_sign_in"), {"code": code.lower()})
    assert r.status_code == 302 and r["Location"] == reverse("learning:student_home")
    assert int(kid.session["_auth_user_id"]) == child.pk
    again = Client().post(reverse("learning:child_code_sign_in"), {"code": code})
    assert again.status_code == 200 and again.context["form"].errors["code"]


def test_an_expired_code_is_refused_and_guessing_is_rate_limited(
    world, towns, apply_child
):
    child = _member_child(world, apply_child)
    code = child_code_issue(actor=world.guardian, child_id=child.pk, consent=True)
    ChildSignIn.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(DomainError):
        child_code_redeem(code=code, client_key="t1")
    fresh = child_code_issue(actor=world.guardian, child_id=child.pk, consent=True)
    for _ in range(CODE_TRIES - 1):
        with pytest.raises(DomainError):
            child_code_redeem(code="WRONG-CODES", client_key="t1")
    with pytest.raises(DomainError) as exc:
        child_code_redeem(code=fresh, client_key="t1")
    assert exc.value.code == "rate_limited"
    assert child_code_redeem(code=fresh, client_key="t2") == child


# --- the guardian's view -----------------------------------------------------------


def test_the_guardian_sees_the_childs_study_and_messages(
    world, towns, provider_seats, apply_child, client_for
):
    child = _member_child(world, apply_child)
    today = TODAY()
    StudyDay.objects.bulk_create(
        [
            StudyDay(student=child, day=today - timedelta(days=i), provider_minutes=40)
            for i in range(3)
        ]
    )
    Notification.objects.create(user=child, kind="x", subject="자리 안내", url="")
    r = client_for(world.guardian).get(
        reverse("learning:guardian_child", args=[child.pk])
    )
    assert r.status_code == 200
    assert r.context["streak"] == 3 and r.context["year_minutes"] >= 40
    assert "자리 안내" in r.content.decode()


# --- isolation ---------------------------------------------------------------------


def test_another_guardian_or_an_officer_reaches_none_of_it(
    world, towns, provider_seats, apply_child, api_token
):
    child = _member_child(world, apply_child)
    child_seat_choose(
        actor=world.guardian, child_id=child.pk, provider_id=world.provider_org.pk
    )
    seat = Seat.objects.get(student=child)
    other = make_user("guardian2", Role.GUARDIAN, world.middle_school)
    for user in (other, world.seoul_officer, world.pyeongchang_officer, child):
        c = Client()
        c.force_login(user)
        assert (
            c.get(reverse("learning:guardian_child", args=[child.pk])).status_code
            == 404
        )
        for name, args, data in [
            ("guardian_child_seat", [child.pk], {"provider": world.provider_org.pk}),
            ("guardian_child_handoff", [child.pk, seat.pk], {}),
            (
                "guardian_child_password",
                [child.pk],
                {
                    "username": "x1234",
                    "password": "Sky-lesson-2031",
                    "password2": "Sky-lesson-2031",
                    "consent": "on",
                },
            ),
            ("guardian_child_code", [child.pk], {"consent": "on"}),
        ]:
            assert (
                c.post(reverse(f"learning:{name}", args=args), data).status_code == 404
            )
        api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user)}")
        base = f"/api/v1/learning/children/{child.pk}"
        assert api.get(f"{base}/progress").status_code == 404
        r = api.post(
            f"{base}/handoff", {"seat_id": seat.pk}, content_type="application/json"
        )
        assert r.status_code == 404
    child.refresh_from_db()
    assert not child.has_usable_password() and not ChildSignIn.objects.exists()
    assert Seat.objects.get(pk=seat.pk).state == Seat.State.ACTIVE


def test_another_towns_officer_cannot_see_or_approve_a_childs_application(
    world, towns, apply_child, client_for
):
    app = apply_child(world.seoul)
    client = client_for(world.pyeongchang_officer)
    assert client.get(reverse("learning:review", args=[app.pk])).status_code == 404
    r = client.post(
        reverse("learning:review", args=[app.pk]),
        {"action": "approve", "verified_on": TODAY().isoformat()},
    )
    assert r.status_code == 404
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED
    queue = client.get(reverse("learning:review_queue"))
    assert app not in list(queue.context["page"])


def test_the_child_user_model_has_no_email_requirement():
    assert get_user_model()._meta.get_field("email").blank


def test_the_demo_gives_the_guardian_a_child_in_every_state():
    ctx = seed_core()
    demo.seed(ctx, "small")
    guardian = ctx.users["guardian"]
    apps = {
        a.student.display_name: a
        for a in Application.objects.filter(applicant=guardian).select_related(
            "student"
        )
    }
    waiting, member, missing = apps["정어린"], apps["정하늘"], apps["정바다"]
    assert waiting.status == Status.SUBMITTED
    assert waiting.documents.filter(kind=Document.Kind.RELATIONSHIP).exists()
    assert member.status == Status.APPROVED
    assert not Seat.objects.filter(student=member.student).exists()
    assert guardian.learning_children.get(child=member.student).confirmed_by_id
    assert missing.status == Status.SUBMITTED
    assert not missing.documents.exists()
