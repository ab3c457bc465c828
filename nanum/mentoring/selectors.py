"""Reads of mentoring with their rules: who may see which mentor, pair, session, slot."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import Role, Tenant, User
from nanum.core.tenancy import is_platform_admin, tenant_ids_for
from nanum.learning import selectors as learning_selectors

from .models import (
    CounsellingBooking,
    CounsellingSlot,
    Level,
    Match,
    MatchRun,
    MenteeSurvey,
    MentorDocument,
    MentorProfile,
    ProblemReport,
    Session,
    Term,
)

STAFF_ROLES = (Role.TENANT_OFFICER,)

_M = TypeVar("_M", bound=Model)


def mentee_eligible(user: User | None, tenant: Tenant | int) -> bool:
    """THE rule for who may be a mentee: a live Seoul Learn member of a town that
    offers mentoring (``nanum.learning``). Every mentee check goes through here."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    return learning_selectors.tenant_offers_mentoring(
        tenant=tenant_id
    ) and learning_selectors.is_active_member(user=user, tenant=tenant_id)


def mentee_tenants(user: User) -> list[Tenant]:
    """Towns where ``user`` may be a mentee (usually one)."""
    out = []
    for tenant in Tenant.objects.filter(status=Tenant.Status.ACTIVE):
        if learning_selectors.member_users(tenant=tenant).filter(
            pk=user.pk
        ).exists() and mentee_eligible(user, tenant):
            out.append(tenant)
    return out


def counselling_eligible(user: User | None, tenant: Tenant | int) -> bool:
    """Who may book counselling: a live member of a town that switched counselling on
    (independent of mentoring; e.g. Pyeongchang's career and admissions consulting)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    return learning_selectors.tenant_offers(
        tenant=tenant_id, service="counselling"
    ) and learning_selectors.is_active_member(user=user, tenant=tenant_id)


def counselling_tenants(user: User) -> list[Tenant]:
    """Towns where ``user`` may book counselling."""
    return [
        t
        for t in Tenant.objects.filter(status=Tenant.Status.ACTIVE)
        if counselling_eligible(user, t)
    ]


def counselling_offered(tenant: Tenant | int) -> bool:
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    return learning_selectors.tenant_offers(tenant=tenant_id, service="counselling")


def is_staff_for(actor: User | None, tenant_id: int) -> bool:
    ids = tenant_ids_for(actor, *STAFF_ROLES)
    return ids is None or tenant_id in ids


def staff_tenant_ids(actor: User | None) -> set[int] | None:
    """Towns whose mentoring ``actor`` runs (None: all, for administrators)."""
    return tenant_ids_for(actor, *STAFF_ROLES)


def _scoped(
    qs: QuerySet[_M], actor: User | None, field: str = "tenant"
) -> QuerySet[_M]:
    ids = staff_tenant_ids(actor)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


# --- Mentors ---------------------------------------------------------------------


def mentor_profiles_for_staff(
    actor: User, *, status: str = ""
) -> QuerySet[MentorProfile]:
    qs = _scoped(
        MentorProfile.objects.select_related("user", "university", "tenant"), actor
    )
    return qs.filter(status=status) if status else qs


def mentor_profile_get(*, actor: User, profile_id: int) -> MentorProfile:
    """A mentor application in one of ``actor``'s towns (staff)."""
    profile = mentor_profiles_for_staff(actor).filter(pk=profile_id).first()
    if profile is None:
        raise NotFound()
    return profile


def mentor_document_get(*, actor: User, document_id: int) -> MentorDocument:
    """A document of a mentor application: the mentor's own, or one of an
    application in the staff's towns. Anyone else: not found."""
    doc = (
        MentorDocument.objects.select_related("mentor__user", "mentor__tenant")
        .filter(pk=document_id)
        .first()
    )
    if doc is None or not (
        doc.mentor.user_id == actor.pk
        or mentor_profiles_for_staff(actor).filter(pk=doc.mentor_id).exists()
    ):
        raise NotFound()
    return doc


def own_mentor_profiles(user: User) -> QuerySet[MentorProfile]:
    return MentorProfile.objects.filter(user=user).select_related(
        "tenant", "university"
    )


