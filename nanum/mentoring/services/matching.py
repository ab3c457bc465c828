"""Surveys and batch matching runs (hand adjustments are in ``adjust``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound
from nanum.core.models import District, Organisation, Tenant, User
from nanum.core.services import audit_record, task_lease_seconds, tasks_enqueue

from .. import matching as solver

# services -> tasks is the documented cycle: a module import, resolved at call time.
from .. import tasks
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

logger = logging.getLogger(__name__)

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


RUN_NOTE_LABELS = {
    "no_students": _(
        "No student is waiting for a mentor: no eligible student without a pair "
        "filled the survey for this term."
    ),
    "no_mentors": _("No active mentor of this town has a free place."),
    "no_pairs": _(
        "No student and mentor keep every rule together (subject and level, a "
        "common hour, mode and district, preferences): see the reasons below."
    ),
    "failed": _("The match could not be computed. Start a new run, or tell support."),
    "replaced": _("A newer run of this term replaced this one before it finished."),
}


def run_note_text(run: MatchRun) -> str:
    """Why a run ended with no pairs or failed, in the user's language ("" if none)."""
    return str(RUN_NOTE_LABELS.get(run.note, "")) if run.note else ""


@transaction.atomic
def _run_queue(*, actor: User, term_id: int) -> MatchRun:
    term = term_get(actor=actor, term_id=term_id)
    require_staff(actor, term.tenant_id)
    Term.objects.select_for_update().get(pk=term.pk)  # one run per term at a time
    for old in MatchRun.objects.filter(term=term, status=MatchRun.Status.DRAFT):
        Match.objects.filter(run=old, status=Match.Status.PROPOSED).delete()
        old.status = MatchRun.Status.DISCARDED
        if not old.finished:  # its task will find it discarded and do nothing
            old.progress, old.note = MatchRun.Progress.FAILED, "replaced"
            old.finished_at = clock.now()
        old.save(update_fields=["status", "progress", "note", "finished_at"])
    run = MatchRun.objects.create(
        tenant_id=term.tenant_id,
        term=term,
        created_by=actor,
        progress=MatchRun.Progress.QUEUED,
    )
    audit_record(
        actor=actor, action="mentoring.run.create", obj=run, tenant=term.tenant
    )
    tasks_enqueue(tasks.match_run_compute, run.pk)
    return run


def match_run_create(*, actor: User, term_id: int) -> MatchRun:
    """Start a batch match of every waiting student of the term (a background task).

    The run is created *queued*; ``match_run_compute`` (the task) matches and stores
    the pairs, and the run page shows its progress. Pairs that already exist stay as
    they are (so this is also the rematch after a mentor leaves); a previous draft
    run of the term is discarded.
    """
    run = _run_queue(actor=actor, term_id=term_id)
    run.refresh_from_db()  # the task may already have run (immediate backend)
    return run


def _run_stage(run_id: int, stage: str) -> None:
    MatchRun.objects.filter(pk=run_id, progress=MatchRun.Progress.RUNNING).update(
        stage=stage
    )


@transaction.atomic
def _run_claim(run_id: int) -> MatchRun | None:
    """Take the run for this worker: a queued run, or one whose worker died (running
    past the task lease). ``None`` if it is finished, discarded or being computed."""
    run = MatchRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status != MatchRun.Status.DRAFT or run.finished:
        return None
    if run.progress == MatchRun.Progress.RUNNING:
        lease = timedelta(seconds=task_lease_seconds("default"))
        if run.started_at and run.started_at > clock.now() - lease:
            return None  # another worker is on it
    run.progress, run.stage = MatchRun.Progress.RUNNING, MatchRun.Stage.LOADING
    run.started_at = clock.now()
    run.save(update_fields=["progress", "stage", "started_at"])
    return run


def match_run_compute(*, run_id: int) -> str:
    """The task body: match the run's term and store the pairs; returns the progress.

    Safe to run twice: a finished or discarded run is left as it is, and a run that
    another worker is computing is not touched.
    """
    run = _run_claim(run_id)
    if run is None:
        return "skipped"
    try:
        _run_compute(run)
    except Exception:
        logger.exception("mentoring match run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id, progress=MatchRun.Progress.RUNNING).update(
            progress=MatchRun.Progress.FAILED,
            note="failed",
            finished_at=clock.now(),
        )
        return str(MatchRun.Progress.FAILED)
    return str(MatchRun.Progress.DONE)


def _waiting(term: Term) -> list[MenteeSurvey]:
    taken = Match.objects.filter(term=term, status__in=OPEN).values("student_id")
    surveys = list(
        MenteeSurvey.objects.filter(term=term)
        .exclude(student_id__in=taken)
        .select_related("student")
        .order_by("pk")
    )
    return [s for s in surveys if mentee_eligible(s.student, term.tenant_id)]


def _run_compute(run: MatchRun) -> None:
    term = run.term
    surveys = _waiting(term)
    mentors, free = _free_mentors(term.tenant_id)
    st, mt = _arrays(surveys, mentors, free, _district_index(term.tenant_id))
    _run_stage(run.pk, MatchRun.Stage.MATCHING)
    result = solver.solve(st, mt)
    _run_stage(run.pk, MatchRun.Stage.SAVING)
    _run_save(run.pk, surveys, mentors, free, result)


@transaction.atomic
def _run_save(
    run_id: int,
    surveys: list[MenteeSurvey],
    mentors: list[MentorProfile],
    free: list[int],
    result: solver.MatchResult,
) -> None:
    run = MatchRun.objects.select_related("term__tenant").get(pk=run_id)
    term = run.term
    Term.objects.select_for_update().get(pk=term.pk)  # no new run or pair meanwhile
    run = MatchRun.objects.select_for_update().get(pk=run_id)
    if run.status != MatchRun.Status.DRAFT or run.progress != MatchRun.Progress.RUNNING:
        return  # replaced by a newer run while computing
    # staff may have paired someone by hand while the solver ran: keep their pairs
    taken = set(
        Match.objects.filter(term=term, status__in=OPEN).values_list(
            "student_id", flat=True
        )
    )
    room = dict(zip([m.pk for m in mentors], free, strict=True))
    capacity = {m.pk: m.capacity for m in mentors}
    for mentor_id, load in (
        Match.objects.filter(mentor_id__in=room, status__in=OPEN)
        .order_by()
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
    ):
        room[mentor_id] = min(room[mentor_id], capacity[mentor_id] - load)
    matches = []
    for pair in result.pairs:
        survey, mentor = surveys[pair.student], mentors[pair.mentor]
        if survey.student_id in taken or room[mentor.pk] <= 0:
            continue
        room[mentor.pk] -= 1
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
    if not surveys:
        run.note = "no_students"
    elif not mentors:
        run.note = "no_mentors"
    elif not matches:
        run.note = "no_pairs"
    run.objective = sum(m.score for m in matches)
    run.certified = result.certified and len(matches) == len(result.pairs)
    run.upper_bound = result.upper_bound if run.certified else None
    run.stats = {
        "students": len(surveys),
        "mentors": len(mentors),
        "pairs": len(matches),
        "edges": result.edges,
        "rounds": result.rounds,
        "seconds": round(sum(result.timings.values()), 3),
    }
    run.progress, run.stage = MatchRun.Progress.DONE, MatchRun.Stage.WAITING
    run.finished_at = clock.now()
    run.save()
    audit_record(
        actor=None,
        action="mentoring.run.compute",
        obj=run,
        tenant=term.tenant,
        after={**run.stats, "objective": run.objective, "certified": run.certified},
    )
