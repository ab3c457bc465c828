"""Audit and access logs: who changed what, and who opened whose personal data."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.forms.models import model_to_dict
from django.http import HttpRequest

from nanum.core import clock
from nanum.core.models import AccessLog, AuditLog, Tenant, User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def snapshot(
    obj: Model | None, fields: list[str] | None = None
) -> dict[str, Any] | None:
    """A JSON-safe dict of a model's concrete fields, for the audit log."""
    if obj is None:
        return None
    data = model_to_dict(obj, fields=fields)
    safe: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str | int | float | bool) or value is None:
            safe[key] = value
        elif isinstance(value, list):
            safe[key] = [getattr(v, "pk", v) for v in value]
        else:
            safe[key] = str(getattr(value, "pk", value))
    return safe


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    tenant: Tenant | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditLog:
    """Write one audit row. Call inside the service's transaction.

    ``actor=None`` (or an anonymous visitor) is a system write: the row has no actor.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    return AuditLog.objects.create(
        actor=actor if isinstance(actor, User) and actor.is_authenticated else None,
        tenant=tenant,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        ip=ip,
    )


def access_record(
    *,
    actor: User,
    action: str,
    subject: User | None,
    object_type: str,
    object_id: str = "",
    tenant: Tenant | None = None,
    record_count: int = 1,
    request: HttpRequest | None = None,
    purpose: str = "",
) -> AccessLog:
    """Log that ``actor`` viewed/exported ``subject``'s personal data (PIPA)."""
    return AccessLog.objects.create(
        actor=actor,
        subject=subject,
        tenant=tenant,
        action=action,
        object_type=object_type,
        object_id=object_id,
        record_count=record_count,
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request else ""),
        purpose=purpose[:200],
    )


def access_log_purge(*, now: datetime | None = None) -> int:
    """Delete access-log rows older than the retention period (2 years)."""
    now = now or clock.now()
    cutoff = now - timedelta(days=settings.NANUM_ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = AccessLog.objects.filter(at__lt=cutoff).delete()
    return deleted
