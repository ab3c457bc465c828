"""Providers' lecture catalogues: a provider's own, and those a student's seat opens."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from nanum.core.models import Organisation, User

from ..models import ProviderLecture, Seat


@dataclass(frozen=True)
class SeatLecture:
    """A lecture the student may open through their active seat (``seat_id``)."""

    id: int
    title: str
    subject: str
    school_level: str
    grade: int | None
    standards: tuple[str, ...]
    provider_name: str
    seat_id: int


def provider_lectures(*, provider: Organisation) -> QuerySet[ProviderLecture]:
    """The catalogue of ``provider`` (one provider's only; see ``provider_get``)."""
    return ProviderLecture.objects.filter(provider=provider).order_by(
        "school_level", "grade", "subject", "title", "pk"
    )


def seat_lectures(
    *, student: User | int, school_level: str | None = None, limit: int = 500
) -> list[SeatLecture]:
    """Active lectures of the providers where ``student`` holds an active seat."""
    seats = dict(
        Seat.objects.filter(student=student, state=Seat.State.ACTIVE).values_list(
            "provider_id", "pk"
        )
    )
    if not seats:
        return []
    qs = ProviderLecture.objects.filter(
        provider_id__in=list(seats), active=True
    ).select_related("provider")
    if school_level:
        qs = qs.filter(school_level=school_level)
    return [
        SeatLecture(
            id=lec.pk,
            title=lec.title,
            subject=lec.subject,
            school_level=lec.school_level,
            grade=lec.grade,
            standards=tuple(str(s) for s in lec.standards or ()),
            provider_name=lec.provider.name,
            seat_id=seats[lec.provider_id],
        )
        for lec in qs.order_by("pk")[:limit]
    ]


def seat_lecture_url(*, seat: Seat, lecture_id: int) -> str | None:
    """The address of an active lecture of the seat's provider, else None."""
    return (
        ProviderLecture.objects.filter(
            pk=lecture_id, provider_id=seat.provider_id, active=True
        )
        .values_list("url", flat=True)
        .first()
    )
