"""Reads of the need index: schools, their history and how each year was computed."""

from __future__ import annotations

from django.db.models import QuerySet

from nanum.core.errors import NotFound
from nanum.core.models import Organisation, User
from nanum.core.tenancy import scope_to_actor

from ..models import NeedIndexRecord


def school_list(*, actor: User, query: str = "") -> QuerySet[Organisation]:
    """Schools of the tenants ``actor`` may see, with their current need index."""
    qs = scope_to_actor(
        Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, is_active=True),
        actor,
    ).select_related("district")
    if query:
        qs = qs.filter(name_ko__icontains=query) | qs.filter(name_en__icontains=query)
    return qs.order_by("-need_index", "name_ko")


def school_get(*, actor: User, school_id: int) -> Organisation:
    school = school_list(actor=actor).filter(pk=school_id).first()
    if school is None:
        raise NotFound()
    return school


def need_history(*, school: Organisation) -> list[NeedIndexRecord]:
    return list(NeedIndexRecord.objects.filter(school=school).order_by("-year"))
