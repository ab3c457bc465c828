"""A guardian adds a child too young to sign up, then applies for them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import AuditLog, User
from nanum.learning.models import GuardianLink

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
