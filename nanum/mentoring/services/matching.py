"""Surveys and batch matching runs (hand adjustments are in ``adjust``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound
from nanum.core.models import District, Organisation, Tenant, User
from nanum.core.services import audit_record

from .. import matching as solver
from ..models import (
    LEVEL_INDEX,
    MODE_BITS,
    SUBJECT_INDEX,
    Level,
    Match,
    MatchRun,
    MenteeSurvey,
    MentorProfile,
    Mode,
    Subject,
    Term,
    UnmatchedStudent,
)
from ..selectors import mentee_eligible, term_get
from ._common import clean_hours, clean_mode, clean_subjects, hour_label, require_staff

GENDER_BITS = {"": 0, "female": 1, "male": 2}
TASTER_SESSIONS = 3
COMMITTED_AFTER = 4  # held sessions before a second weekly session may be added
OPEN = [Match.Status.PROPOSED, Match.Status.ACTIVE]

REASON_LABELS = {
    "no_subject": _(
        "No mentor in this town teaches your subjects at your school level."
    ),
    "no_time": _("No mentor for your subjects is free at your times."),
    "no_mode": _(
        "No mentor for your subjects and times meets in your mode or reaches "
        "your district."
    ),
    "no_preference": _("No suitable mentor matches your stated preference."),
    "mentors_full": _("All suitable mentors are full."),
    "removed": _("Staff removed the proposed pair."),
}
PAIR_REASON_LABELS = {
    "no_subject": _(
        "This mentor does not teach the student's subjects at their level."
    ),
    "no_time": _("This mentor and the student have no free hour in common."),
    "no_mode": _("This mentor cannot meet the student in their mode or district."),
    "no_preference": _("This mentor does not match the student's stated preference."),
}


@transaction.atomic
def term_create(
    *, actor: User, tenant: Tenant, name: str, starts_on: date, ends_on: date
) -> Term:
    require_staff(actor, tenant.pk)
    if not (name or "").strip():
        raise InvalidInput(field_errors={"name": [_("Enter a name.")]})
    if ends_on < starts_on + timedelta(days=120):
        raise InvalidInput(
            field_errors={"ends_on": [_("A term lasts at least 4 months.")]}
        )
    term = Term.objects.create(
        tenant=tenant, name=name.strip()[:100], starts_on=starts_on, ends_on=ends_on
    )
    audit_record(actor=actor, action="mentoring.term.create", obj=term, tenant=tenant)
    return term


@dataclass
class SurveyInput:
    subjects: list[str]
    level: str
    availability: list[int]
    mode: str
    district_id: int | None = None
    place: str = ""
    mentor_gender: str = ""
    university_id: int | None = None
    wants_taster: bool = False
    notes: str = ""


@transaction.atomic
def survey_submit(*, actor: User, term_id: int, data: SurveyInput) -> MenteeSurvey:
    """An eligible student says what they need (a second submission updates it)."""
    term = Term.objects.select_related("tenant").filter(pk=term_id).first()
    if term is None or not mentee_eligible(actor, term.tenant_id):
        # a term of another town looks the same as no term at all
        raise NotFound(_("There is no mentoring term for you to join."))
    if term.ends_on < clock.today():
        raise DomainError(_("This term has ended."), code="term_ended")
    if data.level not in Level.values:
        raise InvalidInput(field_errors={"level": [_("Choose your school level.")]})
    if data.mentor_gender not in GENDER_BITS:
        raise InvalidInput(field_errors={"mentor_gender": [_("Choose from the list.")]})
    fields: dict[str, Any] = {
        "subjects": clean_subjects(data.subjects),
        "availability": clean_hours(data.availability),
        "mode": clean_mode(data.mode),
        "level": data.level,
        "place": (data.place or "").strip()[:200],
        "mentor_gender": data.mentor_gender,
        "wants_taster": bool(data.wants_taster),
        "notes": (data.notes or "").strip()[:1000],
        "district": None,
        "university": None,
    }
    if data.district_id:
        fields["district"] = District.objects.filter(
            pk=data.district_id, tenant_id=term.tenant_id
        ).first()
        if fields["district"] is None:
            raise InvalidInput(
                field_errors={"district": [_("Choose a district of your town.")]}
            )
    if fields["mode"] != Mode.ONLINE and fields["district"] is None:
        raise InvalidInput(
            field_errors={"district": [_("Choose your district to meet in person.")]}
        )
    if data.university_id:
        fields["university"] = Organisation.objects.filter(
            pk=data.university_id, kind=Organisation.Kind.UNIVERSITY
        ).first()
        if fields["university"] is None:
            raise InvalidInput(
                field_errors={"university": [_("Choose from the list.")]}
            )
    if Match.objects.filter(
        student=actor, term=term, status=Match.Status.ACTIVE
    ).exists():
        raise DomainError(
            _("You already have a mentor this term."), code="already_matched"
        )
    survey, created = MenteeSurvey.objects.update_or_create(
        student=actor,
        term=term,
        defaults={
            **fields,
            "tenant_id": term.tenant_id,
            "submitted_at": clock.now(),
        },
    )
    audit_record(
        actor=actor,
        action="mentoring.survey." + ("submit" if created else "update"),
        obj=survey,
        tenant=term.tenant,
        after={"subjects": survey.subjects, "mode": survey.mode},
    )
    return survey


# --- Arrays for the solver ----------------------------------------------------------


def _bits(codes: list[str], index: dict[str, int]) -> int:
    return sum(1 << index[c] for c in codes if c in index)


def _arrays(
    surveys: list[MenteeSurvey],
    mentors: list[MentorProfile],
    free: list[int],
    district_index: dict[int, int],
) -> tuple[solver.Students, solver.Mentors]:
    def reach(profile: MentorProfile) -> int:
        return sum(
            1 << district_index[d.pk]
            for d in profile.districts.all()
            if d.pk in district_index
        )

    st = solver.Students(
        town=np.zeros(len(surveys), dtype=np.int32),
        subjects=np.array(
            [_bits(s.subjects, SUBJECT_INDEX) for s in surveys], dtype=np.uint32
        ),
        primary=np.array(
            [SUBJECT_INDEX[s.subjects[0]] for s in surveys], dtype=np.int8
        ),
        level=np.array([LEVEL_INDEX[s.level] for s in surveys], dtype=np.int8),
        avail=np.array(
            [solver.hours_to_mask(s.availability) for s in surveys], dtype=np.uint64
        ).reshape(len(surveys), 3),
        mode=np.array([MODE_BITS[s.mode] for s in surveys], dtype=np.int8),
        district=np.array(
            [
                district_index.get(s.district_id, -1) if s.district_id else -1
                for s in surveys
            ],
            dtype=np.int16,
        ),
        gender_pref=np.array(
            [GENDER_BITS[s.mentor_gender] for s in surveys], dtype=np.int8
        ),
        university_pref=np.array(
            [s.university_id or -1 for s in surveys], dtype=np.int32
        ),
    )
    mt = solver.Mentors(
        town=np.zeros(len(mentors), dtype=np.int32),
        subjects=np.array(
            [_bits(m.subjects, SUBJECT_INDEX) for m in mentors], dtype=np.uint32
        ),
        levels=np.array(
            [_bits(m.levels, LEVEL_INDEX) for m in mentors], dtype=np.uint8
        ),
        avail=np.array(
            [solver.hours_to_mask(m.availability) for m in mentors], dtype=np.uint64
        ).reshape(len(mentors), 3),
        mode=np.array([MODE_BITS[m.mode] for m in mentors], dtype=np.int8),
        districts=np.array([reach(m) for m in mentors], dtype=np.uint64),
        home_district=np.full(len(mentors), -1, dtype=np.int16),
        capacity=np.array(free, dtype=np.int32),
        gender=np.array([GENDER_BITS[m.gender] for m in mentors], dtype=np.int8),
        university=np.array([m.university_id for m in mentors], dtype=np.int32),
    )
    return st, mt


def _district_index(tenant_id: int) -> dict[int, int]:
    ids = (
        District.objects.filter(tenant_id=tenant_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return {pk: i for i, pk in enumerate(list(ids)[:64])}


def _why(
    shared: int, start: int, hours: int, mode_bit: int, score: int
) -> dict[str, Any]:
    subjects = [code for code, i in SUBJECT_INDEX.items() if shared >> i & 1]
    mode = Mode.OFFLINE if mode_bit == solver.MODE_OFFLINE else Mode.ONLINE
    return {
        "subjects": subjects,
        "hour_of_week": start,
        "hours": hours,
        "mode": str(mode),
        "score": score,
    }


def why_text(why: dict[str, Any]) -> str:
    """A one-line, translated explanation of a pair."""
    labels = dict(Subject.choices)
    subjects = ", ".join(str(labels.get(s, s)) for s in why.get("subjects", []))
    mode = dict(Mode.choices).get(why.get("mode", ""), "")
    return str(
        _("%(subjects)s · %(slot)s (%(hours)s h free together) · %(mode)s")
        % {
            "subjects": subjects,
            "slot": hour_label(int(why.get("hour_of_week", 0))),
            "hours": why.get("hours", 1),
            "mode": mode,
        }
    )


def _free_mentors(tenant_id: int) -> tuple[list[MentorProfile], list[int]]:
    mentors, free = [], []
    for profile in (
        MentorProfile.objects.filter(
            tenant_id=tenant_id, status=MentorProfile.Status.ACTIVE
        )
        .prefetch_related("districts")
        .order_by("pk")
    ):
        load = Match.objects.filter(mentor=profile, status__in=OPEN).count()
        if profile.capacity > load:
            mentors.append(profile)
            free.append(profile.capacity - load)
    return mentors, free


@transaction.atomic
def match_run_create(*, actor: User, term_id: int) -> MatchRun:
    """Batch-match every waiting student of the term to mentors with free places.

    Pairs that already exist stay as they are (so this is also the rematch after a
    mentor leaves); a previous draft run of the term is discarded.
    """
    term = term_get(actor=actor, term_id=term_id)
    require_staff(actor, term.tenant_id)
    Term.objects.select_for_update().get(pk=term.pk)  # one run per term at a time
    for old in MatchRun.objects.filter(term=term, status=MatchRun.Status.DRAFT):
        Match.objects.filter(run=old, status=Match.Status.PROPOSED).delete()
        old.status = MatchRun.Status.DISCARDED
        old.save(update_fields=["status"])
    taken = Match.objects.filter(term=term, status__in=OPEN).values("student_id")
    surveys = list(
        MenteeSurvey.objects.filter(term=term)
        .exclude(student_id__in=taken)
        .select_related("student")
        .order_by("pk")
    )
    surveys = [s for s in surveys if mentee_eligible(s.student, term.tenant_id)]
    mentors, free = _free_mentors(term.tenant_id)
    st, mt = _arrays(surveys, mentors, free, _district_index(term.tenant_id))
    result = solver.solve(st, mt)
    run = MatchRun.objects.create(
        tenant_id=term.tenant_id,
        term=term,
        created_by=actor,
        objective=result.objective,
        certified=result.certified,
        stats={
            "students": len(surveys),
            "mentors": len(mentors),
            "pairs": len(result.pairs),
            "edges": result.edges,
            "rounds": result.rounds,
            "seconds": round(sum(result.timings.values()), 3),
        },
    )
    matches = []
    for pair in result.pairs:
        survey, mentor = surveys[pair.student], mentors[pair.mentor]
        why = _why(pair.subjects, pair.start_hour, pair.hours, pair.mode, pair.score)
        matches.append(
            Match(
                tenant_id=term.tenant_id,
                term=term,
                run=run,
                mentor=mentor,
                student=survey.student,
                survey=survey,
                score=pair.score,
                why=why,
                kind=Match.Kind.TASTER if survey.wants_taster else Match.Kind.REGULAR,
                taster_sessions=TASTER_SESSIONS if survey.wants_taster else None,
                hour_of_week=pair.start_hour,
                mode=why["mode"],
                place=survey.place if why["mode"] == Mode.OFFLINE else "",
            )
        )
    Match.objects.bulk_create(matches)
    UnmatchedStudent.objects.bulk_create(
        [
            UnmatchedStudent(
                run=run,
                survey=surveys[i],
                reason=reason,
                detail={"subjects": surveys[i].subjects},
            )
            for i, reason in sorted(result.unmatched.items())
        ]
    )
    audit_record(
        actor=actor,
        action="mentoring.run.create",
        obj=run,
        tenant=term.tenant,
        after={**run.stats, "objective": run.objective, "certified": run.certified},
    )
    return run
