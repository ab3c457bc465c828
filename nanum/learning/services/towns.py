"""Town self-service: an administrator adds a town; its officers keep its page, rules,
notices and providers up to date. Every change is validated here and audited."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import InvalidInput, NotFound, PermissionDenied
from nanum.core.models import Organisation, Role, Tenant, User
from nanum.core.services import audit_record, role_grant
from nanum.core.tenancy import is_platform_admin

from ..models import (
    SERVICE_CHOICES,
    Category,
    SchoolLevel,
    SeatAllocation,
    TenantNotice,
    TenantPolicy,
)
from ._common import require_officer
from .town_logo import logo_change, logo_read, logo_store

AGE_FLOOR, AGE_CEILING = 5, 30
QUOTA_FIELDS = (
    ("quota_elementary", SchoolLevel.ELEMENTARY),
    ("quota_middle", SchoolLevel.MIDDLE),
    ("quota_high", SchoolLevel.HIGH),
    ("quota_other", SchoolLevel.OUT_OF_SCHOOL),
)

Errors = dict[str, list[Any]]


@dataclass(frozen=True)
class TownRules:
    """Eligibility, quotas and services of a town (the form fields, no JSON)."""

    min_age: int
    max_age: int
    school_levels: list[str]
    categories: list[str]
    income_line_pct: int
    residence_required: bool
    services: list[str]
    quota_total: int | None = None
    quota_elementary: int | None = None
    quota_middle: int | None = None
    quota_high: int | None = None
    quota_other: int | None = None
    min_monthly_minutes: int = 0
    is_open: bool = True


@dataclass(frozen=True)
class TownPage:
    tagline_ko: str = ""
    tagline_en: str = ""
    page_text_ko: str = ""
    page_text_en: str = ""
    primary_colour: str = "#1f5fa8"
    logo: UploadedFile | None = None
    logo_remove: bool = False  # ignored when a new logo is given


@dataclass(frozen=True)
class TownInput:
    name_ko: str
    name_en: str
    slug: str
    kind: str
    programme_name_ko: str
    programme_name_en: str
    rules: TownRules
    page: TownPage = field(default_factory=TownPage)
    seats: dict[int, int] = field(default_factory=dict)  # provider id -> seats
    officer_username: str = ""


def _rules_errors(rules: TownRules) -> Errors:
    """Every contradiction in a town's rules, each on its field."""
    errors: Errors = {}
    if not AGE_FLOOR <= rules.min_age <= AGE_CEILING:
        errors["min_age"] = [_("Ages run from 5 to 30.")]
    if not AGE_FLOOR <= rules.max_age <= AGE_CEILING:
        errors["max_age"] = [_("Ages run from 5 to 30.")]
    elif rules.max_age < rules.min_age:
        errors["max_age"] = [
            _("The age range is empty: the maximum age is below the minimum age.")
        ]
    if not rules.school_levels:
        errors["school_levels"] = [_("Choose at least one school level.")]
    elif set(rules.school_levels) - set(SchoolLevel.values):
        errors["school_levels"] = [_("Choose from the list.")]
    if not rules.categories:
        errors["categories"] = [_("Choose at least one category.")]
    elif set(rules.categories) - set(Category.values):
        errors["categories"] = [_("Choose from the list.")]
    if not 1 <= rules.income_line_pct <= 200:
        errors["income_line_pct"] = [
            _("The income line is a percentage of the median income from 1 to 200.")
        ]
    if set(rules.services) - {k for k, _label in SERVICE_CHOICES}:
        errors["services"] = [_("Choose from the list.")]
    if rules.min_monthly_minutes < 0:
        errors["min_monthly_minutes"] = [_("Enter zero or more minutes.")]
    level_sum = 0
    for name, level in QUOTA_FIELDS:
        value = getattr(rules, name)
        if value is None:
            continue
        if value < 0:
            errors[name] = [_("A quota cannot be below zero.")]
        elif level not in rules.school_levels and value > 0:
            errors[name] = [_("The town does not accept this school level.")]
        else:
            level_sum += value
    total = rules.quota_total
    if total is not None:
        if total < 0:
            errors["quota_total"] = [_("A quota cannot be below zero.")]
        elif level_sum > total:
            errors["quota_total"] = [
                _("The places per school level add up to more than the total.")
            ]
    return errors


def _page_errors(page: TownPage) -> Errors:
    errors: Errors = {}
    colour = page.primary_colour or ""
    if len(colour) != 7 or not colour.startswith("#"):
        errors["primary_colour"] = [_("Enter a colour like #1f5fa8.")]
    else:
        try:
            int(colour[1:], 16)
        except ValueError:
            errors["primary_colour"] = [_("Enter a colour like #1f5fa8.")]
    if page.logo is not None:
        errors.update(logo_read(page.logo)[1])
    return errors


