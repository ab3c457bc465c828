"""iCalendar feeds of programme sessions (RFC 5545, via icalendar)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, Event

from nanum.core import clock

from ..models import Programme, Session


def _event(p: Programme, s: Session) -> Event:
    ev = Event()
    ev.add("uid", f"programme-{p.pk}-session-{s.pk}@nanum")
    ev.add("dtstamp", clock.now())
    ev.add("dtstart", s.starts_at)
    ev.add("dtend", s.ends_at)
    ev.add("summary", f"{p.name} · {p.organiser.name}")
    ev.add("location", s.place or s.online_url)
    ev.add("description", p.description[:1000])
    return ev


def ical_response(programmes: Iterable[Programme], filename: str) -> HttpResponse:
    cal = Calendar()
    cal.add("prodid", "-//Nanum//programmes//KO")
    cal.add("version", "2.0")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    items = list(programmes)
    sessions = Session.objects.filter(programme__in=items).order_by("starts_at")
    by_pk = {p.pk: p for p in items}
    for s in sessions:
        cal.add_component(_event(by_pk[s.programme_id], s))
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response
