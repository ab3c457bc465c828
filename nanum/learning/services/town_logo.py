"""A town's logo: judged by its bytes (PNG, JPEG, WebP, or an SVG without scripts,
handlers, embedded files or links), stored under a name of its real type, audited."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import InvalidInput
from nanum.core.models import User
from nanum.core.services import audit_record

from ..models import TenantPolicy

LOGO_MAX_BYTES = 512 * 1024
# What an SVG logo may not hold: scripts, event handlers, embedded documents, entities
# and references to anything outside the file (it is served from our own address).
_SVG_REFUSED = re.compile(
    rb"<\s*(script|foreignobject|iframe|embed|object|!entity)\b"
    rb"|\son[a-z]+\s*="
    rb"|javascript:|data:|(?:xlink:)?href\s*=\s*[\"'](?!#)"
    rb"|@import|url\(\s*[\"']?(?!#)",
    re.IGNORECASE,
)
Errors = dict[str, list[Any]]


def _logo_kind(data: bytes) -> str | None:
    """What the file is, from its bytes (never from the name or the declared type)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in data.lower():
        return "svg"
    return None


def logo_read(logo: UploadedFile) -> tuple[tuple[str, bytes] | None, Errors]:
    """The logo's kind and bytes, or the reason it is refused (on the field)."""
    if (logo.size or 0) > LOGO_MAX_BYTES:
        return None, {"logo": [_("The logo may be at most 512 KB.")]}
    logo.seek(0)
    data = logo.read(LOGO_MAX_BYTES + 1)
    logo.seek(0)
    if len(data) > LOGO_MAX_BYTES:
        return None, {"logo": [_("The logo may be at most 512 KB.")]}
    kind = _logo_kind(data)
    if kind is None:
        return None, {"logo": [_("The logo must be a PNG, JPEG, WebP or SVG image.")]}
    if kind == "svg":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None, {
                "logo": [_("The logo must be a PNG, JPEG, WebP or SVG image.")]
            }
        if _SVG_REFUSED.search(data):
            return None, {
                "logo": [
                    _(
                        "An SVG logo may hold only shapes and text: no scripts, "
                        "event handlers, embedded files or links."
                    )
                ]
            }
    return (kind, data), {}


def logo_store(policy: TenantPolicy, logo: UploadedFile | None) -> None:
    """Put ``logo`` (already checked) in place of the town's logo, or remove it when
    None. The file is stored under a name of our own with the extension of what it
    is; the old file is deleted once the change is committed."""
    old = policy.logo.name if policy.logo else ""
    if logo is None:
        policy.logo = None
    else:
        read, errors = logo_read(logo)
        if read is None:
            raise InvalidInput(field_errors=errors)
        kind, data = read
        name = f"{policy.tenant.slug}.{kind}"
        policy.logo.save(name, ContentFile(data), save=False)
    if old and old != policy.logo.name:
        transaction.on_commit(lambda: _file_delete(old))


def _file_delete(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:  # a file already gone (or storage down) is not worth a failure
        pass


def logo_change(actor: User, policy: TenantPolicy, logo: UploadedFile | None) -> None:
    """Replace or remove the logo and audit it (the page and the API write the same
    row); the caller saves the policy."""
    before = bool(policy.logo)
    logo_store(policy, logo)
    audit_record(
        actor=actor,
        action="learning.town.logo",
        obj=policy,
        tenant=policy.tenant,
        before={"logo": before},
        after={"logo": bool(policy.logo)},
    )
