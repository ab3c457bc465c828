"""The draw and the waiting list: lottery after the period, offers with a deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import default_task_backend

from nanum.core import clock
from nanum.core.models import User
from nanum.core.services import Message, audit_record, tasks_enqueue
from nanum.programs import tasks

from .. import selection
from ..models import Application, Programme
from ._common import _check_organiser, _mine_url, _notify, _refuse, _tell_applicant

A = Application.Status


# --- Draw and waiting list ----------------------------------------------------------------


@transaction.atomic
def programme_draw(
    *, actor: User | None, programme: Programme, now: datetime | None = None
) -> selection.DrawResult:
    """Run the lottery of a programme whose period has closed."""
    now = now or clock.now()
    p = Programme.objects.select_for_update().get(pk=programme.pk)
    if actor is not None:
        _check_organiser(actor, p.organiser)
    if p.selection != Programme.Selection.LOTTERY:
        raise _refuse(
            _("This programme selects in order of application."), "not_lottery"
        )
    if p.drawn_at:
        raise _refuse(_("The draw has already taken place."), "already_drawn")
    if now < p.apply_closes_at:
        raise _refuse(
            _("The draw can run only after applications close."), "period_open"
        )
    rows = list(p.applications.filter(status=A.SUBMITTED).values_list("pk", "priority"))
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    result = selection.lottery(
        ids=ids,
        pools=np.zeros(len(rows), dtype=np.int64),
        priority=np.fromiter((r[1] for r in rows), dtype=bool, count=len(rows)),
        capacity=[p.capacity],
        share=[float(p.priority_share)],
        seed=p.lottery_seed,
    )
    _write_outcomes(result, now)
    p.drawn_at, p.draw_digest = now, result.digest()
    p.save(update_fields=["drawn_at", "draw_digest"])
    audit_record(
        actor=actor,
        action="programme.draw",
        obj=p,
        tenant=p.tenant,
        after={
            "seed": p.lottery_seed,
            "digest": p.draw_digest,
            "applications": len(rows),
        },
    )
    tasks_enqueue(tasks.draw_notify, p.pk)
    return result


STATUS_OF = {
    selection.PRIORITY_SEAT: (A.SELECTED, Application.Via.PRIORITY),
    selection.GENERAL_SEAT: (A.SELECTED, Application.Via.GENERAL),
    selection.WAITLIST: (A.WAITLISTED, Application.Via.NONE),
}
OUTCOME_SQL = (
    "UPDATE programs_application SET status = %s, via = %s, draw_rank = %s, "
    "waitlist_position = %s, decided_at = %s WHERE id = %s"
)


def _write_outcomes(result: selection.DrawResult, now: datetime) -> None:
    """One prepared UPDATE per row, sent with executemany (fast on SQLite and PostgreSQL;
    QuerySet.bulk_update builds a CASE per field and row, which is slow at this size)."""
    if not result.ids.size:
        return
    decided = Application._meta.get_field("decided_at").get_db_prep_value(
        now, connection
    )
    rows = []
    for pk, code, rank, pos in zip(
        result.ids.tolist(),
        result.outcome.tolist(),
        result.draw_rank.tolist(),
        result.waitlist_position.tolist(),
        strict=True,
    ):
        status, via = STATUS_OF[code]
        rows.append((status, via, rank, pos or None, decided, pk))
    with connection.cursor() as cursor:
        cursor.executemany(OUTCOME_SQL, rows)


def draw_notify(*, programme_id: int) -> int:
    """Tell every applicant of a drawn programme their outcome (runs as a task).

    Safe to run twice: each application is marked ``draw_notified_at`` in the same
    transaction as its notices, and only unmarked ones are told; a concurrent run
    waits for the rows this one holds and then finds them marked.
    """
    apps = (
        Application.objects.select_for_update(of=("self",))
        .filter(programme_id=programme_id, draw_notified_at__isnull=True)
        .exclude(status=A.SUBMITTED)
        .select_related("programme", "applied_by", "participant")
        .order_by("pk")
    )
    count, url, now = 0, _mine_url(), clock.now()
    with transaction.atomic():
        told: list[int] = []
        for app in apps.iterator(chunk_size=1000):
            _tell_applicant(app, url)
            told.append(app.pk)
        for i in range(0, len(told), 900):
            Application.objects.filter(pk__in=told[i : i + 900]).update(
                draw_notified_at=now
            )
        count = len(told)
    return count


def _offer_task(app: Application) -> None:
    if default_task_backend.supports_defer and app.offer_expires_at:
        tasks_enqueue(tasks.offer_expire.using(run_after=app.offer_expires_at), app.pk)


@transaction.atomic
def waitlist_promote(
    *, programme_id: int, now: datetime | None = None
) -> list[Application]:
    """Offer free places to the waiting list in order, each with a confirm-by deadline."""
    now = now or clock.now()
    p = Programme.objects.select_for_update().get(pk=programme_id)
    if p.status != Programme.Status.PUBLISHED:
        return []
    if p.selection == Programme.Selection.LOTTERY and not p.drawn_at:
        return []
    free = (
        p.capacity - p.applications.filter(status__in=Application.HOLDS_PLACE).count()
    )
    offered: list[Application] = []
    if free <= 0:
        return offered
    for app in p.applications.filter(status=A.WAITLISTED).order_by(
        "waitlist_position", "pk"
    )[:free]:
        app.status, app.via = A.OFFERED, Application.Via.WAITLIST
        expires = now + timedelta(hours=p.offer_hours)
        app.offer_expires_at = expires
        app.save(update_fields=["status", "via", "offer_expires_at"])
        audit_record(
            actor=None,
            action="programme.offer",
            obj=app,
            tenant=p.tenant,
            after={"expires": expires.isoformat()},
        )
        subject = Message(
            _("A place is free in %(name)s: confirm by %(when)s"),
            name=p.name,
            when=timezone.localtime(expires),
        )
        _notify(app.applied_by, "programs.offer", subject, url=_mine_url())
        _offer_task(app)
        offered.append(app)
    return offered


@transaction.atomic
def offer_expire(*, application_id: int, now: datetime | None = None) -> bool:
    """Expire one unconfirmed offer whose deadline passed and offer the place onward."""
    now = now or clock.now()
    app = Application.objects.select_for_update().filter(pk=application_id).first()
    if app is None or app.status != A.OFFERED or not app.offer_expires_at:
        return False
    if app.offer_expires_at > now:
        return False
    app.status, app.offer_expires_at = A.EXPIRED, None
    app.save(update_fields=["status", "offer_expires_at"])
    audit_record(actor=None, action="programme.offer_expired", obj=app)
    _notify(
        app.applied_by,
        "programs.offer_expired",
        Message(_("Your offered place expired: %(name)s"), name=app.programme.name),
        url=_mine_url(),
    )
    waitlist_promote(programme_id=app.programme_id, now=now)
    return True


def offers_expire_due(*, now: datetime | None = None) -> int:
    now = now or clock.now()
    ids = list(
        Application.objects.filter(
            status=A.OFFERED, offer_expires_at__lte=now
        ).values_list("pk", flat=True)
    )
    return sum(offer_expire(application_id=i, now=now) for i in ids)


def draws_due(*, now: datetime | None = None) -> int:
    """Run every lottery whose period has closed (the scheduled task calls this)."""
    now = now or clock.now()
    due = Programme.objects.filter(
        selection=Programme.Selection.LOTTERY,
        status=Programme.Status.PUBLISHED,
        drawn_at__isnull=True,
        apply_closes_at__lte=now,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        programme_draw(actor=None, programme=Programme(pk=pk), now=now)
        count += 1
    return count


DECLARATION_RETENTION_DAYS = 90


def declarations_purge(*, now: datetime | None = None) -> int:
    """Erase vulnerability declarations 90 days after a programme's last session (PIPA:
    destroy personal data once its purpose is served). The priority flag stays, so the
    published draw can still be recomputed."""
    now = now or clock.now()
    cutoff = now - timedelta(days=DECLARATION_RETENTION_DAYS)
    done = (
        Programme.objects.annotate(last=Max("sessions__ends_at"))
        .filter(last__lt=cutoff)
        .values("pk")
    )
    return (
        Application.objects.filter(programme_id__in=done)
        .exclude(vulnerability_declaration="")
        .update(vulnerability_declaration="")
    )
