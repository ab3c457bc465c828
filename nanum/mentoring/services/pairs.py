"""Pairs after a run: publishing, ending, tasters and the second weekly session."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, PermissionDenied
from nanum.core.models import User
from nanum.core.services import audit_record, notification_send
from nanum.learning import services as learning_services

from ..models import Match, MatchRun, Session
from ..selectors import match_get, match_run_get
from ._common import require_staff
from .matching import COMMITTED_AFTER, why_text
from .sessions import sessions_schedule


@transaction.atomic
def match_run_publish(*, actor: User, run_id: int) -> MatchRun:
    run = match_run_get(actor=actor, run_id=run_id)
    require_staff(actor, run.tenant_id)
    run = (
        MatchRun.objects.select_for_update(of=("self",))
        .select_related("term")
        .get(pk=run.pk)
    )
    if run.status != MatchRun.Status.DRAFT:
        raise DomainError(
            _("This run was already published or discarded."), code="wrong_state"
        )
    start = max(clock.today() + timedelta(days=1), run.term.starts_on)
    for match in run.matches.filter(status=Match.Status.PROPOSED).select_related(
        "mentor__user", "student"
    ):
        match.status, match.started_on = Match.Status.ACTIVE, start
        match.save(update_fields=["status", "started_on"])
        sessions_schedule(match, start=start, count=match.taster_sessions)
        for user in (match.student, match.mentor.user):
            notification_send(
                user=user,
                kind="mentoring.matched",
                subject=_("You have a new mentoring pair"),
                body=why_text(match.why),
                url="/mentoring/",
            )
    run.status, run.published_at = MatchRun.Status.PUBLISHED, clock.now()
    run.save(update_fields=["status", "published_at"])
    audit_record(
        actor=actor,
        action="mentoring.run.publish",
        obj=run,
        tenant=run.tenant,
        after={"pairs": run.matches.count()},
    )
    return run


def end_match(*, match: Match, actor: User, reason: str) -> None:
    match.status, match.ended_at, match.end_reason = (
        Match.Status.ENDED,
        clock.now(),
        reason,
    )
    match.save(update_fields=["status", "ended_at", "end_reason"])
    Session.objects.filter(
        match=match, status=Session.Status.SCHEDULED, starts_at__gt=clock.now()
    ).update(status=Session.Status.CANCELLED)
    learning_services.home_touch(student_ids=[match.student_id], steps=False)
    audit_record(
        actor=actor,
        action="mentoring.match.end",
        obj=match,
        tenant=match.tenant,
        after={"reason": reason},
    )
    notification_send(
        user=match.student,
        kind="mentoring.ended",
        subject=_("Your mentoring pair has ended"),
        body=_("Staff will find you a new mentor."),
    )


def _member_match(actor: User, match_id: int) -> Match:
    match = match_get(actor=actor, match_id=match_id)
    if actor.pk not in (match.student_id, match.mentor.user_id):
        raise PermissionDenied()
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("mentor", "survey", "term")
        .get(pk=match.pk)
    )


@transaction.atomic
def match_taster_decide(*, actor: User, match_id: int, keep: bool) -> Match:
    """After the taster sessions the student or mentor keeps the pair or ends it."""
    match = _member_match(actor, match_id)
    if match.kind != Match.Kind.TASTER or match.status != Match.Status.ACTIVE:
        raise DomainError(_("This is not an active taster pair."), code="wrong_state")
    if not keep:
        end_match(match=match, actor=actor, reason="taster_declined")
        return match
    last = match.sessions.order_by("-starts_at").first()
    start = (last.starts_at.date() + timedelta(days=1)) if last else clock.today()
    match.kind, match.taster_sessions = Match.Kind.REGULAR, None
    match.save(update_fields=["kind", "taster_sessions"])
    sessions_schedule(match, start=start)
    audit_record(
        actor=actor, action="mentoring.match.commit", obj=match, tenant=match.tenant
    )
    return match


@transaction.atomic
def match_add_second_session(*, actor: User, match_id: int, hour_of_week: int) -> Match:
    """A committed mentee gets a second weekly session at another common hour."""
    match = match_get(actor=actor, match_id=match_id)
    if actor.pk != match.mentor.user_id:
        require_staff(actor, match.tenant_id)
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related("mentor", "survey")
        .get(pk=match.pk)
    )
    if match.status != Match.Status.ACTIVE or match.kind != Match.Kind.REGULAR:
        raise DomainError(
            _("Only an active regular pair can add a session."), code="wrong_state"
        )
    if match.second_hour_of_week is not None:
        raise DomainError(
            _("This pair already meets twice a week."), code="wrong_state"
        )
    held = match.sessions.filter(status=Session.Status.HELD).count()
    if held < COMMITTED_AFTER:
        raise DomainError(
            _("A second weekly session needs %(n)s sessions held first.")
            % {"n": COMMITTED_AFTER},
            code="not_committed",
        )
    if (
        not isinstance(hour_of_week, int)
        or not 0 <= hour_of_week < 168
        or hour_of_week not in match.survey.availability
        or hour_of_week not in match.mentor.availability
    ):
        raise InvalidInput(
            field_errors={
                "hour_of_week": [_("Choose an hour when both of you are free.")]
            }
        )
    if hour_of_week // 24 == match.hour_of_week // 24:
        raise InvalidInput(
            field_errors={"hour_of_week": [_("Choose another day of the week.")]}
        )
    match.second_hour_of_week = hour_of_week
    match.save(update_fields=["second_hour_of_week"])
    sessions_schedule(
        match, start=clock.today() + timedelta(days=1), hour_of_week=hour_of_week
    )
    audit_record(
        actor=actor,
        action="mentoring.match.second_session",
        obj=match,
        tenant=match.tenant,
        after={"hour_of_week": hour_of_week},
    )
    return match


@transaction.atomic
def match_set_meeting(
    *, actor: User, match_id: int, online_link: str = "", place: str = ""
) -> Match:
    """The mentor (or staff) sets where the weekly session happens."""
    match = match_get(actor=actor, match_id=match_id)
    if actor.pk != match.mentor.user_id:
        require_staff(actor, match.tenant_id)
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status != Match.Status.ACTIVE:
        raise DomainError(_("This pair is no longer active."), code="wrong_state")
    online_link, place = (online_link or "").strip(), (place or "").strip()
    if online_link and not online_link.startswith("https://"):
        raise InvalidInput(field_errors={"online_link": [_("Enter an https:// link.")]})
    if len(online_link) > 200 or len(place) > 200:
        raise InvalidInput(field_errors={"place": [_("At most 200 characters.")]})
    before = {"online_link": match.online_link, "place": match.place}
    match.online_link, match.place = online_link, place
    match.save(update_fields=["online_link", "place"])
    audit_record(
        actor=actor,
        action="mentoring.match.meeting",
        obj=match,
        tenant=match.tenant,
        before=before,
        after={"online_link": online_link, "place": place},
    )
    return match
