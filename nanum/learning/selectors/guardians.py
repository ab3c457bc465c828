"""What a guardian and an officer read about children under 14: the checks an
application still lacks, and a guardian's view of one child's progress."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import Notification, User

from ..models import Application, Document, GuardianLink, Seat, Status, StudyDay
from ..models.applications import ChildSignIn
from ._rules import mileage_of
from .members import services_offered_to
from .students import streak
from .towns import offered_providers, service_page_url

GUARDIAN_CONSENT_AGE = 14


def _under_14(app: Application) -> bool:
    return app.submitted_at.year - app.birth_year < GUARDIAN_CONSENT_AGE


def guardian_checks_missing(app: Application) -> list[str]:
    """What an under-14 application still lacks before approval: "document" (the
    family-relationship certificate) and/or "consent" (the guardian's)."""
    return guardian_checks_for([app]).get(app.pk, [])


def guardian_checks_for(apps: Iterable[Application]) -> dict[int, list[str]]:
    """The same for a page of applications, in one query (the officer's queue)."""
    young = [a for a in apps if _under_14(a)]
    if not young:
        return {}
    with_doc = set(
        Document.objects.filter(
            application_id__in=[a.pk for a in young],
            kind=Document.Kind.RELATIONSHIP,
        ).values_list("application_id", flat=True)
    )
    out: dict[int, list[str]] = {}
    for a in young:
        missing = []
        if a.pk not in with_doc:
            missing.append("document")
        if a.guardian_id is None or a.guardian_consent_at is None:
            missing.append("consent")
        if missing:
            out[a.pk] = missing
    return out


def guarded_child_get(*, actor: User, child_id: int) -> GuardianLink:
    """The actor's link to one child (someone else's child is not found)."""
    link = (
        GuardianLink.objects.filter(guardian=actor, child_id=child_id)
        .select_related("child", "confirmed_by")
        .first()
    )
    if link is None:
        raise NotFound()
    return link


def child_progress(*, actor: User, child_id: int) -> dict[str, Any]:
    """Everything Seoul Learn shows a guardian about one linked child: applications,
    seat and site, study time by week, streak, mileage, sign-in, notifications, and
    the services the child's towns offer (``services``; the page links to mentoring
    and to camps only where one of them offers it, as the menu does)."""
    link = guarded_child_get(actor=actor, child_id=child_id)
    child = link.child
    today = clock.today()
    apps = list(
        Application.objects.filter(student=child)
        .select_related("tenant")
        .defer("full_name", "phone", "address", "category", "sensitive")
        .order_by("-submitted_at")[:5]
    )
    member = next((a for a in apps if a.status == Status.APPROVED), None)
    days = dict(
        (d, a + b)
        for d, a, b in StudyDay.objects.filter(
            student=child, day__gte=today - timedelta(days=365)
        ).values_list("day", "nanum_minutes", "provider_minutes")
    )
    week_start = today - timedelta(days=today.weekday())
    totals: list[tuple[date, int]] = []
    for i in range(7, -1, -1):
        start = week_start - timedelta(weeks=i)
        totals.append(
            (start, sum(days.get(start + timedelta(days=k), 0) for k in range(7)))
        )
    peak = max([m for _s, m in totals] + [1])
    weeks = [
        {"start": s, "minutes": m, "pct": round(100 * m / peak)} for s, m in totals
    ]
    year_minutes = sum(m for d, m in days.items() if d.year == today.year)
    services = sorted(services_offered_to(child))
    seat = (
        Seat.objects.filter(student=child, state=Seat.State.ACTIVE)
        .select_related("provider", "tenant")
        .first()
    )
    return {
        "link": link,
        "child": child,
        "applications": apps,
        "member": member,
        "seat": seat,
        "providers": offered_providers(tenant_id=member.tenant_id) if member else [],
        "weeks": weeks,
        "this_week": totals[-1][1],
        "year_minutes": year_minutes,
        "mileage": mileage_of(year_minutes),
        "streak": streak({d for d, m in days.items() if m > 0}, today),
        "services": services,
        "camps_url": (
            service_page_url("camp", town=member.tenant.slug if member else "")
            if "camp" in services
            else ""
        ),
        "sign_in": ChildSignIn.objects.filter(child=child).first(),
        "has_password": child.has_usable_password(),
        "notifications": list(
            Notification.objects.filter(
                Q(user=child)
                | Q(
                    user=actor,
                    url__in=[
                        reverse("learning:my_application", args=[a.pk]) for a in apps
                    ],
                )
            )
            .order_by("-created_at")
            .values("subject", "url", "created_at")[:10]
        ),
    }
