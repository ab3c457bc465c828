"""Template helpers: explain an application's outcome to the applicant."""

from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from nanum.programs.models import Application

register = template.Library()
S = Application.Status


@register.filter
def why(app: Application) -> str:
    """One sentence that says what happened and why, in the user's language."""
    p = app.programme
    if app.status == S.SUBMITTED:
        when = formats.date_format(
            timezone.localtime(p.apply_closes_at), "DATETIME_FORMAT"
        )
        return _(
            "Places are drawn by lottery after applications close on %(when)s."
        ) % {"when": when}
    if app.status == S.SELECTED:
        if app.via == Application.Via.FCFS:
            return _("Places went in order of application and a place was free.")
        if app.via == Application.Via.PRIORITY:
            return _(
                "You were drawn number %(rank)s and had a place reserved for priority "
                "applicants (%(pct)s%% of places)."
            ) % {"rank": app.draw_rank, "pct": int(p.priority_share * 100)}
        if app.via == Application.Via.GENERAL:
            return _("You were drawn number %(rank)s, within the %(cap)s places.") % {
                "rank": app.draw_rank,
                "cap": p.capacity,
            }
        if app.via == Application.Via.WAITLIST:
            return _("A place became free and you confirmed it from the waiting list.")
    if app.status == S.WAITLISTED:
        if app.draw_rank:
            return _(
                "You were drawn number %(rank)s; all %(cap)s places went to applicants drawn "
                "earlier (or to priority applicants). You are number %(pos)s on the waiting "
                "list and will be offered a place if one becomes free."
            ) % {"rank": app.draw_rank, "cap": p.capacity, "pos": app.waitlist_position}
        return _(
            "All places were taken when you applied. You are number %(pos)s on the waiting "
            "list and will be offered a place if one becomes free."
        ) % {"pos": app.waitlist_position}
    if app.status == S.OFFERED and app.offer_expires_at:
        when = formats.date_format(
            timezone.localtime(app.offer_expires_at), "DATETIME_FORMAT"
        )
        return _(
            "A place became free. Confirm by %(when)s or it goes to the next person."
        ) % {"when": when}
    if app.status == S.EXPIRED:
        return _("The offer was not confirmed in time, so it went to the next person.")
    if app.status == S.DECLINED:
        return _("You declined the offered place.")
    if app.status == S.WITHDRAWN:
        return _("The application was withdrawn.")
    return ""


@register.filter
def attended(present: set[tuple[int, int]], key: str) -> bool:
    app_id, session_id = (int(x) for x in key.split(":"))
    return (app_id, session_id) in present
