"""Writes for programmes: create, publish, apply, nominate, draw, waiting list.

Every function is keyword-only, runs in one transaction, writes an audit row and sends
notifications after commit. A refusal raises a DomainError and changes nothing.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import Organisation, Role, RoleAssignment, User
from nanum.core.services import audit_record, snapshot

from . import rules
from .draw import (  # noqa: F401  (re-exported: services is the public write API)
    declarations_purge,
    draw_notify,
    draws_due,
    offer_expire,
    offers_expire_due,
    programme_draw,
    waitlist_promote,
)
from .models import Application, Child, Programme, Session
from .notify import (  # noqa: F401
    _check_organiser,
    _mine_url,
    _notify,
    _outcome_message,
    _refuse,
    _tell_applicant,
    seed_commitment,
)

A = Application.Status


# --- Programmes ---------------------------------------------------------------------


PROGRAMME_FIELDS = (
    "name_ko", "name_en", "kind", "description_ko", "description_en", "audience",
    "grade_min", "grade_max", "prerequisites", "capacity", "apply_opens_at",
    "apply_closes_at", "selection", "priority_share", "priority_need_index",
    "completion_percent", "hours", "offer_hours",
)  # fmt: skip


def _validate_programme(p: Programme) -> None:
    errors: dict[str, list[Any]] = {}
    if p.apply_closes_at <= p.apply_opens_at:
        errors["apply_closes_at"] = [_("Applications must close after they open.")]
    if p.grade_min and p.grade_max and p.grade_max < p.grade_min:
        errors["grade_max"] = [_("The highest grade is below the lowest grade.")]
    for name in ("grade_min", "grade_max"):
        value = getattr(p, name)
        if value is not None and not 1 <= value <= 12:
            errors[name] = [_("Grades run from 1 to 12.")]
    if not Decimal(0) <= Decimal(p.priority_share) <= Decimal(1):
        errors["priority_share"] = [_("Give a share between 0 and 1.")]
    if p.kind == Programme.Kind.TEACHER_TRAINING and not p.hours:
        errors["hours"] = [_("Teacher training must state its hours.")]
    if errors:
        raise InvalidInput(field_errors=errors)


@transaction.atomic
def programme_create(
    *, actor: User, organiser: Organisation, data: dict[str, Any]
) -> Programme:
    _check_organiser(actor, organiser)
    p = Programme(
        tenant=organiser.tenant,
        organiser=organiser,
        lottery_seed=secrets.randbits(62),
        **{k: v for k, v in data.items() if k in PROGRAMME_FIELDS},
    )
    _validate_programme(p)
    p.save()
    audit_record(actor=actor, action="programme.create", obj=p, tenant=p.tenant,
                 after=snapshot(p))  # fmt: skip
    return p


@transaction.atomic
def programme_update(
    *, actor: User, programme: Programme, data: dict[str, Any]
) -> Programme:
    p = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_organiser(actor, p.organiser)
    before = snapshot(p)
    if p.drawn_at and any(
        k in data and data[k] != getattr(p, k)
        for k in ("selection", "capacity", "priority_share", "priority_need_index")
    ):
        raise DomainError(_("The draw has taken place; its rules can no longer change."),
                          code="already_drawn")  # fmt: skip
    for k, v in data.items():
        if k in PROGRAMME_FIELDS:
            setattr(p, k, v)
    _validate_programme(p)
    p.save()
    audit_record(actor=actor, action="programme.update", obj=p, tenant=p.tenant,
                 before=before, after=snapshot(p))  # fmt: skip
    return p


@transaction.atomic
def programme_set_status(
    *, actor: User, programme: Programme, status: str
) -> Programme:
    p = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_organiser(actor, p.organiser)
    if status not in Programme.Status.values:
        raise InvalidInput(field_errors={"status": [_("Unknown status.")]})
    if status == Programme.Status.PUBLISHED and not p.sessions.exists():
        raise DomainError(_("Add at least one session before publishing."),
                          code="no_sessions")  # fmt: skip
    before = p.status
    p.status = status
    p.save(update_fields=["status"])
    audit_record(actor=actor, action="programme.status", obj=p, tenant=p.tenant,
                 before={"status": before}, after={"status": status})  # fmt: skip
    if status == Programme.Status.CANCELLED:
        for app in p.applications.filter(status__in=Application.ACTIVE):
            _notify(app.applied_by, "programs.cancelled",
                    _("Programme cancelled: %(name)s") % {"name": p.name})  # fmt: skip
    return p


@transaction.atomic
def session_add(*, actor: User, programme: Programme, data: dict[str, Any]) -> Session:
    p = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_organiser(actor, p.organiser)
    s = Session(programme=p, **data)
    errors: dict[str, list[Any]] = {}
    if not s.starts_at or not s.ends_at or s.ends_at <= s.starts_at:
        errors["ends_at"] = [_("A session must end after it starts.")]
    if not s.place and not s.online_url:
        errors["place"] = [_("Give a place or an online link.")]
    if s.capacity is None or s.capacity < p.capacity:
        errors["capacity"] = [
            _("The session holds fewer people than the programme has places.")
        ]
    if errors:
        raise InvalidInput(field_errors=errors)
    s.save()
    audit_record(actor=actor, action="programme.session_add", obj=s, tenant=p.tenant,
                 after=snapshot(s))  # fmt: skip
    return s


# --- Children and applying -------------------------------------------------------------


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


def _check_audience(p: Programme, participant: User | None, child: Child | None,
                    today: Any) -> None:  # fmt: skip
    who = participant if participant is not None else child.guardian  # type: ignore[union-attr]
    if who.home_tenant_id != p.tenant_id:
        raise _refuse(_("This programme is for people in %(town)s.") % {"town": p.tenant.name},
                      "outside_audience")  # fmt: skip
    aud = Programme.Audience
    if p.audience == aud.TEACHERS:
        if participant is None or not participant.has_role(Role.TEACHER):
            raise _refuse(_("This programme is for teachers."), "outside_audience")
        return
    if p.audience == aud.FAMILIES and child is None:
        raise _refuse(_("This programme is for families: a guardian applies with a child."),
                      "outside_audience")  # fmt: skip
    if (
        p.audience == aud.STUDENTS
        and participant is not None
        and not participant.has_role(Role.STUDENT)
    ):
        raise _refuse(_("This programme is for students."), "outside_audience")
    have = (
        (child.grade, child.grade)
        if child
        else rules.grade_range_of_student(participant, today)
    )  # type: ignore[arg-type]
    if have is None:
        raise _refuse(_("We do not know the school grade; ask your school to record it."),
                      "grade_unknown")  # fmt: skip
    if not rules.grades_fit(p.grade_min, p.grade_max, have):
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
    *, actor: User, p: Programme, participant: User | None, child: Child | None,
    route: str, declare_priority: bool, now: datetime,
) -> Application:  # fmt: skip
    if p.status != Programme.Status.PUBLISHED:
        raise _refuse(_("This programme is not open for applications."), "not_open")
    if now < p.apply_opens_at:
        raise _refuse(_("Applications open on %(date)s.")
                      % {"date": timezone.localtime(p.apply_opens_at).strftime("%Y-%m-%d %H:%M")},
                      "period_not_started")  # fmt: skip
    if now >= p.apply_closes_at:
        raise _refuse(_("The application period has ended."), "period_ended")
    _check_audience(p, participant, child, timezone.localdate(now))
    dup = p.applications.filter(participant=participant) if participant else (
        p.applications.filter(child=child))  # fmt: skip
    if dup.exists():
        raise _refuse(
            _("There is already an application for this person."), "duplicate"
        )
    need_user = participant if participant is not None else actor
    need = rules.district_need(need_user)
    app = Application(
        programme=p, participant=participant, child=child, applied_by=actor, route=route,
        district_need=need, created_at=now,
    )  # fmt: skip
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
    audit_record(actor=actor, action="programme.apply", obj=app, tenant=p.tenant,
                 after={"programme": p.pk, "route": route, "status": app.status})  # fmt: skip
    return app


@transaction.atomic
def application_apply(
    *, actor: User, programme: Programme, child: Child | None = None,
    declare_priority: bool = False, now: datetime | None = None,
) -> Application:  # fmt: skip
    """A student or teacher applies for themselves, a guardian for their child."""
    now = now or timezone.now()
    p = (
        Programme.objects.select_for_update()
        .select_related("tenant")
        .get(pk=programme.pk)
    )
    if child is not None:
        if child.guardian_id != actor.pk:
            raise NotFound()
        app = _create_application(actor=actor, p=p, participant=None, child=child,
                                  route=Application.Route.GUARDIAN,
                                  declare_priority=declare_priority, now=now)  # fmt: skip
    else:
        app = _create_application(actor=actor, p=p, participant=actor, child=None,
                                  route=Application.Route.SELF,
                                  declare_priority=declare_priority, now=now)  # fmt: skip
    _tell_applicant(app)
    return app


def nominable_students(teacher: User) -> Any:
    """Students at the schools where ``teacher`` teaches."""
    orgs = RoleAssignment.objects.filter(
        user=teacher, role=Role.TEACHER, is_active=True
    )
    return User.objects.filter(
        role_assignments__role=Role.STUDENT,
        role_assignments__is_active=True,
        role_assignments__organisation_id__in=orgs.values("organisation_id"),
        is_active=True,
    ).distinct()


@transaction.atomic
def application_nominate(
    *, actor: User, programme: Programme, student_ids: list[int],
    now: datetime | None = None,
) -> list[Application]:  # fmt: skip
    """A teacher nominates students of their own school; all or nothing."""
    now = now or timezone.now()
    if not actor.has_role(Role.TEACHER):
        raise PermissionDenied(_("Only teachers can nominate students."))
    if not student_ids:
        raise InvalidInput(
            field_errors={"students": [_("Choose at least one student.")]}
        )
    students = list(nominable_students(actor).filter(pk__in=student_ids).order_by("pk"))
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
            apps.append(_create_application(
                actor=actor, p=p, participant=student, child=None,
                route=Application.Route.NOMINATION, declare_priority=False, now=now))  # fmt: skip
        except DomainError as exc:
            raise DomainError(f"{student}: {exc.message}", code=exc.code) from exc
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
    audit_record(actor=actor, action="programme.withdraw", obj=app,
                 before={"status": before}, after={"status": app.status})  # fmt: skip
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
    now = now or timezone.now()
    app = _own_application(actor, application_id)
    if app.status != A.OFFERED:
        raise _refuse(_("There is no open offer to answer."), "no_offer")
    if app.offer_expires_at and app.offer_expires_at <= now:
        raise _refuse(_("The time to confirm this offer has passed."), "offer_expired")
    app.status = A.SELECTED if accept else A.DECLINED
    app.decided_at, app.offer_expires_at = now, None
    app.save(update_fields=["status", "decided_at", "offer_expires_at"])
    audit_record(actor=actor, action="programme.offer_answer", obj=app,
                 after={"status": app.status})  # fmt: skip
    if not accept:
        waitlist_promote(programme_id=app.programme_id, now=now)
    return app


@transaction.atomic
def application_set_priority(
    *, actor: User, application_id: int, priority: bool, programme_ids: Any
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
        raise _refuse(_("The draw has taken place; priority can no longer change."),
                      "already_drawn")  # fmt: skip
    before = app.priority
    app.priority = priority
    app.vulnerability_declaration = (
        f"flagged by staff {actor.pk} at {timezone.now().isoformat()}"
        if priority
        else ""
    )
    app.save(update_fields=["priority", "vulnerability_declaration"])
    audit_record(actor=actor, action="programme.priority", obj=app,
                 before={"priority": before}, after={"priority": priority})  # fmt: skip
    return app
