"""A student or a guardian creates their own account; bad input creates nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from nanum.core.models import AuditLog, Role, RoleAssignment, User

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _data(**over):
    data = {
        "role": "student",
        "tenant": "",
        "display_name": "새학생",
        "birth_year": YEAR - 16,
        "username": "new.student",
        "email": "new@example.org",
        "password1": "long-enough-pass-2026",
        "password2": "long-enough-pass-2026",
    }
    data.update(over)
    return data


def test_a_16_year_old_signs_up_in_pyeongchang_and_is_signed_in(client, world):
    response = client.post(reverse("core:signup"), _data(tenant=world.pyeongchang.pk))
    assert response.status_code == 302
    user = User.objects.get(username="new.student")
    assert user.home_tenant == world.pyeongchang
    ra = RoleAssignment.objects.get(user=user)
    assert ra.role == Role.STUDENT and ra.organisation == world.pyeongchang_hall
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditLog.objects.filter(action="user.register").exists()


def test_a_12_year_old_is_told_to_ask_a_guardian_and_nothing_is_created(client, world):
    response = client.post(
        reverse("core:signup"), _data(tenant=world.seoul.pk, birth_year=YEAR - 12)
    )
    assert response.status_code == 200
    assert "birth_year" in response.context["form"].errors
    assert not User.objects.filter(username="new.student").exists()


def test_a_guardian_signs_up(client, world):
    client.post(
        reverse("core:signup"),
        _data(
            tenant=world.seoul.pk,
            role="guardian",
            birth_year=YEAR - 40,
            username="parent.kim",
        ),
    )
    user = User.objects.get(username="parent.kim")
    assert user.has_role(Role.GUARDIAN)


def test_bad_input_is_refused_field_by_field(client, world):
    before = User.objects.count()
    response = client.post(
        reverse("core:signup"),
        _data(tenant=world.seoul.pk, username="x!", email="nope", password2="other"),
    )
    errors = response.context["form"].errors
    assert {"username", "email", "password2"} <= set(errors)
    assert User.objects.count() == before


def test_a_taken_username_is_refused(client, world):
    response = client.post(
        reverse("core:signup"), _data(tenant=world.seoul.pk, username="teacher")
    )
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username="teacher").count() == 1
