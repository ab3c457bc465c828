"""Usage reports from providers, and the towns' use rules (inactivity, monthly minimum)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nanum.core import clock, spreadsheets
from nanum.core.errors import InvalidInput
from nanum.core.models import Organisation, User
from nanum.core.services import audit_record
from nanum.core.spreadsheets import ReadLimits

from ..models import Application, Seat, Status, StudyDay, TenantPolicy, UsageRecord
from ..selectors import provider_get
from ._common import notify_bulk
from .applications import _end
from .home import home_touch
from .quota import places_allocate
from .seats import seat_release_rows

MAX_ROWS = 50_000


USAGE_LIMITS = ReadLimits(max_rows=MAX_ROWS, max_columns=20, max_seconds=4.0)


def usage_parse_csv(raw: bytes) -> list[dict[str, Any]]:
    """Read ``ref,date,minutes`` rows (UTF-8, header required), streamed and bounded
    by the shared reader: at most 50,000 rows; a header without rows is refused."""
    return spreadsheets.read_table(
        raw, "usage.csv", limits=USAGE_LIMITS, required=("ref", "date", "minutes")
    )


def _validate(
    provider: Organisation, rows: list[dict[str, Any]]
) -> tuple[list[tuple[Seat, date, int]], dict[str, list[Any]]]:
    refs = {str(r.get("ref", "")) for r in rows}
    seats = {
        s.ref: s
        for s in Seat.objects.filter(provider=provider, ref__in=refs).only(
            "id", "ref", "student_id", "tenant_id", "assigned_at", "provider_id"
        )
    }
    errors: dict[str, list[Any]] = {}
    good: list[tuple[Seat, date, int]] = []
    seen: set[tuple[str, date]] = set()
    latest = clock.today()
    earliest = latest - timedelta(days=400)
    for n, row in enumerate(rows, start=2):  # line 1 is the header
        problems: list[Any] = []
        seat = seats.get(str(row.get("ref", "")))
        if seat is None:
            problems.append(_("unknown seat reference"))
        try:
            day = date.fromisoformat(str(row.get("date", "")))
            if not earliest <= day <= latest:
                problems.append(_("date out of range"))
        except ValueError:
            day = None
            problems.append(_("date must be YYYY-MM-DD"))
        try:
            minutes = int(str(row.get("minutes", "")))
            if not 0 <= minutes <= 1440:
                problems.append(_("minutes must be 0 to 1440"))
        except ValueError:
            minutes = -1
            problems.append(_("minutes must be a whole number"))
        if seat is not None and day is not None:
            if (seat.ref, day) in seen:
                problems.append(_("the same seat and date appear twice"))
            seen.add((seat.ref, day))
        if problems or seat is None or day is None:
            errors[gettext("line %(n)s") % {"n": n}] = problems
        else:
            good.append((seat, day, minutes))
    return good, errors


@transaction.atomic
def usage_import(
    *, actor: User, rows: list[dict[str, Any]], provider_id: int | None = None
) -> int:
    """Store reported minutes. Any bad row: nothing is stored and every bad row is named."""
    provider = provider_get(actor=actor, provider_id=provider_id)
    if not rows:
        raise InvalidInput(field_errors={"file": [_("There are no rows.")]})
    good, errors = _validate(provider, rows)
    if errors:
        raise InvalidInput(
            _("Nothing was imported. Fix these rows and send the whole file again."),
            code="bad_usage_rows",
            field_errors=errors,
        )
    now = clock.now()
    UsageRecord.objects.bulk_create(
        [
            UsageRecord(
                seat=s,
                provider=provider,
                tenant_id=s.tenant_id,
                student_id=s.student_id,
                day=d,
                minutes=m,
                reported_at=now,
            )
            for s, d, m in good
        ],
        update_conflicts=True,
        unique_fields=["seat", "day"],
        update_fields=["minutes", "reported_at"],
        batch_size=2000,
    )
    _refresh_study_days({(s.student_id, d) for s, d, _m in good})
    last: dict[int, date] = {}
    for s, d, m in good:
        if m > 0 and (s.pk not in last or d > last[s.pk]):
            last[s.pk] = d
    for seat_id, d in last.items():
        Seat.objects.filter(pk=seat_id).filter(
            Q(last_used_on__isnull=True) | Q(last_used_on__lt=d)
        ).update(last_used_on=d, warned_at=None)
    audit_record(
        actor=actor,
        action="learning.usage.import",
        object_type="learning.UsageRecord",
        after={"rows": len(good), "provider": provider.pk},
    )
    return len(good)


def _refresh_study_days(pairs: set[tuple[int, date]]) -> None:
    if not pairs:
        return
    students = {p[0] for p in pairs}
    days = {p[1] for p in pairs}
    totals: dict[tuple[int, date], int] = defaultdict(int)
    for sid, d, m in UsageRecord.objects.filter(
        student_id__in=students, day__in=days
    ).values_list("student_id", "day", "minutes"):
        if (sid, d) in pairs:
            totals[(sid, d)] += m
    StudyDay.objects.bulk_create(
        [
            StudyDay(student_id=s, day=d, provider_minutes=totals[(s, d)])
            for s, d in pairs
        ],
        update_conflicts=True,
        unique_fields=["student", "day"],
        update_fields=["provider_minutes"],
        batch_size=2000,
    )
    # their homes show the provider's minutes at the next visit
    home_touch(student_ids=students, steps=False, create=False)


def inactivity_sweep(*, on: date | None = None) -> dict[str, int]:
    """Warn seats unused for the town's warn days; reclaim those unused past reclaim days.

    A reclaimed seat ends the membership's place, which goes to the waiting list.
    """
    on = on or clock.today()
    warned = reclaimed = 0
    for policy in TenantPolicy.objects.all():
        active = Seat.objects.filter(
            tenant_id=policy.tenant_id, state=Seat.State.ACTIVE
        )
        warn_before = on - timedelta(days=policy.inactivity_warn_days)
        reclaim_before = on - timedelta(days=policy.inactivity_reclaim_days)
        stale = Q(last_used_on__lt=warn_before) | Q(
            last_used_on__isnull=True, assigned_at__date__lt=warn_before
        )
        to_warn = list(
            active.filter(stale, warned_at__isnull=True).values_list("pk", "student_id")
        )
        if to_warn:
            Seat.objects.filter(pk__in=[p for p, _s in to_warn]).update(
                warned_at=clock.now()
            )
            notify_bulk(
                [s for _p, s in to_warn],
                kind="learning.inactive",
                subject=_("You have not studied for a while"),
                body=_(
                    "If you do not use your seat, it will be given to someone waiting."
                ),
                url="/learning/me/",
            )
            warned += len(to_warn)
        gone = Q(last_used_on__lt=reclaim_before) | Q(
            last_used_on__isnull=True, assigned_at__date__lt=reclaim_before
        )
        grace = clock.now() - timedelta(days=3)
        for seat in active.filter(gone, warned_at__lt=grace).select_related(
            "application"
        )[:5000]:
            with transaction.atomic():
                app = Application.objects.select_for_update().get(
                    pk=seat.application_id
                )
                if app.status == Status.APPROVED:
                    _end(app, Status.EXPIRED, "inactive")
                    audit_record(actor=None, action="learning.seat.reclaim", obj=seat)
                    notify_bulk(
                        [seat.student_id],
                        kind="learning.inactive",
                        subject=_("Your seat was given to someone waiting"),
                    )
                    reclaimed += 1
        if reclaimed:
            places_allocate(tenant_ids=[policy.tenant_id])
    return {"warned": warned, "reclaimed": reclaimed}


def monthly_minimum_check(*, on: date | None = None) -> dict[str, int]:
    """Members under the town's minimum last month: warned once, then restricted."""
    on = on or clock.today()
    month_end = on.replace(day=1) - timedelta(days=1)
    month_start = month_end.replace(day=1)
    this_month = timezone.make_aware(datetime.combine(on.replace(day=1), time.min))
    warned = restricted = 0
    for policy in TenantPolicy.objects.filter(min_monthly_minutes__gt=0):
        members = Application.objects.filter(
            tenant_id=policy.tenant_id,
            status=Status.APPROVED,
            restricted_at__isnull=True,
            place_since__date__lt=month_start,
        )
        minutes = dict(
            StudyDay.objects.filter(
                student_id__in=members.values("student_id"),
                day__gte=month_start,
                day__lte=month_end,
            )
            .values_list("student_id")
            .annotate(m=Sum("provider_minutes") + Sum("nanum_minutes"))
            .values_list("student_id", "m")
        )
        low = [
            (a, s, w)
            for a, s, w in members.values_list("pk", "student_id", "usage_warned_at")
            if (minutes.get(s) or 0) < policy.min_monthly_minutes
        ]
        # Warned before this month's check: restricted now. Warned by this month's
        # check (a repeated run the same month): left alone, so running the check
        # twice never turns this month's warning into a restriction.
        first = [a for a, _s, w in low if w is None]
        again = [a for a, _s, w in low if w is not None and w < this_month]
        now = clock.now()
        with transaction.atomic():  # the mark and its notices commit together
            Application.objects.filter(pk__in=first).update(usage_warned_at=now)
            notify_bulk(
                [s for _a, s, w in low if w is None],
                kind="learning.low_use",
                subject=_("You studied less than your town's monthly minimum"),
                url="/learning/me/",
            )
        if again:
            chosen = set(again)
            with transaction.atomic():
                Application.objects.filter(pk__in=again).update(
                    restricted_at=now, updated_at=now
                )
                seat_release_rows(
                    list(
                        Seat.objects.filter(
                            application_id__in=again, state=Seat.State.ACTIVE
                        )
                    ),
                    reason="restricted",
                )
                notify_bulk(
                    [s for a, s, _w in low if a in chosen],
                    kind="learning.low_use",
                    subject=_("Your seat is paused because of low use"),
                    url="/learning/me/",
                )
        warned += len(first)
        restricted += len(again)
    return {"warned": warned, "restricted": restricted}