def _seat_errors(seats: dict[int, int]) -> Errors:
    if any(n < 0 for n in seats.values()):
        return {"seats": [_("A number of seats cannot be below zero.")]}
    known = set(
        Organisation.objects.filter(
            pk__in=seats, kind=Organisation.Kind.PROVIDER
        ).values_list("pk", flat=True)
    )
    if set(seats) - known:
        return {"seats": [_("Choose providers from the list.")]}
    return {}


def _apply_rules(policy: TenantPolicy, rules: TownRules) -> None:
    for key, value in asdict(rules).items():
        setattr(policy, key, value)
    kept = [c for c in policy.priority or [] if c in rules.categories]
    policy.priority = kept + [c for c in rules.categories if c not in kept]


def _apply_page(policy: TenantPolicy, page: TownPage) -> None:
    policy.tagline_ko = page.tagline_ko.strip()[:200]
    policy.tagline_en = page.tagline_en.strip()[:200]
    policy.page_text_ko = page.page_text_ko.strip()[:5000]
    policy.page_text_en = page.page_text_en.strip()[:5000]


def _rules_snapshot(policy: TenantPolicy) -> dict[str, Any]:
    keys = TownRules.__dataclass_fields__.keys()
    return {k: getattr(policy, k) for k in keys}


def _seats_set(actor: User, tenant: Tenant, seats: dict[int, int]) -> dict[str, int]:
    """This year's seats per provider; a provider set to 0 is dropped if unused."""
    year = clock.today().year
    existing = {
        a.provider_id: a
        for a in SeatAllocation.objects.select_for_update().filter(
            tenant=tenant, year=year
        )
    }
    errors: Errors = {}
    changes: dict[str, int] = {}
    for provider_id, n in seats.items():
        alloc = existing.get(provider_id)
        if alloc is None:
            if n > 0:
                SeatAllocation.objects.create(
                    tenant=tenant, provider_id=provider_id, year=year, seats=n
                )
                changes[str(provider_id)] = n
            continue
        if n == alloc.seats:
            continue
        if n < alloc.used:
            errors["seats"] = [
                _("Seats cannot go below the %(used)s already held at %(name)s.")
                % {"used": alloc.used, "name": alloc.provider.name}
            ]
            continue
        if n == 0:
            alloc.delete()
        else:
            alloc.seats = n
            alloc.full_clean()
            alloc.save(update_fields=["seats"])
        changes[str(provider_id)] = n
    if errors:
        raise InvalidInput(field_errors=errors)
    if changes:
        audit_record(
            actor=actor,
            action="learning.town.seats",
            object_type="learning.SeatAllocation",
            tenant=tenant,
            after={"year": year, "seats": changes},
        )
    return changes


@transaction.atomic
def town_create(*, actor: User, data: TownInput) -> TenantPolicy:
    """A platform administrator adds a town: tenant, programme office, rules, page,
    seats and (optionally) its first officer. Live at once; nothing half-made."""
    if not is_platform_admin(actor):
        raise PermissionDenied(_("Only an administrator can add a town."))
    errors: Errors = {}
    slug = (data.slug or "").strip().lower()
    if not data.name_ko.strip():
        errors["name_ko"] = [_("Enter the town's name in Korean.")]
    if not slug or not all(c.isascii() and (c.isalnum() or c == "-") for c in slug):
        errors["slug"] = [_("Use lower-case letters, digits and hyphens.")]
    elif Tenant.objects.filter(slug=slug).exists():
        errors["slug"] = [_("Another town already uses this address.")]
    elif Organisation.objects.filter(code=f"{slug}-hall").exists():
        errors["slug"] = [_("Another organisation already uses this address.")]
    if data.kind not in Tenant.Kind.values:
        errors["kind"] = [_("Choose from the list.")]
    if not data.programme_name_ko.strip():
        errors["programme_name_ko"] = [_("Enter the programme's name in Korean.")]
    officer = None
    if data.officer_username.strip():
        officer = User.objects.filter(
            username=data.officer_username.strip(), is_active=True
        ).first()
        if officer is None:
            errors["officer_username"] = [_("There is no account with this username.")]
    errors.update(_rules_errors(data.rules))
    errors.update(_page_errors(data.page))
    errors.update(_seat_errors(data.seats))
    if errors:
        raise InvalidInput(field_errors=errors)
    tenant = Tenant(
        name_ko=data.name_ko.strip(),
        name_en=data.name_en.strip(),
        slug=slug,
        kind=data.kind,
        status=Tenant.Status.ACTIVE,
        programme_name_ko=data.programme_name_ko.strip(),
        programme_name_en=data.programme_name_en.strip(),
        joined_on=clock.today(),
        primary_colour=data.page.primary_colour,
    )
    tenant.full_clean()
    tenant.save()
    hall = Organisation(
        kind=Organisation.Kind.CITY_HALL,
        code=f"{slug}-hall",
        tenant=tenant,
        name_ko=f"{tenant.name_ko} {data.programme_name_ko.strip()}"[:200],
        name_en=f"{tenant.name_en} {data.programme_name_en.strip()}".strip()[:200],
    )
    hall.full_clean()
    hall.save()
    policy = TenantPolicy(tenant=tenant)
    _apply_rules(policy, data.rules)
    _apply_page(policy, data.page)
    if data.page.logo is not None:
        logo_store(policy, data.page.logo)
    policy.full_clean()
    policy.save()
    audit_record(
        actor=actor,
        action="learning.town.create",
        obj=policy,
        tenant=tenant,
        after={"slug": slug, **_rules_snapshot(policy)},
    )
    _seats_set(actor, tenant, data.seats)
    if officer is not None:
        role_grant(
            actor=actor, user=officer, role=Role.TENANT_OFFICER, organisation=hall
        )
    return policy


