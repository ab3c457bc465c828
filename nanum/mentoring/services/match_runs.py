"""Batch matching runs: queue a run, claim it in the task, compute and store the
pairs (the solver's inputs are built in ``matching``)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.models import User
from nanum.core.services import audit_record, task_lease_seconds, tasks_enqueue

from .. import matching as solver

# services -> tasks is the documented cycle: a module import, resolved at call time.
from .. import tasks
from ..models import (
    Match,
    MatchRun,
    MenteeSurvey,
    MentorProfile,
    Mode,
    Term,
    UnmatchedStudent,
)
from ..selectors import mentee_eligible, term_get
from ._common import require_staff
from .matching import OPEN, _arrays, _district_index, _free_mentors, _why

logger = logging.getLogger(__name__)

TASTER_SESSIONS = 3

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
