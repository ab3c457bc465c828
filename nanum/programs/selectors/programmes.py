"""Reads with rules: the public listing, my applications, the organiser's view."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Avg, Count, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import Organisation, Role, RoleAssignment, User

from ..models import Application, Attendance, Certificate, Child, Programme, Session
from ._rules import managed_org_ids


@dataclass
class ListingFilters:
    q: str = ""
    kind: str = ""
    audience: str = ""
    grade: int | None = None
    organiser: int | None = None
    open_only: bool = False
    town: str = ""  # a town's (tenant's) path, e.g. "pyeongchang"


def programme_list(
    *, filters: ListingFilters | None = None, now: datetime | None = None
) -> QuerySet[Programme]:
    """Published programmes anyone may see, with the first session's start."""
    f = filters or ListingFilters()
    now = now or clock.now()
    qs = (
        Programme.objects.filter(status=Programme.Status.PUBLISHED)
        .select_related("organiser", "tenant")
        .annotate(first_start=Min("sessions__starts_at"))
    )
    if f.q:
        qs = qs.filter(
            Q(name_ko__icontains=f.q)
            | Q(name_en__icontains=f.q)
            | Q(description_ko__icontains=f.q)
            | Q(description_en__icontains=f.q)
        )
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.audience:
        qs = qs.filter(audience=f.audience)
    if f.grade:
        qs = qs.filter(Q(grade_min__isnull=True) | Q(grade_min__lte=f.grade)).filter(
            Q(grade_max__isnull=True) | Q(grade_max__gte=f.grade)
        )
    if f.organiser:
        qs = qs.filter(organiser_id=f.organiser)
    if f.town:
        qs = qs.filter(tenant__slug=f.town)
    if f.open_only:
        qs = qs.filter(apply_opens_at__lte=now, apply_closes_at__gt=now)
    return qs.order_by("apply_closes_at", "pk")


def programme_get(*, pk: int) -> Programme:
    p = programme_list().filter(pk=pk).first()
    if p is None:
        raise NotFound()
    return p


def seed_commitment(seed: int) -> str:
    """Published before the draw; the seed itself is revealed after it."""
    return hashlib.sha256(f"nanum-lottery:{seed}".encode()).hexdigest()


def sessions_of(programme: Programme) -> QuerySet[Session]:
    return programme.sessions.order_by("starts_at", "pk")


def seats_taken(programme: Programme) -> int:
    return programme.applications.filter(status__in=Application.HOLDS_PLACE).count()


