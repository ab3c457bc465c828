"""What a person may do on a programme's page, and why not: the one place the page asks
before it offers a button (the services still enforce every rule on POST)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.models import Role, User

from ..models import Application, Child, Programme
from ._rules import grade_range_of_student, grades_fit

A = Application.Status
STATUS_REASONS: dict[str, Any] = {
    A.SELECTED: _("Already selected"),
    A.OFFERED: _("A place is offered to you: answer it in My applications"),
    A.SUBMITTED: _("Already applied: waiting for the draw"),
    A.WAITLISTED: _("Already on the waiting list"),
}


@dataclass(frozen=True)
class ApplyOptions:
    """``can_apply``: offer the Apply form; otherwise ``reason`` says why not.
    ``children``: the children a guardian may still apply for. ``waitlist``: the
    places are taken, so applying joins the waiting list."""

    can_apply: bool
    reason: Any = ""
    children: list[Child] = field(default_factory=list)
    can_nominate: bool = False
    waitlist: bool = False
    sign_in: bool = False


def _closed_reason(p: Programme, now: datetime) -> Any:
    if p.status != Programme.Status.PUBLISHED:
        return _("Not taking applications")
    if now < p.apply_opens_at:
        opens = timezone.localtime(p.apply_opens_at).strftime("%Y-%m-%d %H:%M")
        return _("Applications open on %(date)s") % {"date": opens}
    if now >= p.apply_closes_at:
        return _("Applications are closed")
    return ""


def _self_reason(actor: User, p: Programme, now: datetime) -> Any:
    """Why ``actor`` cannot apply for themselves ("" when they can)."""
    aud = Programme.Audience
    if actor.home_tenant_id != p.tenant_id:
        return _("For people in %(town)s") % {"town": p.tenant.name}
    if p.audience == aud.TEACHERS:
        return "" if actor.has_role(Role.TEACHER) else _("For teachers only")
    if p.audience == aud.FAMILIES:
        return _("For families: a guardian applies with a child")
    if not actor.has_role(Role.STUDENT):
        return _("For students only")
    have = grade_range_of_student(actor, timezone.localdate(now))
    if have is None:
        return _("Your school grade is not recorded; ask your school")
    if not grades_fit(p.grade_min, p.grade_max, have):
        return _("For grades %(lo)s to %(hi)s") % {
            "lo": p.grade_min or 1,
            "hi": p.grade_max or 12,
        }
    return ""


def programme_apply_options(
    *,
    actor: User | None,
    programme: Programme,
    mine: list[Application],
    children: list[Child],
    taken: int,
    now: datetime | None = None,
) -> ApplyOptions:
    """Whether the page offers Apply (and nominate) to ``actor``, or the reason not."""
    p = programme
    now = now or clock.now()
    closed = _closed_reason(p, now)
    is_teacher = bool(actor is not None and actor.has_role(Role.TEACHER))
    can_nominate = (
        not closed
        and is_teacher
        and p.audience == Programme.Audience.STUDENTS
        and actor is not None
        and actor.home_tenant_id == p.tenant_id
    )
    if closed:
        return ApplyOptions(can_apply=False, reason=closed)
    waitlist = p.selection == Programme.Selection.FCFS and taken >= p.capacity
    if actor is None:
        return ApplyOptions(can_apply=True, sign_in=True, waitlist=waitlist)
    own = next((a for a in mine if a.participant_id == actor.pk), None)
    applied_children = {a.child_id for a in mine if a.child_id}
    free_children = (
        [c for c in children if c.pk not in applied_children]
        if p.audience != Programme.Audience.TEACHERS
        and actor.home_tenant_id == p.tenant_id
        else []
    )
    if free_children:
        return ApplyOptions(
            can_apply=True,
            children=free_children,
            can_nominate=can_nominate,
            waitlist=waitlist,
        )
    if own is not None and own.status in Application.ACTIVE:
        return ApplyOptions(
            can_apply=False,
            reason=STATUS_REASONS[own.status],
            can_nominate=can_nominate,
        )
    if own is not None:
        return ApplyOptions(
            can_apply=False,
            reason=_("You already applied (%(status)s)")
            % {"status": own.get_status_display()},
            can_nominate=can_nominate,
        )
    reason = _self_reason(actor, p, now)
    if reason and children and len(children) == len(applied_children):
        reason = _("Each of your children has already applied")
    return ApplyOptions(
        can_apply=not reason,
        reason=reason,
        can_nominate=can_nominate,
        waitlist=waitlist,
    )


@dataclass(frozen=True)
class OrganiserActions:
    """Which lifecycle buttons the organiser page offers; a reason for the others."""

    draw: bool
    draw_reason: Any
    promote: bool
    certificates: bool
    certificates_reason: Any


def programme_organiser_actions(
    *, programme: Programme, now: datetime | None = None
) -> OrganiserActions:
    p = programme
    now = now or clock.now()
    published = p.status == Programme.Status.PUBLISHED
    lottery = p.selection == Programme.Selection.LOTTERY
    draw_reason: Any = ""
    if lottery and not p.drawn_at and now < p.apply_closes_at:
        closes = timezone.localtime(p.apply_closes_at).strftime("%Y-%m-%d %H:%M")
        draw_reason = _("The draw can run after applications close (%(date)s).") % {
            "date": closes
        }
    draw = lottery and not p.drawn_at and published and not draw_reason
    held = p.applications.filter(status__in=Application.HOLDS_PLACE).count()
    promote = (
        published
        and (not lottery or p.drawn_at is not None)
        and held < p.capacity
        and p.applications.filter(status=A.WAITLISTED).exists()
    )
    last_end = p.sessions.order_by("-ends_at").values_list("ends_at", flat=True).first()
    cert_reason: Any = ""
    if last_end is None or last_end > now:
        cert_reason = _("Certificates can be issued after the last session.")
    return OrganiserActions(
        draw=draw,
        draw_reason=draw_reason,
        promote=promote,
        certificates=not cert_reason,
        certificates_reason=cert_reason,
    )
