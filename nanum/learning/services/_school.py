"""Rules of an application: school level, grade and birth year agree; a child
under 14 is approved only with the relationship certificate and guardian consent."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError

from ..models import SchoolLevel

# Grades of each school level, and the age (school year minus birth year) of grade 1:
# a child born in 2017 starts elementary school in March 2024.
GRADES = {
    SchoolLevel.ELEMENTARY: 6,
    SchoolLevel.MIDDLE: 3,
    SchoolLevel.HIGH: 3,
}
FIRST_GRADE_AGE = {
    SchoolLevel.ELEMENTARY: 7,
    SchoolLevel.MIDDLE: 13,
    SchoolLevel.HIGH: 16,
}
GRADE_TOLERANCE = 1  # early or late school entry, a repeated year


def school_year(today: date) -> int:
    """The Korean school year starts in March."""
    return today.year if today.month >= 3 else today.year - 1


def school_fit_errors(
    level: str, grade: int | None, birth_year: int
) -> dict[str, list[Any]]:
    """School level, grade and birth year must agree (one year either way)."""
    if level not in GRADES:
        if grade is not None:
            return {"grade": [_("Leave the grade empty for a student not in school.")]}
        return {}
    top = GRADES[SchoolLevel(level)]
    if grade is not None and not 1 <= grade <= top:
        msg: Any = (
            _("Elementary school has grades 1 to 6.")
            if top == 6
            else _("Middle and high school have grades 1 to 3.")
        )
        return {"grade": [msg]}
    expected = (
        school_year(clock.today())
        - birth_year
        - FIRST_GRADE_AGE[SchoolLevel(level)]
        + 1
    )
    grades = [grade] if grade is not None else list(range(1, top + 1))
    if any(abs(g - expected) <= GRADE_TOLERANCE for g in grades):
        return {}
    label = SchoolLevel(level).label
    if 1 <= expected <= top:
        msg = _(
            "A student born in %(year)s is usually in grade %(grade)s of "
            "%(level)s this school year. Check the birth year, school level and grade."
        ) % {"year": birth_year, "grade": expected, "level": label}
    else:
        msg = _(
            "A student born in %(year)s is not of %(level)s age. Check the birth "
            "year and the school level."
        ) % {"year": birth_year, "level": label}
    return {"grade" if grade is not None else "school_level": [msg]}


class GuardianChecksMissing(DomainError):
    status = 422
    code = "guardian_checks_missing"
    default_message = _(
        "A child under 14 needs the family-relationship certificate and the "
        "guardian's consent before approval."
    )


def missing_message(missing: list[str]) -> Promise:
    if missing == ["document"]:
        return _(
            "This child is under 14: approval needs the family-relationship "
            "certificate, which is missing. Ask the guardian for it with “Ask for "
            "more documents”."
        )
    if missing == ["consent"]:
        return _(
            "This child is under 14: approval needs the guardian's consent, which is "
            "missing. Only a linked guardian can apply and consent for the child."
        )
    return _(
        "This child is under 14: approval needs the family-relationship certificate "
        "and the guardian's consent, and both are missing."
    )
