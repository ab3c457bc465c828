"""A guardian acts for a linked child: the lecture site, the hand-off, the child's
own sign-in (username and password, or a one-time code; never an e-mail address).

Every service here takes the guardian as ``actor`` and the child's id; someone else's
child is not found. Acting needs the relationship confirmed by an officer (approving
the child's application confirms it), and every change is audited with the guardian
as actor.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound, RateLimited
from nanum.core.models import User
from nanum.core.services import audit_record

from ..models import Application, GuardianLink, Seat, Status
from ..models.applications import ChildSignIn
from ..selectors import child_links
from .seats import handoff_link, seat_choose

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 10
CODE_TTL = timedelta(minutes=30)
CODE_TRIES = 10  # wrong codes per client per 15 minutes
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_.-")


class ChildNotConfirmed(DomainError):
    status = 409
    code = "relationship_not_confirmed"
    default_message = _(
        "An officer has not yet confirmed that you are this child's guardian. "
        "This happens when the child's application is approved."
    )


def _confirmed_child(actor: User, child_id: int, *, lock: bool = False) -> User:
    link = child_links(actor=actor).filter(child_id=child_id).first()
    if link is None:
        raise NotFound()
    if link.confirmed_by_id is None:
        raise ChildNotConfirmed()
    if lock:
        GuardianLink.objects.select_for_update().filter(pk=link.pk).first()
    return link.child


def _member_of(child: User) -> Application:
    app = (
        Application.objects.filter(student=child, status=Status.APPROVED)
        .order_by("-place_since")
        .first()
    )
    if app is None:
        raise DomainError(
            _(
                "Your child needs an approved place first: an officer approves the "
                "application, then a place is given when one is free."
            ),
            code="not_member",
            status=409,
        )
    return app


@transaction.atomic
def child_seat_choose(*, actor: User, child_id: int, provider_id: int) -> Seat | None:
    """The guardian chooses (or, in a change window, changes) the child's lecture
    site. None: the site is full and the child waits for a seat there."""
    child = _confirmed_child(actor, child_id, lock=True)
    app = _member_of(child)
    return seat_choose(
        actor=actor, provider_id=provider_id, tenant_id=app.tenant_id, student=child
    )


def child_handoff_link(*, actor: User, child_id: int, seat_id: int) -> str:
    """The provider's launch link for the child's seat, with the child's
    pseudonymous seat reference only (no name); the opening is audited."""
    child = _confirmed_child(actor, child_id)
    url = handoff_link(actor=actor, seat_id=seat_id, student=child)
    audit_record(
        actor=actor,
        action="learning.seat.handoff_for_child",
        object_type="learning.Seat",
        object_id=str(seat_id),
        tenant=child.home_tenant,
        after={"child": child.pk},
    )
    return url


def _check_consent(consent: bool) -> None:
    if not consent:
        raise InvalidInput(
            field_errors={
                "consent": [
                    _(
                        "As the guardian, tick the consent that your child may sign "
                        "in on their own."
                    )
                ]
            }
        )


def username_errors(username: str, holders: QuerySet[User]) -> list[Any]:
    """What is wrong with a new sign-in name (empty: nothing): its form, or that
    ``holders`` (the accounts that would clash with it) is not empty."""
    if not 4 <= len(username) <= 30 or not set(username) <= USERNAME_CHARS:
        return [
            _("Use 4 to 30 lowercase letters, digits, dots, dashes or underscores.")
        ]
    if holders.exists():
        return [_("This username is taken. Choose another.")]
    return []


@transaction.atomic
def child_password_set(
    *, actor: User, child_id: int, username: str, password: str, consent: bool
) -> User:
    """The guardian gives the child a username and password (consent recorded)."""
    child = _confirmed_child(actor, child_id, lock=True)
    _check_consent(consent)
    username = (username or "").strip().lower()
    errors: dict[str, list[Any]] = {}
    wrong = username_errors(
        username, User.objects.filter(username=username).exclude(pk=child.pk)
    )
    if wrong:
        errors["username"] = wrong
    try:
        validate_password(password or "", user=child)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise InvalidInput(field_errors=errors)
    child.username = username
    child.set_password(password)
    child.full_clean(exclude=["password", "email"])
    child.save(update_fields=["username", "password"])
    ChildSignIn.objects.create(
        child=child,
        guardian=actor,
        method=ChildSignIn.Method.PASSWORD,
        consent_at=clock.now(),
    )
    audit_record(
        actor=actor,
        action="learning.child.sign_in_password",
        object_type="core.User",
        object_id=str(child.pk),
        tenant=child.home_tenant,
        after={"username": username},
    )
    return child


def _code_hash(code: str) -> str:
    clean = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(clean.encode()).hexdigest()


@transaction.atomic
def child_code_issue(*, actor: User, child_id: int, consent: bool) -> str:
    """A one-time sign-in code for the child (30 minutes, works once). Returned to
    show the guardian once; only its hash is kept. Earlier unused codes stop working."""
    child = _confirmed_child(actor, child_id, lock=True)
    _check_consent(consent)
    now = clock.now()
    ChildSignIn.objects.filter(
        child=child, method=ChildSignIn.Method.CODE, used_at__isnull=True
    ).update(expires_at=now)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    ChildSignIn.objects.create(
        child=child,
        guardian=actor,
        method=ChildSignIn.Method.CODE,
        consent_at=now,
        code_sha256=_code_hash(raw),
        expires_at=now + CODE_TTL,
    )
    audit_record(
        actor=actor,
        action="learning.child.sign_in_code",
        object_type="core.User",
        object_id=str(child.pk),
        tenant=child.home_tenant,
    )
    return f"{raw[:5]}-{raw[5:]}"


def child_code_redeem(*, code: str, client_key: str) -> User:
    """The child signs in with a code: the child's account, once. Too many wrong
    codes from one client are refused for a while (guessing is pointless anyway)."""
    tries_key = f"learning:child-code:{client_key}"
    tries = int(cache.get(tries_key, 0))
    if tries >= CODE_TRIES:
        raise RateLimited(
            _("Too many wrong codes. Wait 15 minutes, or ask your guardian.")
        )
    now = clock.now()
    with transaction.atomic():
        row = (
            ChildSignIn.objects.select_for_update()
            .select_related("child")
            .filter(
                method=ChildSignIn.Method.CODE,
                code_sha256=_code_hash(code),
                used_at__isnull=True,
                expires_at__gt=now,
            )
            .first()
        )
        if row is None or not row.child.is_active:
            cache.set(tries_key, tries + 1, 15 * 60)
            raise InvalidInput(
                field_errors={
                    "code": [
                        _(
                            "This code is not valid or has expired. Ask your "
                            "guardian for a new one."
                        )
                    ]
                }
            )
        row.used_at = now
        row.save(update_fields=["used_at"])
        audit_record(
            actor=row.child,
            action="learning.child.signed_in_with_code",
            object_type="core.User",
            object_id=str(row.child_id),
            tenant=row.child.home_tenant,
        )
    return row.child
