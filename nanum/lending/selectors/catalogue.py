"""Reads of the catalogue and the network: equipment models, banks and schools."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from nanum.core.errors import NotFound
from nanum.core.models import Organisation, User

from ..models import EquipmentModel
from .roles import BANK_KINDS, actor_tenant_ids, staff_bank_ids, teacher_school_ids


def model_list(
    *, actor: User, q: str = "", category: str = "", grade: int | None = None
) -> QuerySet[EquipmentModel]:
    # One filter() of one Q: each filter() call copies the query, and this runs on
    # every search (twice when the count is read).
    where = Q(is_active=True)
    tenants = actor_tenant_ids(actor)
    if tenants is not None:
        where &= Q(tenant_id__in=tenants)
    if q:
        where &= (
            Q(name_ko__icontains=q)
            | Q(name_en__icontains=q)
            | Q(code__icontains=q)
            | Q(maker__icontains=q)
        )
    if category:
        where &= Q(category=category)
    if grade:
        where &= Q(min_grade__lte=grade, max_grade__gte=grade)
    qs = EquipmentModel.objects.filter(where)
    return qs.order_by("category", "name_ko", "pk")


def model_get(*, actor: User, model_id: int) -> EquipmentModel:
    m = model_list(actor=actor).filter(pk=model_id).first()
    if m is None:
        raise NotFound()
    return m


def bank_list(
    *, actor: User | None, tenant_id: int | None = None
) -> list[Organisation]:
    qs = Organisation.objects.filter(
        kind=Organisation.Kind.BANK, is_active=True
    ).select_related("parent", "district")
    tenants = actor_tenant_ids(actor)
    if tenants is not None:
        qs = qs.filter(tenant_id__in=tenants)
    if tenant_id:
        qs = qs.filter(tenant_id=tenant_id)
    return list(qs.order_by("name_ko"))


def staff_banks(*, actor: User) -> list[Organisation]:
    ids = staff_bank_ids(actor)
    qs = Organisation.objects.filter(kind__in=BANK_KINDS, is_active=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return list(qs.order_by("kind", "name_ko"))


def school_list(*, actor: User) -> QuerySet[Organisation]:
    """Schools for which ``actor`` may book (every school for administrators)."""
    ids = teacher_school_ids(actor)
    qs = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
    return qs if ids is None else qs.filter(pk__in=ids)


def bank_choices(*, actor: User) -> QuerySet[Organisation]:
    """``bank_list`` as a queryset, for a form's choices."""
    return Organisation.objects.filter(pk__in=[b.pk for b in bank_list(actor=actor)])


def staff_bank_choices(*, actor: User) -> QuerySet[Organisation]:
    """``staff_banks`` as a queryset, for a form's choices."""
    return Organisation.objects.filter(pk__in=[b.pk for b in staff_banks(actor=actor)])