def my_applications(*, actor: User) -> QuerySet[Application]:
    """Applications ``actor`` made (for themself or a child) or takes part in, each
    with ``attended`` (sessions marked present) and ``held`` (sessions begun so far)."""
    held = (
        Session.objects.filter(
            programme_id=OuterRef("programme_id"), starts_at__lte=clock.now()
        )
        .order_by()
        .values("programme_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Application.objects.filter(Q(participant=actor) | Q(applied_by=actor))
        .select_related("programme__organiser", "child", "participant", "certificate")
        .prefetch_related("survey")
        .annotate(
            attended=Count("attendance", filter=Q(attendance__present=True)),
            held=Coalesce(Subquery(held), 0),
        )
        .order_by("-created_at")
    )


def my_application_for(*, actor: User, programme: Programme) -> list[Application]:
    return list(my_applications(actor=actor).filter(programme=programme))


def my_application_get(*, actor: User, pk: int) -> Application:
    """One application ``actor`` made or takes part in; ``NotFound`` otherwise."""
    app = my_applications(actor=actor).filter(pk=pk).first()
    if app is None:
        raise NotFound()
    return app


def my_certificate_get(*, actor: User, application_id: int) -> Certificate:
    app = my_application_get(actor=actor, pk=application_id)
    cert: Certificate | None = getattr(app, "certificate", None)
    if cert is None:
        raise NotFound()
    return cert


def children_of(*, actor: User) -> list[Child]:
    """A guardian's children (nobody else has any)."""
    if not actor.is_authenticated or not actor.has_role(Role.GUARDIAN):
        return []
    return list(Child.objects.filter(guardian=actor).order_by("pk"))


def child_get(*, actor: User, pk: int) -> Child:
    child = Child.objects.filter(pk=pk, guardian=actor).first()
    if child is None:
        raise NotFound()
    return child


def nominable_students(teacher: User) -> QuerySet[User]:
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


# --- Certificates -------------------------------------------------------------------------


def certificate_verify(code: str) -> Certificate | None:
    """The valid certificate with this verification code, or None (a valid answer: the
    public check says "not valid")."""
    code = (code or "").strip().upper().replace(" ", "")
    if len(code) == 12 and "-" not in code:
        code = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    if len(code) != 14:
        return None
    return (
        Certificate.objects.select_related("application__programme__organiser")
        .filter(code=code, revoked_at__isnull=True)
        .first()
    )


def mask_name(name: str) -> str:
    """정학생 → 정*생; public pages never show a full name."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# --- Organiser ------------------------------------------------------------------------


def organiser_programmes(*, actor: User) -> QuerySet[Programme]:
    """Programmes of the organisations ``actor`` runs; nothing else, ever."""
    qs = Programme.objects.select_related("organiser")
    ids = managed_org_ids(actor)
    if ids is not None:
        qs = qs.filter(organiser_id__in=ids)
    return qs.annotate(
        n_applications=Count("applications", distinct=True),
        n_held=Count(
            "applications",
            filter=Q(applications__status__in=Application.HOLDS_PLACE),
            distinct=True,
        ),
        n_waiting=Count(
            "applications",
            filter=Q(applications__status=Application.Status.WAITLISTED),
            distinct=True,
        ),
    ).order_by("-apply_closes_at", "pk")


def organiser_programme_get(*, actor: User, pk: int) -> Programme:
    p = organiser_programmes(actor=actor).filter(pk=pk).first()
    if p is None:
        raise NotFound()
    return p


def organiser_session_get(
    *, actor: User, programme_id: int, session_id: int
) -> Session:
    """A session of a programme ``actor`` runs; ``NotFound`` otherwise."""
    p = organiser_programme_get(actor=actor, pk=programme_id)
    s = p.sessions.select_related("programme__tenant").filter(pk=session_id).first()
    if s is None:
        raise NotFound()
    return s


def organisers_for(*, actor: User) -> QuerySet[Organisation]:
    """Organisations (not schools) for which ``actor`` may create programmes."""
    ids = managed_org_ids(actor)
    qs = Organisation.objects.filter(is_active=True).exclude(
        kind=Organisation.Kind.SCHOOL
    )
    return qs if ids is None else qs.filter(pk__in=ids)


def organisation_get(*, pk: int) -> Organisation:
    """Any organisation by id (the create service then checks that ``actor`` runs it)."""
    org = Organisation.objects.filter(pk=pk).first()
    if org is None:
        raise NotFound()
    return org


def organiser_applications(*, programme: Programme) -> QuerySet[Application]:
    return programme.applications.select_related(
        "participant", "child", "applied_by", "certificate"
    ).order_by("status", "waitlist_position", "draw_rank", "created_at", "pk")


def attendance_counts(programme: Programme) -> dict[int, int]:
    """Per application: the sessions it was present at."""
    rows = (
        Attendance.objects.filter(session__programme=programme, present=True)
        .values("application_id")
        .annotate(n=Count("pk"))
    )
    return {r["application_id"]: r["n"] for r in rows}


def completed(attended: int, total: int, percent: int) -> bool:
    return total > 0 and attended * 100 >= total * percent


def attendance_grid(programme: Programme) -> dict[str, Any]:
    sessions = list(sessions_of(programme))
    present = set(
        programme.applications.filter(attendance__present=True).values_list(
            "pk", "attendance__session_id"
        )
    )
    return {"sessions": sessions, "present": present}


def survey_results(programme: Programme) -> dict[str, Any]:
    qs = programme.applications.filter(survey__isnull=False)
    agg = qs.aggregate(
        n=Count("survey"),
        overall=Avg("survey__overall"),
        content=Avg("survey__content"),
        instructor=Avg("survey__instructor"),
    )
    answers = qs.order_by("-survey__submitted_at").values_list(
        "survey__comment", flat=True
    )
    comments = [c for c in answers if c][:50]
    return {**agg, "comments": comments}


def dashboard_totals(programmes: QuerySet[Programme]) -> dict[str, int]:
    # Rows of organiser_programmes(), annotated with n_applications, n_held, n_waiting.
    rows: list[Any] = list(programmes)
    return {
        "programmes": len(rows),
        "applications": sum(p.n_applications for p in rows),
        "places": sum(p.capacity for p in rows),
        "held": sum(p.n_held for p in rows),
        "waiting": sum(p.n_waiting for p in rows),
    }


def attendance_rates(
    programmes: list[Any], now: datetime | None = None
) -> dict[int, int]:
    """Per programme: present records ÷ (confirmed participants × sessions held), in %."""
    now = now or clock.now()
    ids = [p.pk for p in programmes]
    held = dict(
        Session.objects.filter(programme_id__in=ids, starts_at__lte=now)
        .values_list("programme_id")
        .annotate(n=Count("pk"))
    )
    present = dict(
        Application.objects.filter(programme_id__in=ids, attendance__present=True)
        .values_list("programme_id")
        .annotate(n=Count("attendance"))
    )
    rates = {}
    for p in programmes:
        expected = held.get(p.pk, 0) * p.n_held
        if expected:
            rates[p.pk] = round(100 * present.get(p.pk, 0) / expected)
    return rates
