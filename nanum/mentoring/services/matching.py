"""The solver's inputs and the explanations of its pairs and refusals, shared by
batch runs (``match_runs``) and hand adjustments (``adjust``)."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.utils.translation import gettext_lazy as _

from nanum.core.models import District

from .. import matching as solver
from ..models import (
    LEVEL_INDEX,
    MODE_BITS,
    SUBJECT_INDEX,
    Match,
    MenteeSurvey,
    MentorProfile,
    Mode,
    Subject,
)
from ._common import hour_label
from .surveys import GENDER_BITS

# re-export: the old path services.matching.SurveyInput (nanum/mentoring/demo.py)
from .surveys import SurveyInput as SurveyInput

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