def own_mentor_profile_get(*, actor: User, profile_id: int) -> MentorProfile:
    """One of ``actor``'s own mentor applications."""
    profile = own_mentor_profiles(actor).filter(pk=profile_id).first()
    if profile is None:
        raise NotFound()
    return profile


def tenant_get(*, slug: str) -> Tenant:
    """A town by its slug (to apply to mentor there)."""
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise NotFound()
    return tenant


def active_tenants() -> QuerySet[Tenant]:
    """Towns one may apply to mentor in."""
    return Tenant.objects.filter(status=Tenant.Status.ACTIVE)


def staff_tenants(actor: User) -> list[Tenant]:
    """Towns whose mentoring ``actor`` runs (every town for administrators)."""
    ids = staff_tenant_ids(actor)
    qs = Tenant.objects.all() if ids is None else Tenant.objects.filter(pk__in=ids)
    return list(qs)


def terms_for_staff(actor: User) -> QuerySet[Term]:
    return _scoped(Term.objects.select_related("tenant"), actor)


def term_get(*, actor: User, term_id: int) -> Term:
    """A term in one of ``actor``'s towns (staff)."""
    term = terms_for_staff(actor).filter(pk=term_id).first()
    if term is None:
        raise NotFound()
    return term


def open_terms(tenant: Tenant | int) -> QuerySet[Term]:
    return Term.objects.filter(tenant=tenant, ends_on__gte=clock.today())


def survey_term_get(*, actor: User, term_id: int) -> Term:
    """A term ``actor`` may fill the mentee survey for; another town's term is the
    same "not found" as no term at all."""
    term = Term.objects.select_related("tenant").filter(pk=term_id).first()
    if term is None or not mentee_eligible(actor, term.tenant_id):
        raise NotFound()
    return term


def own_survey(*, actor: User, term: Term) -> MenteeSurvey | None:
    """``actor``'s survey for ``term``, if they filled one (None: not yet)."""
    return term.surveys.filter(student=actor).first()


