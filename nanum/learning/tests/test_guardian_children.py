"""A guardian adds a child too young to sign up, then applies for them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import AuditLog, User
from nanum.learning.models import Application, GuardianLink
from nanum.learning.services.applications import (
    ApplicationInput,
    application_approve,
    application_submit,
)
from nanum.learning.services.guardians import child_register

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_a_guardian_adds_a_child_who_cannot_sign_in(client, world):
    client.force_login(world.guardian)
    response = client.post(
        reverse("learning:children"), {"display_name": "정어린", "birth_year": YEAR - 9}
    )
    assert response.status_code == 302
    link = GuardianLink.objects.get(guardian=world.guardian)
    assert link.child.display_name == "정어린"
    assert not link.child.has_usable_password()
    assert link.confirmed_by is None
    assert AuditLog.objects.filter(action="learning.child_register").exists()


def test_someone_who_is_not_a_guardian_cannot_add_a_child(client, world):
    before = User.objects.count()
    client.force_login(world.teacher)
    response = client.post(
        reverse("learning:children"), {"display_name": "누군가", "birth_year": YEAR - 9}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert User.objects.count() == before
    assert not GuardianLink.objects.exists()


def test_a_bad_birth_year_is_refused_and_nothing_is_created(client, world):
    before = User.objects.count()
    client.force_login(world.guardian)
    response = client.post(
        reverse("learning:children"), {"display_name": "", "birth_year": YEAR - 40}
    )
    assert set(response.context["form"].errors) >= {"display_name"}
    assert User.objects.count() == before


def test_approving_a_guardians_application_confirms_the_relationship(world, towns):
    child = child_register(
        actor=world.guardian, display_name="정어린", birth_year=YEAR - 9
    )
    app = application_submit(
        actor=world.guardian,
        tenant=world.seoul,
        student_id=child.pk,
        data=ApplicationInput(
            full_name="정어린",
            birth_year=YEAR - 9,
            school_level="elementary",
            category="basic_livelihood",
            consent_collection=True,
            lives_in_town=True,
            district="강서구",
            phone="010-1234-5678",
            guardian_consent=True,
            documents=[("relationship", pdf_upload("family.pdf"))],
        ),
    )
    application_approve(
        actor=world.seoul_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    link = GuardianLink.objects.get(child=child)
    assert link.confirmed_by == world.seoul_officer


def test_an_officer_lifts_a_usage_restriction_of_their_own_town_only(
    world, towns, apply_for, client_for
):
    app = apply_for(world.student, world.seoul)
    application_approve(
        actor=world.seoul_officer,
        application_id=app.pk,
        verified_on=timezone.localdate(),
    )
    Application.objects.filter(pk=app.pk).update(restricted_at=timezone.now())
    url = reverse("learning:review", args=[app.pk])
    # Another town's officer: not found, nothing changes.
    other = client_for(world.pyeongchang_officer)
    assert other.post(url, {"action": "lift", "reason": "x"}).status_code == 404
    app.refresh_from_db()
    assert app.restricted_at is not None
    own = client_for(world.seoul_officer)
    response = own.post(url, {"action": "lift", "reason": "입원 치료로 학습 불가"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.restricted_at is None
    assert AuditLog.objects.filter(action="learning.restriction.lift").exists()
    # Lifting again is refused with a clear message and changes nothing.
    response = own.post(url, {"action": "lift", "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
