"""Provider seats: choosing, changing, releasing, refilling, and the hand-off link."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import Organisation, Role, User
from nanum.core.services import Text, audit_record, notification_send
from nanum.core.tenancy import organisation_ids_for

from ..models import (
    Application,
    ChangeWindow,
    ProviderProfile,
    Seat,
    SeatAllocation,
    Status,
)
from ..selectors.lectures import seat_lecture_url
from ._common import WindowClosed, notify_bulk
from .home import home_touch


class SeatsFull(DomainError):
    status = 409
    code = "quota_full"
    default_message = _("This provider has no free seats.")


def _member_application(student: User, tenant_id: int | None = None) -> Application:
    qs = Application.objects.filter(student=student, status=Status.APPROVED)
    if tenant_id:
        qs = qs.filter(tenant_id=tenant_id)
    app = qs.select_for_update().order_by("-place_since").first()
    if app is None:
        raise DomainError(
            _("You need an approved place first."), code="not_member", status=409
        )
    if app.restricted_at:
        raise DomainError(
            _("Your seat is paused because of low use. Ask your town's officer."),
            code="restricted",
        )
    return app


def in_change_window(tenant_id: int) -> bool:
    d = clock.today()
    return ChangeWindow.objects.filter(
        tenant_id=tenant_id, starts_on__lte=d, ends_on__gte=d
    ).exists()


def seat_release_rows(seats: Iterable[Seat], *, reason: str) -> list[int]:
    """Release seats and give their allocations the place back (rows locked in id order)."""
    seats = [s for s in seats if s.state == Seat.State.ACTIVE]
    if not seats:
        return []
    alloc_ids = sorted({s.allocation_id for s in seats})
    list(
        SeatAllocation.objects.select_for_update()
        .filter(pk__in=alloc_ids)
        .order_by("pk")
    )
    now = clock.now()
    for s in seats:
        Seat.objects.filter(pk=s.pk).update(
            state=Seat.State.RELEASED, released_at=now, release_reason=reason[:40]
        )
        SeatAllocation.objects.filter(pk=s.allocation_id).update(used=F("used") - 1)
        s.state = Seat.State.RELEASED
    home_touch(student_ids=[s.student_id for s in seats], create=False)
    seats_fill(allocation_ids=alloc_ids)
    return alloc_ids


def seats_release_for(*, application_ids: list[int], reason: str) -> int:
    """Set-based release of the active seats of many memberships (call in a transaction)."""
    if not application_ids:
        return 0
    rows = list(
        Seat.objects.filter(
            application_id__in=application_ids, state=Seat.State.ACTIVE
        ).values_list("pk", "allocation_id", "student_id")
    )
    if not rows:
        return 0
    per_alloc: dict[int, int] = {}
    for _pk, alloc_id, _s in rows:
        per_alloc[alloc_id] = per_alloc.get(alloc_id, 0) + 1
    list(
        SeatAllocation.objects.select_for_update()
        .filter(pk__in=sorted(per_alloc))
        .order_by("pk")
    )
    now = clock.now()
    ids = [pk for pk, _a, _s in rows]
    home_touch(student_ids=[s for _pk, _a, s in rows], create=False)
    for i in range(0, len(ids), 900):
        Seat.objects.filter(pk__in=ids[i : i + 900]).update(
            state=Seat.State.RELEASED, released_at=now, release_reason=reason[:40]
        )
    for alloc_id, n in per_alloc.items():
        SeatAllocation.objects.filter(pk=alloc_id).update(used=F("used") - n)
    seats_fill(allocation_ids=per_alloc)
    return len(rows)


@transaction.atomic
def seat_choose(
    *,
    actor: User,
    provider_id: int,
    tenant_id: int | None = None,
    student: User | None = None,
) -> Seat | None:
    """An approved member takes a seat at one provider the town offers.

    Returns the seat, or None when the provider is full and the member now waits for a
    seat there. Changing provider is only possible inside the town's change windows.
    ``student`` is the member when a guardian acts for a child (the caller has checked
    the guardianship: ``services.child_seat_choose``); the audit row names the actor.
    """
    student = student or actor
    app = _member_application(student, tenant_id)
    year = clock.today().year
    alloc = SeatAllocation.objects.filter(
        tenant_id=app.tenant_id, provider_id=provider_id, year=year
    ).first()
    if alloc is None:
        raise InvalidInput(
            field_errors={"provider": [_("This town does not offer that provider.")]}
        )
    current = Seat.objects.filter(application=app, state=Seat.State.ACTIVE).first()
    if current is not None:
        if current.provider_id == provider_id:
            return current
        if not in_change_window(app.tenant_id):
            raise WindowClosed(_("You can change provider only in the change windows."))
    # Lock allocation rows in a fixed order (id) so concurrent changes cannot deadlock.
    ids = sorted({alloc.pk} | ({current.allocation_id} if current else set()))
    locked = {
        a.pk: a
        for a in SeatAllocation.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
    }
    alloc = locked[alloc.pk]
    if alloc.used >= alloc.seats:
        app.preferred_provider_id = provider_id
        app.seat_wait_since = clock.now()
        app.save(update_fields=["preferred_provider", "seat_wait_since", "updated_at"])
        audit_record(
            actor=actor,
            action="learning.seat.wait",
            obj=app,
            tenant=app.tenant,
            after={"provider": provider_id},
        )
        return None
    if current is not None:
        seat_release_rows([current], reason="changed")
    seat = Seat.objects.create(
        allocation=alloc,
        tenant_id=app.tenant_id,
        provider_id=provider_id,
        application=app,
        student=student,
    )
    SeatAllocation.objects.filter(pk=alloc.pk).update(used=F("used") + 1)
    app.preferred_provider_id = provider_id
    app.seat_wait_since = None
    app.save(update_fields=["preferred_provider", "seat_wait_since", "updated_at"])
    audit_record(
        actor=actor,
        action="learning.seat.take",
        obj=seat,
        tenant=app.tenant,
        after={
            "provider": provider_id,
            "changed": current is not None,
            "student": student.pk,
        },
    )
    home_touch(student_ids=[student.pk])  # the site's lectures are recommended now
    return seat


def seats_fill(*, allocation_ids: Iterable[int]) -> int:
    """Give free seats to members waiting for that provider (oldest wait first)."""
    given = 0
    for alloc_id in sorted(set(allocation_ids)):
        with transaction.atomic():
            alloc = (
                SeatAllocation.objects.select_for_update(of=("self",))
                .select_related("tenant")
                .filter(pk=alloc_id)
                .first()
            )
            if alloc is None or alloc.free <= 0:
                continue
            waiting = list(
                Application.objects.filter(
                    tenant_id=alloc.tenant_id,
                    status=Status.APPROVED,
                    preferred_provider_id=alloc.provider_id,
                    seat_wait_since__isnull=False,
                    restricted_at__isnull=True,
                )
                .exclude(seats__state=Seat.State.ACTIVE)
                .order_by("seat_wait_since", "id")
                .values_list("id", "student_id")[: alloc.free]
            )
            if not waiting:
                continue
            Seat.objects.bulk_create(
                [
                    Seat(
                        allocation=alloc,
                        tenant_id=alloc.tenant_id,
                        provider_id=alloc.provider_id,
                        application_id=a,
                        student_id=s,
                    )
                    for a, s in waiting
                ]
            )
            SeatAllocation.objects.filter(pk=alloc.pk).update(
                used=F("used") + len(waiting)
            )
            Application.objects.filter(pk__in=[a for a, _s in waiting]).update(
                seat_wait_since=None, updated_at=clock.now()
            )
            notify_bulk(
                [s for _a, s in waiting],
                kind="learning.seat",
                subject=_("Your seat is ready"),
                url="/learning/me/",
            )
            audit_record(
                actor=None,
                action="learning.seats.fill",
                obj=alloc,
                tenant=alloc.tenant,
                after={
                    "given": len(waiting),
                    "applications": [a for a, _s in waiting],
                },
            )
            given += len(waiting)
    return given


@transaction.atomic
def seats_assign_bulk(*, tenant_id: int, year: int | None = None) -> int:
    """Give seats to every member who chose a provider and has none (set-based)."""
    year = year or clock.today().year
    allocs = list(
        SeatAllocation.objects.select_for_update(of=("self",))
        .select_related("tenant")
        .filter(tenant_id=tenant_id, year=year)
        .order_by("pk")
    )
    given = 0
    for alloc in allocs:
        free = alloc.seats - alloc.used
        if free <= 0:
            continue
        rows = list(
            Application.objects.filter(
                tenant_id=tenant_id,
                status=Status.APPROVED,
                preferred_provider_id=alloc.provider_id,
                restricted_at__isnull=True,
            )
            .exclude(seats__state=Seat.State.ACTIVE)
            .order_by("place_since", "id")
            .values_list("id", "student_id")[:free]
        )
        if not rows:
            continue
        Seat.objects.bulk_create(
            [
                Seat(
                    allocation_id=alloc.pk,
                    tenant_id=tenant_id,
                    provider_id=alloc.provider_id,
                    application_id=a,
                    student_id=s,
                    ref=secrets.token_hex(8),
                )
                for a, s in rows
            ],
            batch_size=2000,
        )
        SeatAllocation.objects.filter(pk=alloc.pk).update(used=F("used") + len(rows))
        home_touch(student_ids=[s for _a, s in rows], create=False)
        audit_record(
            actor=None,
            action="learning.seats.assign",
            obj=alloc,
            tenant=alloc.tenant,
            after={"given": len(rows)},
        )
        given += len(rows)
    return given


# --- Hand-off ------------------------------------------------------------------
#
# Token: "v1.<payload>.<signature>", payload = base64url(JSON), signature =
# base64url(HMAC-SHA256(provider secret, "v1." + payload)), no padding. The payload
# holds ref (the seat's pseudonymous id), town, level, grade, iat, exp and a nonce.
# A provider verifies with its own copy of the secret (docs/learning.md) or by
# calling POST /api/v1/learning/handoff/verify.


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def handoff_sign(payload: dict[str, Any], secret: str) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    sig = hmac.new(secret.encode(), f"v1.{body}".encode(), hashlib.sha256).digest()
    return f"v1.{body}.{_b64(sig)}"


def handoff_check(
    token: str, secret: str, *, now: float | None = None
) -> dict[str, Any]:
    bad = DomainError(
        _("The hand-off link is not valid."), code="bad_handoff", status=400
    )
    parts = (token or "").split(".")
    if len(parts) != 3 or parts[0] != "v1" or len(token) > 2000:
        raise bad
    expected = hmac.new(
        secret.encode(), f"v1.{parts[1]}".encode(), hashlib.sha256
    ).digest()
    try:
        given = _unb64(parts[2])
        payload = json.loads(_unb64(parts[1]))
    except (ValueError, json.JSONDecodeError) as exc:
        raise bad from exc
    if not hmac.compare_digest(expected, given) or not isinstance(payload, dict):
        raise bad
    if float(payload.get("exp", 0)) < (now if now is not None else time.time()):
        raise DomainError(
            _("The hand-off link has expired."), code="handoff_expired", status=400
        )
    return payload


def handoff_link(
    *,
    actor: User,
    seat_id: int,
    student: User | None = None,
    lecture_id: int | None = None,
) -> str:
    """The provider's launch URL with a signed token naming only the seat's
    pseudonymous ref. ``student``: the child a guardian opens the site for (checked
    by the caller, ``services.child_handoff_link``). ``lecture_id``: a lecture of the
    seat's provider's catalogue; its address travels signed in the token as ``next``."""
    seat = (
        Seat.objects.select_related("application", "tenant", "provider")
        .filter(pk=seat_id, student=student or actor, state=Seat.State.ACTIVE)
        .first()
    )
    if seat is None:
        raise NotFound()
    profile = ProviderProfile.objects.filter(organisation_id=seat.provider_id).first()
    if profile is None:
        raise DomainError(_("This provider is not connected yet."), code="no_handoff")
    now = int(time.time())
    payload = {
        "ref": seat.ref,
        "town": seat.tenant.slug,
        "level": seat.application.school_level,
        "grade": seat.application.grade,
        "iat": now,
        "exp": now + profile.handoff_ttl_seconds,
        "nonce": secrets.token_hex(8),
    }
    if lecture_id is not None:
        url = seat_lecture_url(seat=seat, lecture_id=lecture_id)
        if url is None:
            raise NotFound()
        payload["next"] = url
    token = handoff_sign(payload, profile.handoff_secret)
    sep = "&" if "?" in profile.launch_url else "?"
    return f"{profile.launch_url}{sep}nanum_token={token}"


def handoff_verify(*, actor: User, token: str) -> dict[str, Any]:
    """A provider checks a token it received; only its own seats verify."""
    org_ids = organisation_ids_for(actor, Role.PROVIDER)
    if org_ids is not None and not org_ids:
        raise PermissionDenied()
    profiles = ProviderProfile.objects.filter(
        organisation__kind=Organisation.Kind.PROVIDER
    )
    if org_ids is not None:
        profiles = profiles.filter(organisation_id__in=org_ids)
    last: DomainError | None = None
    for profile in profiles:
        try:
            payload = handoff_check(token, profile.handoff_secret)
        except DomainError as exc:
            last = exc if exc.code == "handoff_expired" else last
            continue
        active = Seat.objects.filter(
            ref=payload.get("ref"),
            provider_id=profile.organisation_id,
            state=Seat.State.ACTIVE,
        ).exists()
        return {**payload, "provider": profile.organisation_id, "active": active}
    raise last or DomainError(
        _("The hand-off link is not valid."), code="bad_handoff", status=400
    )


def notify_seat(seat: Seat, subject: Text, body: Text = "") -> None:
    notification_send(
        user=seat.student,
        kind="learning.seat",
        subject=subject,
        body=body,
        url="/learning/me/",
    )