def match_run_get(*, actor: User, run_id: int) -> MatchRun:
    """A batch run in one of ``actor``'s towns (staff)."""
    run = (
        _scoped(MatchRun.objects.select_related("term", "tenant"), actor)
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise NotFound()
    return run


def surveys_for_staff(actor: User, term: Term) -> QuerySet[MenteeSurvey]:
    return _scoped(MenteeSurvey.objects.filter(term=term), actor).select_related(
        "student"
    )


def survey_get(*, actor: User, term: Term, survey_id: int) -> MenteeSurvey:
    """A mentee survey of ``term`` in one of ``actor``'s towns (staff)."""
    survey = surveys_for_staff(actor, term).filter(pk=survey_id).first()
    if survey is None:
        raise NotFound()
    return survey


# --- Pairs: a mentor sees only their own mentees ----------------------------------


def matches_visible(actor: User) -> QuerySet[Match]:
    """Pairs ``actor`` may see: their own as mentor or mentee, or their towns' as staff."""
    qs = Match.objects.select_related("mentor__user", "student", "term", "tenant")
    if is_platform_admin(actor):
        return qs
    staff_ids = staff_tenant_ids(actor) or set()
    return qs.filter(
        Q(mentor__user=actor)
        | Q(student=actor, status__in=[Match.Status.ACTIVE, Match.Status.ENDED])
        | Q(tenant_id__in=staff_ids)
    )


def match_get(*, actor: User, match_id: int) -> Match:
    match = matches_visible(actor).filter(pk=match_id).first()
    if match is None:
        raise NotFound()
    return match


def is_active_mentor_of(*, mentor: User, student: User | int) -> bool:
    """Whether ``mentor`` is ``student``'s mentor in an active match now."""
    student_id = student if isinstance(student, int) else student.pk
    return Match.objects.filter(
        mentor__user=mentor, student_id=student_id, status=Match.Status.ACTIVE
    ).exists()


def my_mentees(actor: User) -> QuerySet[Match]:
    return (
        Match.objects.filter(mentor__user=actor, status=Match.Status.ACTIVE)
        .select_related("student", "term", "tenant")
        .order_by("hour_of_week")
    )


def my_mentor_matches(actor: User) -> QuerySet[Match]:
    return Match.objects.filter(
        student=actor, status__in=[Match.Status.ACTIVE, Match.Status.ENDED]
    ).select_related("mentor__user", "mentor__university", "term")


def session_get(*, actor: User, session_id: int) -> Session:
    session = (
        Session.objects.select_related("match__mentor__user", "match__student")
        .filter(pk=session_id, match__in=matches_visible(actor))
        .first()
    )
    if session is None:
        raise NotFound()
    return session


def mentor_session_get(*, actor: User, session_id: int) -> Session:
    """A session of a pair ``actor`` mentors (to file its report)."""
    session = session_get(actor=actor, session_id=session_id)
    if actor.pk != session.match.mentor.user_id:
        raise NotFound()
    return session


def mentee_session_get(*, actor: User, session_id: int) -> Session:
    """A session of ``actor``'s own pair as a mentee (to rate it)."""
    session = session_get(actor=actor, session_id=session_id)
    if actor.pk != session.match.student_id:
        raise NotFound()
    return session


def upcoming_sessions(matches: list[Match], *, limit: int = 8) -> list[Session]:
    """The next scheduled sessions of these pairs: only those still ahead, soonest
    first."""
    return list(
        Session.objects.filter(
            match__in=matches,
            starts_at__gt=clock.now(),
            status=Session.Status.SCHEDULED,
        )
        .select_related("match__student", "match__mentor__user")
        .order_by("starts_at", "pk")[:limit]
    )


def problems_for_staff(actor: User) -> QuerySet[ProblemReport]:
    return _scoped(ProblemReport.objects.select_related("reporter", "match"), actor)


# --- Counselling ------------------------------------------------------------------


def open_slots(tenant: Tenant | int) -> QuerySet[CounsellingSlot]:
    """Slots of ``tenant`` still ahead and free to book, soonest first."""
    return (
        CounsellingSlot.objects.filter(
            tenant=tenant, is_cancelled=False, starts_at__gt=clock.now()
        )
        .exclude(bookings__status=CounsellingBooking.Status.BOOKED)
        .select_related("counsellor")
        .order_by("starts_at", "pk")
    )


def counsellor_slots(actor: User) -> QuerySet[CounsellingSlot]:
    """``actor``'s own slots, soonest first."""
    return (
        CounsellingSlot.objects.filter(counsellor=actor)
        .prefetch_related("bookings__student")
        .order_by("starts_at", "pk")
    )


def my_bookings(actor: User) -> QuerySet[CounsellingBooking]:
    return CounsellingBooking.objects.filter(student=actor).select_related(
        "slot__counsellor"
    )


def booking_get(*, actor: User, booking_id: int) -> CounsellingBooking:
    """Only the student and the counsellor of a booking may see it (and its notes)."""
    booking = (
        CounsellingBooking.objects.select_related("slot__counsellor", "student")
        .filter(pk=booking_id)
        .filter(Q(student=actor) | Q(slot__counsellor=actor))
        .first()
    )
    if booking is None:
        raise NotFound()
    return booking


# --- For the insights app (equity dashboards) ---------------------------------------


def equity_mentor_rows() -> list[dict[str, object]]:
    """Every mentee survey (a request for a mentor) in a term: tenant, student, level,
    district, whether a pair was published and whether a session was held."""
    paired: dict[tuple[int, int], bool] = {}
    matches = Match.objects.filter(
        status__in=[Match.Status.ACTIVE, Match.Status.ENDED]
    ).values_list("term_id", "student_id", "pk")
    held = set(
        Session.objects.filter(status=Session.Status.HELD)
        .values_list("match_id", flat=True)
        .distinct()
    )
    for term_id, student_id, match_id in matches:
        key = (term_id, student_id)
        paired[key] = paired.get(key, False) or match_id in held
    rows: list[dict[str, object]] = []
    for survey in MenteeSurvey.objects.select_related("term").only(
        "tenant_id", "student_id", "level", "district_id", "term__starts_on"
    ):
        key = (survey.term_id, survey.student_id)
        rows.append(
            {
                "tenant_id": survey.tenant_id,
                "school_id": None,
                "school_level": survey.level,
                "district_id": survey.district_id,
                "person_id": survey.student_id,
                "category": survey.level,
                "day": survey.term.starts_on,
                "requested": 1,
                "allocated": 1 if key in paired else 0,
                "used": 1 if paired.get(key) else 0,
            }
        )
    return rows


def equity_category_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in Level.choices}