def _editable_policy(actor: User, tenant_id: int) -> TenantPolicy:
    require_officer(actor, tenant_id)
    policy = (
        TenantPolicy.objects.select_for_update()
        .select_related("tenant")
        .filter(tenant_id=tenant_id)
        .first()
    )
    if policy is None:
        raise NotFound()
    return policy


@transaction.atomic
def town_rules_update(*, actor: User, tenant_id: int, rules: TownRules) -> TenantPolicy:
    """An officer of the town (or an administrator) changes its rules."""
    policy = _editable_policy(actor, tenant_id)
    errors = _rules_errors(rules)
    if errors:
        raise InvalidInput(field_errors=errors)
    before = _rules_snapshot(policy)
    _apply_rules(policy, rules)
    policy.full_clean()
    policy.save()
    audit_record(
        actor=actor,
        action="learning.town.rules",
        obj=policy,
        tenant=policy.tenant,
        before=before,
        after=_rules_snapshot(policy),
    )
    return policy


@transaction.atomic
def town_page_update(*, actor: User, tenant_id: int, page: TownPage) -> TenantPolicy:
    policy = _editable_policy(actor, tenant_id)
    errors = _page_errors(page)
    if errors:
        raise InvalidInput(field_errors=errors)
    before = {"tagline_ko": policy.tagline_ko, "page_text_ko": policy.page_text_ko}
    _apply_page(policy, page)
    if page.logo is not None or (page.logo_remove and policy.logo):
        logo_change(actor, policy, page.logo)
    policy.full_clean()
    policy.save()
    tenant = policy.tenant
    if tenant.primary_colour != page.primary_colour:
        tenant.primary_colour = page.primary_colour
        tenant.full_clean()
        tenant.save(update_fields=["primary_colour"])
    audit_record(
        actor=actor,
        action="learning.town.page",
        obj=policy,
        tenant=tenant,
        before=before,
        after={
            "tagline_ko": policy.tagline_ko,
            "page_text_ko": policy.page_text_ko,
            "logo": bool(page.logo),
            "colour": page.primary_colour,
        },
    )
    return policy


@transaction.atomic
def town_logo_update(
    *, actor: User, tenant_id: int, logo: UploadedFile | None
) -> TenantPolicy:
    """An officer of the town replaces its logo (PNG, JPEG, WebP or a plain SVG, at
    most 512 KB, judged by its bytes), or removes it with ``logo=None`` (the page then
    shows the town's initial on its colour)."""
    policy = _editable_policy(actor, tenant_id)
    if logo is not None:
        errors = logo_read(logo)[1]
        if errors:
            raise InvalidInput(field_errors=errors)
    logo_change(actor, policy, logo)
    policy.full_clean()
    policy.save()
    return policy


@transaction.atomic
def town_seats_update(
    *, actor: User, tenant_id: int, seats: dict[int, int]
) -> dict[str, int]:
    policy = _editable_policy(actor, tenant_id)
    errors = _seat_errors(seats)
    if errors:
        raise InvalidInput(field_errors=errors)
    return _seats_set(actor, policy.tenant, seats)


@transaction.atomic
def town_notice_add(
    *, actor: User, tenant_id: int, title: str, body: str = ""
) -> TenantNotice:
    policy = _editable_policy(actor, tenant_id)
    if not (title or "").strip():
        raise InvalidInput(field_errors={"title": [_("Enter a title.")]})
    notice = TenantNotice(
        tenant=policy.tenant, title=title.strip()[:200], body=(body or "").strip()
    )
    notice.full_clean()
    notice.save()
    audit_record(
        actor=actor,
        action="learning.town.notice.add",
        obj=notice,
        tenant=policy.tenant,
        after={"title": notice.title},
    )
    return notice


@transaction.atomic
def town_notice_delete(*, actor: User, tenant_id: int, notice_id: int) -> None:
    policy = _editable_policy(actor, tenant_id)
    notice = TenantNotice.objects.filter(pk=notice_id, tenant=policy.tenant).first()
    if notice is None:
        raise NotFound()
    audit_record(
        actor=actor,
        action="learning.town.notice.delete",
        obj=notice,
        tenant=policy.tenant,
        before={"title": notice.title},
    )
    notice.delete()
