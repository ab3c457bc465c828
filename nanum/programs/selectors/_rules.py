"""Small read rules of the selectors (re-exported by ``selectors``): grades, audience,
who runs which organisation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from nanum.core.models import Organisation, Role, RoleAssignment, User
from nanum.core.tenancy import is_platform_admin

LEVEL_GRADES: dict[str, tuple[int, int]] = {
    Organisation.SchoolLevel.ELEMENTARY: (1, 6),
    Organisation.SchoolLevel.MIDDLE: (7, 9),
    Organisation.SchoolLevel.HIGH: (10, 12),
}


def school_year(today: date) -> int:
    """The Korean school year starts in March."""
    return today.year if today.month >= 3 else today.year - 1


def grade_from_birth_year(birth_year: int, today: date) -> int:
    """Grade 1–12 (elementary 1–6, middle 7–9, high 10–12), Korean school entry age."""
    return school_year(today) - birth_year - 6


def role_org(user: User, *roles: str) -> Organisation | None:
    ra = (
        RoleAssignment.objects.filter(user=user, role__in=roles, is_active=True)
        .select_related("organisation__district")
        .order_by("pk")
        .first()
    )
    return ra.organisation if ra else None


def grade_range_of_student(user: User, today: date) -> tuple[int, int] | None:
    """The student's grade (as a range of one) or the range their school level allows."""
    if user.birth_year:
        g = grade_from_birth_year(user.birth_year, today)
        return (g, g)
    org = role_org(user, Role.STUDENT)
    if org is not None and org.school_level in LEVEL_GRADES:
        return LEVEL_GRADES[org.school_level]
    return None


def grades_fit(lo: int | None, hi: int | None, have: tuple[int, int]) -> bool:
    lo = lo if lo is not None else 1
    hi = hi if hi is not None else 12
    return have[0] <= hi and have[1] >= lo


def applicant_need(user: User) -> Decimal | None:
    """The current need index of the user's school (the yearly import keeps it on
    the school, docs/insights.md), else that of its district, if known."""
    org = role_org(user, Role.STUDENT, Role.TEACHER, Role.GUARDIAN)
    if org is None:
        return None
    if org.need_index is not None:
        return org.need_index
    return org.district.need_index if org.district is not None else None


def managed_org_ids(actor: User) -> set[int] | None:
    """Organisations whose programmes and labs ``actor`` runs (None = all)."""
    if is_platform_admin(actor):
        return None
    ids = set(
        RoleAssignment.objects.filter(
            user=actor, role=Role.CENTRE_STAFF, is_active=True
        ).values_list("organisation_id", flat=True)
    )
    if ids:  # staff of a school also run its open lab
        ids |= set(
            Organisation.objects.filter(
                parent_id__in=ids, point_type=Organisation.PointType.OPEN_LAB
            ).values_list("pk", flat=True)
        )
    return ids


def is_organiser(actor: User) -> bool:
    if not actor.is_authenticated:
        return False
    ids = managed_org_ids(actor)
    return ids is None or bool(ids)
