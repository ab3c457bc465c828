"""Writes in core: audit and access logs, tokens, throttling, notifications."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import InvalidInput, NotFound, RateLimited
from .models import (
    AccessLog,
    ApiToken,
    AuditLog,
    LoginFailure,
    Notification,
    Organisation,
    Role,
    RoleAssignment,
    Tenant,
    User,
)


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
    actor: User | None,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    tenant: Tenant | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditLog:
    """Write one audit row. Call inside the service's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
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


def access_log_purge(*, now: Any = None) -> int:
    """Delete access-log rows older than the retention period (2 years)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.NANUM_ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = AccessLog.objects.filter(at__lt=cutoff).delete()
    return deleted


# --- Roles ------------------------------------------------------------------


@transaction.atomic
def role_grant(
    *, actor: User | None, user: User, role: str, organisation: Organisation
) -> RoleAssignment:
    if role not in Role.values:
        raise InvalidInput(field_errors={"role": [f"unknown role {role!r}"]})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        organisation=organisation,
        defaults={"tenant_id": organisation.tenant_id},
    )
    if not created and not assignment.is_active:
        assignment.is_active = True
        assignment.save(update_fields=["is_active"])
    user.__dict__.pop("_role_cache", None)
    audit_record(
        actor=actor,
        action="role.grant",
        obj=assignment,
        tenant=organisation.tenant,
        after={"user": user.pk, "role": role, "organisation": organisation.pk},
    )
    return assignment


# --- API tokens ---------------------------------------------------------------


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, actor: User | None, user: User, name: str, days: int | None = 365
) -> tuple[ApiToken, str]:
    """Create a personal access token; the raw value is returned once, never stored."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(field_errors={"name": ["required"]})
    raw = settings.NANUM_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[len(settings.NANUM_TOKEN_PREFIX) :][:8],
        token_hash=_token_hash(raw),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    audit_record(actor=actor, action="token.create", obj=token, after={"name": name})
    return token, raw


def token_authenticate(raw: str) -> User | None:
    """Return the active user behind a raw token, or None. Updates last use."""
    if not raw or not raw.startswith(settings.NANUM_TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound()
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="token.revoke", obj=token)
    return token


# --- Login throttling ---------------------------------------------------------


def _recent_failures(username: str, ip: str | None) -> int:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    by_name = LoginFailure.objects.filter(
        username=username.lower(), at__gte=since
    ).count()
    by_ip = (
        LoginFailure.objects.filter(ip=ip, at__gte=since).count() // 4 if ip else 0
    )  # an address may share several accounts (a school's NAT), so it gets 4x the room
    return max(by_name, by_ip)


def login_check_allowed(*, username: str, ip: str | None) -> None:
    if _recent_failures(username, ip) >= settings.LOGIN_THROTTLE_MAX_FAILURES:
        raise RateLimited()


def login_record_failure(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip=ip)


def login_record_success(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


def login_failures_purge() -> int:
    since = timezone.now() - timedelta(days=1)
    deleted, _ = LoginFailure.objects.filter(at__lt=since).delete()
    return deleted


# --- Notifications --------------------------------------------------------------


def notification_send(
    *,
    user: User,
    kind: str,
    subject: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> Notification:
    """Store an in-app notification and e-mail it after the transaction commits."""
    note = Notification.objects.create(
        user=user, kind=kind, subject=subject[:200], body=body, url=url[:300]
    )
    if email and user.email:
        from .tasks import notification_email

        transaction.on_commit(lambda: notification_email.enqueue(note.pk))
    return note


def notification_email_send(*, notification_id: int) -> bool:
    from django.core.mail import send_mail

    note = (
        Notification.objects.select_related("user").filter(pk=notification_id).first()
    )
    if note is None or note.emailed_at or not note.user.email:
        return False
    send_mail(
        subject=f"[{settings.NANUM_SITE_NAME}] {note.subject}",
        message=note.body + (f"\n\n{note.url}" if note.url else ""),
        from_email=None,
        recipient_list=[note.user.email],
    )
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
    return True


@transaction.atomic
def notification_mark_read(*, actor: User, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


# --- Self sign-up -----------------------------------------------------------------

SIGNUP_ROLES = (Role.STUDENT, Role.GUARDIAN)
MIN_SELF_SIGNUP_AGE = 14  # younger children are registered by their guardian (PIPA)


@transaction.atomic
def user_register(
    *,
    username: str,
    display_name: str,
    email: str,
    password: str,
    birth_year: int,
    role: str,
    tenant: Tenant,
    today_year: int | None = None,
) -> User:
    """A student (14 or older) or a guardian creates their own account in a town.

    The role is held at the town's programme office (its city hall organisation);
    schools and eligibility are checked later, in the Seoul Learn application.
    """
    year = today_year or timezone.localdate().year
    errors: dict[str, list[Any]] = {}
    if role not in SIGNUP_ROLES:
        errors["role"] = [_("Choose student or guardian.")]
    age = year - birth_year
    if role == Role.STUDENT and age < MIN_SELF_SIGNUP_AGE:
        errors["birth_year"] = [
            _("Children under 14 are registered by a guardian, who consents for them.")
        ]
    if role == Role.GUARDIAN and age < 19:
        errors["birth_year"] = [_("A guardian must be an adult (19 or older).")]
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken. Choose another.")]
    office = Organisation.objects.filter(
        tenant=tenant, kind=Organisation.Kind.CITY_HALL, is_active=True
    ).first()
    if office is None or tenant.status != Tenant.Status.ACTIVE:
        errors["tenant"] = [_("This town does not take members on Nanum yet.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        birth_year=birth_year,
        home_tenant=tenant,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    RoleAssignment.objects.create(
        user=user, role=role, organisation=office, tenant=tenant
    )
    audit_record(
        actor=user,
        action="user.register",
        obj=user,
        tenant=tenant,
        after={"username": username, "role": role},
    )
    return user
