"""Personal access tokens for the API: created, authenticated, revoked."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from nanum.core import clock
from nanum.core.errors import InvalidInput, NotFound
from nanum.core.models import ApiToken, User

from .audit import audit_record


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
        expires_at=clock.now() + timedelta(days=days) if days else None,
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
    now = clock.now()
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
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="token.revoke", obj=token)
    return token
