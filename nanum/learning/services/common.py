"""Helpers shared by the learning services: permissions, policies, notifications."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import DomainError, NotFound, PermissionDenied
from nanum.core.models import Notification, Role, Tenant, User
from nanum.core.tenancy import is_platform_admin, tenant_ids_for

from ..models import Application, TenantPolicy


def today() -> date:
    return timezone.localdate()


def officer_tenant_ids(actor: User | None) -> set[int] | None:
    """Towns whose Seoul Learn data ``actor`` may see as staff; None means every town."""
    return tenant_ids_for(actor, Role.TENANT_OFFICER, Role.ADMINISTRATOR)


def require_officer(actor: User | None, tenant_id: int) -> None:
    ids = officer_tenant_ids(actor)
    if ids is not None and tenant_id not in ids:
        raise PermissionDenied()


def is_officer(actor: User | None) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    return is_platform_admin(actor) or actor.has_role(Role.TENANT_OFFICER)


def policy_for(tenant: Tenant | int) -> TenantPolicy:
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    policy = (
        TenantPolicy.objects.select_related("tenant")
        .filter(tenant_id=tenant_id)
        .first()
    )
    if policy is None:
        raise NotFound(_("This town does not run the programme."))
    return policy


def officer_application(
    actor: User, application_id: int, *, lock: bool = False
) -> Application:
    """An application the officer may act on; another town's id is simply not found."""
    qs: QuerySet[Application] = Application.objects.select_related("tenant", "student")
    ids = officer_tenant_ids(actor)
    if ids is not None:
        qs = qs.filter(tenant_id__in=ids)
    if lock:
        qs = qs.select_for_update(of=("self",))
    app = qs.filter(pk=application_id).first()
    if app is None:
        raise NotFound()
    return app


def notify_bulk(
    users: Iterable[int], *, kind: str, subject: str, body: str = "", url: str = ""
) -> int:
    """In-app notifications for many users in one statement (e-mail by a task)."""
    now = timezone.now()
    rows = [
        Notification(
            user_id=uid,
            kind=kind,
            subject=subject[:200],
            body=body,
            url=url,
            created_at=now,
        )
        for uid in users
    ]
    Notification.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


class WindowClosed(DomainError):
    status = 409
    code = "window_closed"
    default_message = _("This can only be done in the set windows.")
