"""Opening a student's mastery map: one service for the page and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest

from nanum.core.models import User
from nanum.core.services import access_record

from .. import selectors


@dataclass
class MasteryMap:
    student: User
    estimator: str
    rows: list[selectors.MasteryRow]
    basis: selectors.EstimateBasis


@transaction.atomic
def mastery_map_open(
    *, actor: User, student_id: int, request: HttpRequest | None = None
) -> MasteryMap:
    """A student's mastery map for an allowed viewer (else NotFound); a map opened
    by someone other than the student goes to the access log."""
    student = selectors.mastery_student_get(actor=actor, student_id=student_id)
    estimator, rows, basis = selectors.mastery_map(student)
    if student.pk != actor.pk:
        access_record(
            actor=actor,
            action="view",
            subject=student,
            object_type="learner_model.mastery",
            object_id=str(student.pk),
            tenant=student.home_tenant,
            request=request,
        )
    return MasteryMap(student=student, estimator=estimator, rows=rows, basis=basis)
