"""A town's Seoul Learn rules and its public page."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import NotFound
from nanum.core.models import Organisation, Tenant, User

from ..models import (
    SERVICE_CHOICES,
    Category,
    ChangeWindow,
    ProviderCourse,
    SchoolLevel,
    SeatAllocation,
    TenantNotice,
    TenantPolicy,
)
from ._rules import officer_tenant_ids
from .members import _live_members


def tenant_policy_get(*, tenant: Tenant | int) -> TenantPolicy:
    """The Seoul Learn rules of ``tenant``; NotFound when the town does not run it."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    policy = (
        TenantPolicy.objects.select_related("tenant")
        .filter(tenant_id=tenant_id)
        .first()
    )
    if policy is None:
        raise NotFound(_("This town does not run the programme."))
    return policy


def town_policy_get(*, slug: str) -> TenantPolicy:
    """A town's rules by its slug, as the public sees them (ended towns are gone)."""
    policy = (
        TenantPolicy.objects.select_related("tenant")
        .filter(tenant__slug=slug)
        .exclude(tenant__status=Tenant.Status.ENDED)
        .first()
    )
    if policy is None:
        raise NotFound()
    return policy


def open_policies() -> QuerySet[TenantPolicy]:
    return (
        TenantPolicy.objects.select_related("tenant")
        .filter(tenant__status=Tenant.Status.ACTIVE, is_open=True)
        .order_by("-tenant__is_home", "tenant__name_ko")
    )


def offered_providers(
    *, tenant_id: int, year: int | None = None
) -> list[SeatAllocation]:
    year = year or clock.today().year
    return list(
        SeatAllocation.objects.filter(tenant_id=tenant_id, year=year)
        .select_related("provider")
        .order_by("provider__name_ko")
    )


# Where each service lives (URL name, query): the town page links a service it offers
# to it. Camps and residential stays are centre programmes of that type, listed for
# the town (``&town=<path>``) when the link is drawn for one town.
SERVICE_PAGES: dict[str, tuple[str, str]] = {
    "mentoring": ("mentoring:home", ""),
    "counselling": ("mentoring:counselling", ""),
    "jump": ("learning:jump", ""),
    "camp": ("programs:list", "?kind=camp"),
    "dormitory": ("programs:list", "?kind=residential"),
}


def service_page_url(service: str, *, town: str = "") -> str:
    """The page where ``service`` is found ("" when it has none, or its app is off);
    ``town``: a town's path, to list only that town's programmes."""
    name, query = SERVICE_PAGES.get(service, ("", ""))
    if not name:
        return ""
    try:
        url = reverse(name) + query
    except NoReverseMatch:
        return ""
    if town and name == "programs:list":
        url += "&" + urlencode({"town": town})
    return url


def town_services(policy: TenantPolicy) -> list[dict[str, Any]]:
    """The services ``policy`` switched on, in the list's order: key, label and the
    page where it is found (only services the town offers are named at all)."""
    town = policy.tenant.slug
    return [
        {"key": key, "label": label, "url": service_page_url(key, town=town)}
        for key, label in SERVICE_CHOICES
        if policy.offers(key)
    ]


def town_page(policy: TenantPolicy) -> dict[str, Any]:
    allocs = offered_providers(tenant_id=policy.tenant_id)
    courses: defaultdict[int, list[ProviderCourse]] = defaultdict(list)
    for c in ProviderCourse.objects.filter(
        provider_id__in=[a.provider_id for a in allocs]
    ):
        courses[c.provider_id].append(c)
    levels = dict(SchoolLevel.choices)
    cats = dict(Category.choices)
    return {
        "policy": policy,
        "level_labels": [levels[v] for v in policy.school_levels or [] if v in levels],
        "category_labels": [cats[v] for v in policy.categories or [] if v in cats],
        "services": town_services(policy),
        "min_hours": round(policy.min_monthly_minutes / 60, 1),
        "notices": list(TenantNotice.objects.filter(tenant_id=policy.tenant_id)[:5]),
        "providers": [(a, courses.get(a.provider_id, [])[:6]) for a in allocs],
        "members": _live_members(policy.tenant_id).count(),
        "windows": list(
            ChangeWindow.objects.filter(
                tenant_id=policy.tenant_id, ends_on__gte=clock.today()
            )[:3]
        ),
    }


# --- Town self-service -------------------------------------------------------------


def tenant_offers(*, tenant: Tenant | int, service: str) -> bool:
    """Whether ``tenant`` switched ``service`` on (counselling, mentoring, jump, ...)."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    policy = TenantPolicy.objects.filter(tenant_id=tenant_id).first()
    return policy is not None and policy.offers(service)


def managed_towns(actor: User) -> QuerySet[TenantPolicy]:
    """Towns whose page and rules ``actor`` may edit (their officers; admins: all)."""
    qs = TenantPolicy.objects.select_related("tenant").order_by(
        "-tenant__is_home", "tenant__name_ko"
    )
    ids = officer_tenant_ids(actor)
    return qs if ids is None else qs.filter(tenant_id__in=ids)


def managed_town_get(*, actor: User, slug: str) -> TenantPolicy:
    """One town ``actor`` may edit; another town's slug is simply not found."""
    policy = managed_towns(actor).filter(tenant__slug=slug).first()
    if policy is None:
        raise NotFound()
    return policy


def town_editor(policy: TenantPolicy) -> dict[str, Any]:
    """What the town's edit page shows besides its forms."""
    year = clock.today().year
    allocs = {
        a.provider_id: a
        for a in SeatAllocation.objects.filter(tenant_id=policy.tenant_id, year=year)
    }
    return {
        "policy": policy,
        "year": year,
        "notices": list(TenantNotice.objects.filter(tenant_id=policy.tenant_id)[:20]),
        "allocations": allocs,
    }


def provider_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).order_by(
        "name_ko"
    )


def town_seats(*, tenant_id: int) -> dict[int, int]:
    """This year's seats per provider id of a town."""
    return dict(
        SeatAllocation.objects.filter(
            tenant_id=tenant_id, year=clock.today().year
        ).values_list("provider_id", "seats")
    )


def town_notices(*, tenant_id: int) -> QuerySet[TenantNotice]:
    """A town's notices, newest first (the caller has checked it may edit the town)."""
    return TenantNotice.objects.filter(tenant_id=tenant_id)
