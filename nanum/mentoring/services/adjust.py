"""Staff adjust a proposed match by hand before publishing: ranked options, checks."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import DomainError, InvalidInput, NotFound
from nanum.core.models import User
from nanum.core.services import audit_record

from ..matching.score import block_reasons, block_scores, pair_details, prepare
from ..models import (
    Match,
    MatchRun,
    MenteeSurvey,
    MentorProfile,
    Mode,
    UnmatchedStudent,
)
from ..selectors import match_get, match_run_get
from ._common import require_staff
from .matching import (
    OPEN,
    PAIR_REASON_LABELS,
    _arrays,
    _district_index,
    _free_mentors,
    _why,
)


def mentor_options(
    survey: MenteeSurvey, *, limit: int = 50
) -> list[tuple[MentorProfile, int, dict[str, Any]]]:
    """Active mentors of the town with a free place who satisfy every hard rule for
    this student, best first: (mentor, score, why). For choosing a pair by hand."""
    mentors, free = _free_mentors(survey.tenant_id)
    if not mentors:
        return []
    st, mt = _arrays([survey], mentors, free, _district_index(survey.tenant_id))
    scores = block_scores(prepare(st, mt), np.arange(1))[0]
    order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0][
        :limit
    ]
    if not order:
        return []
    idx = np.array(order)
    shared, start, length, mode = pair_details(
        st, np.zeros(len(idx), dtype=np.intp), mt, idx
    )
    return [
        (
            mentors[i],
            int(scores[i]),
            _why(
                int(shared[j]),
                int(start[j]),
                int(length[j]),
                int(mode[j]),
                int(scores[i]),
            ),
        )
        for j, i in enumerate(order)
    ]


def pair_check(
    survey: MenteeSurvey, mentor: MentorProfile
) -> tuple[int, dict[str, Any]]:
    """Score and explanation of one pair chosen by hand; refuses a pair that breaks a
    hard rule, saying which."""
    if (
        survey.tenant_id != mentor.tenant_id
        or mentor.status != MentorProfile.Status.ACTIVE
    ):
        raise InvalidInput(
            field_errors={"mentor": [_("Choose an active mentor of this town.")]}
        )
    st, mt = _arrays([survey], [mentor], [1], _district_index(survey.tenant_id))
    p = prepare(st, mt)
    rows = np.arange(1)
    score = int(block_scores(p, rows)[0, 0])
    if score <= 0:
        reason = block_reasons(p, rows)[0]
        raise InvalidInput(
            field_errors={"mentor": [PAIR_REASON_LABELS.get(reason, reason)]}
        )
    shared, start, length, mode = pair_details(st, rows, mt, rows)
    return score, _why(
        int(shared[0]), int(start[0]), int(length[0]), int(mode[0]), score
    )


def _draft_match(actor: User, match_id: int) -> Match:
    match = match_get(actor=actor, match_id=match_id)
    require_staff(actor, match.tenant_id)
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related("survey", "run")
        .get(pk=match.pk)
    )
    if (
        match.status != Match.Status.PROPOSED
        or match.run is None
        or (match.run.status != MatchRun.Status.DRAFT)
    ):
        raise DomainError(
            _("Only proposed pairs of a draft run can be changed."), code="wrong_state"
        )
    return match


def _mentor_with_room(tenant_id: int, mentor_id: int) -> MentorProfile:
    mentor = (
        MentorProfile.objects.select_for_update()
        .filter(pk=mentor_id, tenant_id=tenant_id)
        .first()
    )
    if mentor is None:
        raise InvalidInput(
            field_errors={"mentor": [_("Choose an active mentor of this town.")]}
        )
    if Match.objects.filter(mentor=mentor, status__in=OPEN).count() >= mentor.capacity:
        raise InvalidInput(
            field_errors={"mentor": [_("This mentor has no free place.")]}
        )
    return mentor


@transaction.atomic
def match_adjust(*, actor: User, match_id: int, mentor_id: int) -> Match:
    """Staff give a proposed pair another mentor before publishing."""
    match = _draft_match(actor, match_id)
    mentor = _mentor_with_room(match.tenant_id, mentor_id)
    score, why = pair_check(match.survey, mentor)
    before = {"mentor": match.mentor_id}
    match.mentor, match.score, match.why, match.manual = mentor, score, why, True
    match.hour_of_week, match.mode = why["hour_of_week"], why["mode"]
    match.save()
    audit_record(
        actor=actor,
        action="mentoring.match.adjust",
        obj=match,
        tenant=match.tenant,
        before=before,
        after={"mentor": mentor.pk},
    )
    return match


@transaction.atomic
def match_remove(*, actor: User, match_id: int) -> None:
    match = _draft_match(actor, match_id)
    assert match.run is not None  # _draft_match refuses a pair without a run
    UnmatchedStudent.objects.create(
        run=match.run, survey=match.survey, reason="removed"
    )
    audit_record(
        actor=actor, action="mentoring.match.remove", obj=match, tenant=match.tenant
    )
    match.delete()


@transaction.atomic
def match_add_manual(
    *, actor: User, run_id: int, survey_id: int, mentor_id: int
) -> Match:
    run = match_run_get(actor=actor, run_id=run_id)
    require_staff(actor, run.tenant_id)
    if run.status != MatchRun.Status.DRAFT:
        raise DomainError(_("Only a draft run can be changed."), code="wrong_state")
    survey = MenteeSurvey.objects.filter(pk=survey_id, term=run.term).first()
    if survey is None:
        raise NotFound()
    if Match.objects.filter(
        student=survey.student, term=run.term, status__in=OPEN
    ).exists():
        raise DomainError(_("This student already has a pair."), code="already_matched")
    mentor = _mentor_with_room(run.tenant_id, mentor_id)
    score, why = pair_check(survey, mentor)
    try:
        with transaction.atomic():
            match = Match.objects.create(
                tenant_id=run.tenant_id,
                term=run.term,
                run=run,
                mentor=mentor,
                student=survey.student,
                survey=survey,
                score=score,
                why=why,
                manual=True,
                hour_of_week=why["hour_of_week"],
                mode=why["mode"],
                place=survey.place if why["mode"] == Mode.OFFLINE else "",
            )
    except IntegrityError as exc:
        raise DomainError(
            _("This student already has a pair."), code="already_matched"
        ) from exc
    UnmatchedStudent.objects.filter(run=run, survey=survey).delete()
    audit_record(
        actor=actor,
        action="mentoring.match.add",
        obj=match,
        tenant=run.tenant,
        after={"mentor": mentor.pk, "student": survey.student_id},
    )
    return match
