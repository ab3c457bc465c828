"""Audit and access logs, encryption at rest, tenant scoping helpers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from nanum.core import services
from nanum.core.fields import EncryptedTextField, decrypt_text, encrypt_text
from nanum.core.models import AccessLog, AuditLog, Notification, Organisation, Role
from nanum.core.tenancy import scope_to_actor, tenant_ids_for

pytestmark = pytest.mark.django_db


def test_officer_sees_only_their_own_town(world):
    assert tenant_ids_for(world.pyeongchang_officer, Role.TENANT_OFFICER) == {
        world.pyeongchang.pk
    }
    orgs = scope_to_actor(
        Organisation.objects.all(), world.pyeongchang_officer, Role.TENANT_OFFICER
    )
    assert set(orgs.values_list("tenant_id", flat=True)) == {world.pyeongchang.pk}


def test_administrator_sees_every_town(world):
    assert tenant_ids_for(world.admin) is None


def test_anonymous_sees_nothing(world):
    assert tenant_ids_for(AnonymousUser()) == set()


def test_role_grant_writes_an_audit_row(world):
    services.role_grant(
        actor=world.admin,
        user=world.student,
        role=Role.MENTOR,
        organisation=world.university,
    )
    row = AuditLog.objects.get(action="role.grant")
    assert row.actor == world.admin
    assert row.after is not None
    assert row.after["role"] == "mentor"
    assert world.student.has_role(Role.MENTOR)


def test_access_log_keeps_two_years_then_purges(world):
    old = services.access_record(
        actor=world.seoul_officer,
        action="view",
        subject=world.student,
        object_type="application",
    )
    AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=800))
    services.access_record(
        actor=world.seoul_officer,
        action="export",
        subject=None,
        object_type="application",
        record_count=40,
    )
    assert services.access_log_purge() == 1
    assert AccessLog.objects.get().record_count == 40


def test_encryption_round_trip_and_no_plaintext_in_database(world):
    token = encrypt_text("기초생활수급자")
    assert "기초" not in token
    assert decrypt_text(token) == "기초생활수급자"


def test_encrypted_field_is_ciphertext_in_the_table(world):
    # Notification has no encrypted field; check the field class on a raw table.
    field = EncryptedTextField()
    stored = field.get_prep_value("한부모가족")
    assert stored != "한부모가족"
    assert field.from_db_value(stored, None, connection) == "한부모가족"
    assert Notification.objects.count() == 0


def test_notification_is_emailed_after_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(user=world.teacher, kind="test", subject="예약 승인")
    assert len(mailoutbox) == 1
    assert "예약 승인" in mailoutbox[0].subject
