"""Writes of applying: children, applications, nominations, withdrawals, offers, priority.

Every function is keyword-only, runs in one transaction, writes an audit row and sends
notifications after commit. A refusal raises a DomainError and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import Role, User
from nanum.core.services import audit_record

from .. import selectors
from ..models import Application, Child, Programme
from ._common import _refuse, _tell_applicant
from .draw import waitlist_promote

A = Application.Status


@transaction.atomic
def child_add(*, actor: User, name: str, grade: int) -> Child:
    if not actor.has_role(Role.GUARDIAN):
        raise PermissionDenied(_("Only guardians can add a child."))
    name = (name or "").strip()
    errors: dict[str, list[Any]] = {}
    if not name or len(name) > 50:
        errors["name"] = [_("Give the child's name (up to 50 characters).")]
    if not 1 <= int(grade or 0) <= 12:
        errors["grade"] = [_("Grades run from 1 to 12.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    child = Child.objects.create(guardian=actor, name=name, grade=grade)
    audit_record(actor=actor, action="programme.child_add", obj=child)
    return child


def _check_audience(
    p: Programme, participant: User | None, child: Child | None, today: date
) -> None:
    if participant is not None:
        who = participant
    else:
        assert child is not None, "an application is for a participant or a child"
        who = child.guardian
    if who.home_tenant_id != p.tenant_id:
        raise _refuse(
            _("This programme is for people in %(town)s.") % {"town": p.tenant.name},
            "outside_audience",
        )
    aud = Programme.Audience
    if p.audience == aud.TEACHERS:
        if participant is None or not participant.has_role(Role.TEACHER):
            raise _refuse(_("This programme is for teachers."), "outside_audience")
        return
    if p.audience == aud.FAMILIES and child is None:
        raise _refuse(
            _("This programme is for families: a guardian applies with a child."),
            "outside_audience",
        )
    if (
        p.audience == aud.STUDENTS
        and participant is not None
        and not participant.has_role(Role.STUDENT)
    ):
        raise _refuse(_("This programme is for students."), "outside_audience")
    if child is not None:
        have: tuple[int, int] | None = (child.grade, child.grade)
    else:
        assert participant is not None, "an application is for a participant or a child"
        have = selectors.grade_range_of_student(participant, today)
    if have is None:
        raise _refuse(
            _("We do not know the school grade; ask your school to record it."),
            "grade_unknown",
        )
    if not selectors.grades_fit(p.grade_min, p.grade_max, have):
        raise _refuse(
            _("This programme is for grades %(lo)s to %(hi)s.")
            % {"lo": p.grade_min or 1, "hi": p.grade_max or 12},
            "outside_audience",
        )


def _place_fcfs(p: Programme, app: Application, now: datetime) -> None:
    held = p.applications.filter(status__in=Application.HOLDS_PLACE).count()
    if held < p.capacity:
        app.status, app.via, app.decided_at = A.SELECTED, Application.Via.FCFS, now
    else:
        last = p.applications.aggregate(m=Max("waitlist_position"))["m"] or 0
        app.status, app.waitlist_position = A.WAITLISTED, last + 1


def _create_application(
    *,
    actor: User,
    p: Programme,
    participant: User | None,
    child: Child | None,
    route: str,
    declare_priority: bool,
    now: datetime,
) -> Application:
    if p.status != Programme.Status.PUBLISHED:
        raise _refuse(_("This programme is not open for applications."), "not_open")
    if now < p.apply_opens_at:
        opens = formats.date_format(
            timezone.localtime(p.apply_opens_at), "DATETIME_FORMAT"
        )
        raise _refuse(
            _("Applications open on %(date)s.") % {"date": opens},
            "period_not_started",
        )
    if now >= p.apply_closes_at:
        raise _refuse(_("The application period has ended."), "period_ended")
    _check_audience(p, participant, child, timezone.localdate(now))
    dup = (
        p.applications.filter(participant=participant)
        if participant
        else p.applications.filter(child=child)
    )
    if dup.exists():
        raise _refuse(
            _("There is already an application for this person."), "duplicate"
        )
    need_user = participant if participant is not None else actor
    need = selectors.applicant_need(need_user)
    app = Application(
        programme=p,
        participant=participant,
        child=child,
        applied_by=actor,
        route=route,
        district_need=need,
        created_at=now,
    )
    if declare_priority:
        app.vulnerability_declaration = (
            f"declared by user {actor.pk} at {now.isoformat()}"
        )
    app.priority = bool(declare_priority) or (
        need is not None and need >= p.priority_need_index
    )
    if p.selection == Programme.Selection.FCFS:
        _place_fcfs(p, app, now)
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError as exc:
        raise _refuse(
            _("There is already an application for this person."), "duplicate"
        ) from exc
    audit_record(
        actor=actor,
        action="programme.apply",
        obj=app,
        tenant=p.tenant,
        after={"programme": p.pk, "route": route, "status": app.status},
    )
    return app


@transaction.atomic
def application_apply(
    *,
    actor: User,
    programme: Programme,
    child: Child | None = None,
    declare_priority: bool = False,
    now: datetime | None = None,
) -> Application:
    """A student or teacher applies for themselves, a guardian for their child."""
    now = now or clock.now()
    p = (
        Programme.objects.select_for_update()
        .select_related("tenant")
        .get(pk=programme.pk)
    )
    if child is not None:
        if child.guardian_id != actor.pk:
            raise NotFound()
        app = _create_application(
            actor=actor,
            p=p,
            participant=None,
            child=child,
            route=Application.Route.GUARDIAN,
            declare_priority=declare_priority,
            now=now,
        )
    else:
        app = _create_application(
            actor=actor,
            p=p,
            participant=actor,
            child=None,
            route=Application.Route.SELF,
            declare_priority=declare_priority,
            now=now,
        )
    _tell_applicant(app)
    return app


@transaction.atomic
def application_nominate(
    *,
    actor: User,
    programme: Programme,
    student_ids: list[int],
    now: datetime | None = None,
) -> list[Application]:
    """A teacher nominates students of their own school; all or nothing."""
    now = now or clock.now()
    if not actor.has_role(Role.TEACHER):
        raise PermissionDenied(_("Only teachers can nominate students."))
    if not student_ids:
        raise InvalidInput(
            field_errors={"students": [_("Choose at least one student.")]}
        )
    students = list(
        selectors.nominable_students(actor).filter(pk__in=student_ids).order_by("pk")
    )
    if len(students) != len(set(student_ids)):
        raise InvalidInput(
            field_errors={
                "students": [_("You can nominate only students of your school.")]
            }
        )
    p = (
        Programme.objects.select_for_update()
        .select_related("tenant")
        .get(pk=programme.pk)
    )
    apps = []
    for student in students:
        try:
            app = _create_application(
                actor=actor,
                p=p,
                participant=student,
                child=None,
                route=Application.Route.NOMINATION,
                declare_priority=False,
                now=now,
            )
        except DomainError as exc:
            raise DomainError(f"{student}: {exc.message}", code=exc.code) from exc
        apps.append(app)
    for app in apps:
        _tell_applicant(app)
    return apps


def _own_application(actor: User, application_id: int) -> Application:
    app = (
        Application.objects.select_for_update()
        .filter(pk=application_id, applied_by=actor)
        .first()
    ) or (
        Application.objects.select_for_update()
        .filter(pk=application_id, participant=actor)
        .first()
    )
    if app is None:
        raise NotFound()
    return app


@transaction.atomic
def application_withdraw(*, actor: User, application_id: int) -> Application:
    app = _own_application(actor, application_id)
    if app.status not in Application.ACTIVE:
        raise _refuse(_("This application is no longer active."), "not_active")
    held = app.status in Application.HOLDS_PLACE
    before = app.status
    app.status, app.offer_expires_at = A.WITHDRAWN, None
    app.save(update_fields=["status", "offer_expires_at"])
    audit_record(
        actor=actor,
        action="programme.withdraw",
        obj=app,
        before={"status": before},
        after={"status": app.status},
    )
    if held:
        waitlist_promote(programme_id=app.programme_id)
    return app


@transaction.atomic
def application_confirm(
    *,
    actor: User,
    application_id: int,
    accept: bool = True,
    now: datetime | None = None,
) -> Application:
    now = now or clock.now()
    app = _own_application(actor, application_id)
    if app.status != A.OFFERED:
        raise _refuse(_("There is no open offer to answer."), "no_offer")
    if app.offer_expires_at and app.offer_expires_at <= now:
        raise _refuse(_("The time to confirm this offer has passed."), "offer_expired")
    app.status = A.SELECTED if accept else A.DECLINED
    app.decided_at, app.offer_expires_at = now, None
    app.save(update_fields=["status", "decided_at", "offer_expires_at"])
    audit_record(
        actor=actor,
        action="programme.offer_answer",
        obj=app,
        after={"status": app.status},
    )
    if not accept:
        waitlist_promote(programme_id=app.programme_id, now=now)
    return app


@transaction.atomic
def application_set_priority(
    *,
    actor: User,
    application_id: int,
    priority: bool,
    programme_ids: Iterable[int] | QuerySet[Any],
) -> Application:
    """Staff flag (or unflag) a priority applicant after checking documents."""
    app = (
        Application.objects.select_for_update()
        .filter(pk=application_id, programme_id__in=programme_ids)
        .first()
    )
    if app is None:
        raise NotFound()
    if app.programme.drawn_at:
        raise _refuse(
            _("The draw has taken place; priority can no longer change."),
            "already_drawn",
        )
    before = app.priority
    app.priority = priority
    app.vulnerability_declaration = (
        f"flagged by staff {actor.pk} at {clock.now().isoformat()}" if priority else ""
    )
    app.save(update_fields=["priority", "vulnerability_declaration"])
    audit_record(
        actor=actor,
        action="programme.priority",
        obj=app,
        before={"priority": before},
        after={"priority": priority},
    )
    return app
