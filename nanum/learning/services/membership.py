"""Memberships over time: renewal requests and confirmation, reminders, expiry."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, PermissionDenied
from nanum.core.models import AuditLog, User
from nanum.core.services import Message, audit_record

from ..models import Application, Status, TenantPolicy
from ..selectors import tenant_policy_get
from ._common import notify_bulk, officer_application
from .applications import _notify
from .quota import places_allocate
from .seats import seats_release_for


@transaction.atomic
def application_request_renewal(*, actor: User, application_id: int) -> Application:
    """The member says they still qualify; an officer confirms the renewal."""
    app = Application.objects.select_for_update().filter(pk=application_id).first()
    if app is None or actor.pk not in (app.student_id, app.applicant_id):
        raise PermissionDenied()
    if app.status != Status.APPROVED:
        raise DomainError(_("Only members can renew."), code="wrong_state")
    app.renewal_requested_at = clock.now()
    app.save(update_fields=["renewal_requested_at", "updated_at"])
    audit_record(
        actor=actor,
        action="learning.application.renewal_request",
        obj=app,
        tenant=app.tenant,
    )
    return app


@transaction.atomic
def application_renew(*, actor: User, application_id: int) -> Application:
    app = officer_application(actor, application_id, lock=True)
    if app.status != Status.APPROVED:
        raise DomainError(_("Only members can renew."), code="wrong_state")
    policy = tenant_policy_get(tenant=app.tenant_id)
    start = max(app.valid_until or clock.today(), clock.today())
    app.valid_until = start + timedelta(days=policy.membership_days)
    app.renewal_requested_at = None
    app.renewal_reminded_at = None
    app.save()
    audit_record(
        actor=actor,
        action="learning.application.renew",
        obj=app,
        tenant=app.tenant,
        after={"valid_until": str(app.valid_until)},
    )
    _notify(
        app,
        _("Your membership was renewed"),
        Message(_("It is valid until %(date)s."), date=app.valid_until),
    )
    return app


@transaction.atomic
def restriction_lift(
    *, actor: User, application_id: int, reason: str = ""
) -> Application:
    """An officer lifts a minimum-use restriction (e.g. after illness), with a reason."""
    app = officer_application(actor, application_id, lock=True)
    if app.restricted_at is None:
        raise DomainError(_("This membership is not restricted."), code="wrong_state")
    before = {"restricted_at": app.restricted_at.isoformat()}
    app.restricted_at = None
    app.usage_warned_at = None
    app.save(update_fields=["restricted_at", "usage_warned_at", "updated_at"])
    audit_record(
        actor=actor,
        action="learning.restriction.lift",
        obj=app,
        tenant=app.tenant,
        before=before,
        after={"restricted_at": None, "reason": reason[:300]},
    )
    _notify(app, _("Your study restriction was lifted"), reason)
    return app


def memberships_expire(*, on: date | None = None) -> int:
    """End memberships past their date (set-based); places go to the waiting list."""
    on = on or clock.today()
    rows = list(
        Application.objects.filter(
            status=Status.APPROVED, valid_until__lt=on
        ).values_list("pk", "student_id", "tenant_id")
    )
    tenants = sorted({t for _p, _s, t in rows})
    for i in range(0, len(rows), 5000):
        part = rows[i : i + 5000]
        ids = [p for p, _s, _t in part]
        with transaction.atomic():
            for k in range(0, len(ids), 900):
                Application.objects.filter(
                    pk__in=ids[k : k + 900], status=Status.APPROVED
                ).update(
                    status=Status.EXPIRED, reason="expired", updated_at=clock.now()
                )
            seats_release_for(application_ids=ids, reason="expired")
            notify_bulk(
                [s for _p, s, _t in part],
                kind="learning.application",
                subject=_("Your membership has ended"),
                body=_("Apply again if you still qualify."),
                url="/learning/me/",
            )
            AuditLog.objects.bulk_create(
                [
                    AuditLog(
                        action="learning.application.expire",
                        object_type="learning.Application",
                        object_id=str(p),
                        tenant_id=t,
                    )
                    for p, _s, t in part
                ],
                batch_size=2000,
            )
    if tenants:
        places_allocate(tenant_ids=tenants)
    return len(rows)


def renewal_reminders_send(*, on: date | None = None) -> int:
    """Remind members whose membership ends soon (once a week until they renew)."""
    on = on or clock.today()
    sent = 0
    week_ago = clock.now() - timedelta(days=7)
    for policy in TenantPolicy.objects.all():
        qs = Application.objects.filter(
            tenant_id=policy.tenant_id,
            status=Status.APPROVED,
            renewal_requested_at__isnull=True,
            valid_until__lte=on + timedelta(days=policy.renewal_notice_days),
            valid_until__gte=on,
        ).exclude(renewal_reminded_at__gt=week_ago)
        for app in qs.select_related("student", "tenant")[:5000]:
            assert app.valid_until is not None  # filtered on valid_until above
            _notify(
                app,
                _("Renew your membership"),
                Message(
                    _("Your membership ends on %(date)s. Ask to renew on your page."),
                    date=app.valid_until,
                ),
            )
            Application.objects.filter(pk=app.pk).update(
                renewal_reminded_at=clock.now()
            )
            sent += 1
    return sent
