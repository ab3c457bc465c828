"""API twins of the town self-service pages (views/town_admin.py): an administrator
adds a town; its officers keep its page, logo, rules, services, providers and notices.
Every write is one call into ``services.towns``, which checks and audits it."""

from __future__ import annotations

from typing import Any

from ninja import File, Query, Status
from ninja.files import UploadedFile

from nanum.core.errors import PermissionDenied
from nanum.core.http import ApiRequest
from nanum.core.idempotency import run_idempotent
from nanum.core.schemas import IDEMPOTENT, Id, Page, PageQuery, page_of

from .. import selectors, services
from ..models import TenantNotice, TenantPolicy
from ..schemas import (
    NoticeIn,
    NoticeOut,
    SeatIn,
    SeatsIn,
    TownCreateIn,
    TownEditorOut,
    TownOut,
    TownPageIn,
    TownRulesIn,
    TownSlug,
)
from . import router

_RULES = list(services.TownRules.__dataclass_fields__)


def require_officer(request: ApiRequest) -> None:
    """The officer pages' door (``officer_required``): anyone else is refused (403)."""
    if not selectors.is_officer(request.auth):
        raise PermissionDenied()


def _town(policy: TenantPolicy) -> dict[str, Any]:
    tenant = policy.tenant
    return {
        "slug": tenant.slug,
        "name_ko": tenant.name_ko,
        "name_en": tenant.name_en,
        "kind": tenant.kind,
        "status": tenant.status,
        "programme_name_ko": tenant.programme_name_ko,
        "programme_name_en": tenant.programme_name_en,
        "primary_colour": tenant.primary_colour,
        "tagline_ko": policy.tagline_ko,
        "tagline_en": policy.tagline_en,
        "page_text_ko": policy.page_text_ko,
        "page_text_en": policy.page_text_en,
        "has_logo": bool(policy.logo),
        "rules": {k: getattr(policy, k) for k in _RULES},
    }


def _notice(notice: TenantNotice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "title": notice.title,
        "body": notice.body,
        "published_at": notice.published_at,
    }


def _editor(policy: TenantPolicy) -> dict[str, Any]:
    data = selectors.town_editor(policy)
    return {
        **_town(policy),
        "year": data["year"],
        "seats": [
            {
                "provider_id": a.provider_id,
                "provider": a.provider.name,
                "seats": a.seats,
                "used": a.used,
            }
            for a in sorted(
                data["allocations"].values(), key=lambda a: a.provider.name_ko
            )
        ],
        "notices": [_notice(n) for n in data["notices"]],
    }


def _rules(payload: TownRulesIn) -> services.TownRules:
    return services.TownRules(**payload.dict(include=set(_RULES)))


def _page(payload: TownPageIn) -> services.TownPage:
    return services.TownPage(
        **payload.dict(
            include={
                "tagline_ko",
                "tagline_en",
                "page_text_ko",
                "page_text_en",
                "primary_colour",
            }
        )
    )


def _seats(rows: list[SeatIn]) -> dict[int, int]:
    """Every provider's seats as the page sends them: a provider left out has none."""
    seats = {p.pk: 0 for p in selectors.provider_organisations()}
    seats.update({r.provider_id: r.seats for r in rows})
    return seats


def _managed(request: ApiRequest, slug: str) -> TenantPolicy:
    require_officer(request)
    return selectors.managed_town_get(actor=request.auth, slug=slug)


@router.get(
    "/officer/towns",
    response=Page[TownOut],
    summary="Towns whose page and rules I keep (officers; administrators: all)",
)
def town_list(request: ApiRequest, page: Query[PageQuery]) -> dict[str, Any]:
    require_officer(request)
    return page_of(selectors.managed_towns(request.auth), page, _town)


@router.post(
    "/officer/towns",
    response={201: TownEditorOut},
    summary="Add a town, live at once (administrators; Idempotency-Key supported)",
    openapi_extra=IDEMPOTENT,
)
def town_create(request: ApiRequest, payload: TownCreateIn) -> Status:
    def create() -> tuple[int, Any]:
        policy = services.town_create(
            actor=request.auth,
            data=services.TownInput(
                name_ko=payload.name_ko,
                name_en=payload.name_en,
                slug=payload.slug,
                kind=payload.kind,
                programme_name_ko=payload.programme_name_ko,
                programme_name_en=payload.programme_name_en,
                rules=_rules(payload),
                page=_page(payload),
                seats={r.provider_id: r.seats for r in payload.seats},
                officer_username=payload.officer_username,
            ),
        )
        return 201, _editor(policy)

    return Status(*run_idempotent(request, payload.dict(), create))


@router.get(
    "/officer/towns/{slug}",
    response=TownEditorOut,
    summary="One town as its edit page shows it (its officers)",
)
def town_get(request: ApiRequest, slug: TownSlug) -> dict[str, Any]:
    return _editor(_managed(request, slug))


@router.put(
    "/officer/towns/{slug}/rules",
    response=TownEditorOut,
    summary="Change a town's eligibility, quotas and services (its officers)",
)
def town_rules(request: ApiRequest, slug: TownSlug, payload: TownRulesIn) -> Any:
    policy = _managed(request, slug)
    policy = services.town_rules_update(
        actor=request.auth, tenant_id=policy.tenant_id, rules=_rules(payload)
    )
    return _editor(policy)


@router.put(
    "/officer/towns/{slug}/page",
    response=TownEditorOut,
    summary="Change a town's page text and colour (its officers)",
)
def town_page(request: ApiRequest, slug: TownSlug, payload: TownPageIn) -> Any:
    policy = _managed(request, slug)
    policy = services.town_page_update(
        actor=request.auth, tenant_id=policy.tenant_id, page=_page(payload)
    )
    return _editor(policy)


@router.post(
    "/officer/towns/{slug}/logo",
    response=TownEditorOut,
    summary="Replace a town's logo: a PNG, JPEG, WebP or plain SVG file of at most "
    "512 KB, sent as multipart field 'logo' (its officers)",
)
def town_logo(
    request: ApiRequest, slug: TownSlug, logo: File[UploadedFile]
) -> dict[str, Any]:
    policy = _managed(request, slug)
    policy = services.town_logo_update(
        actor=request.auth, tenant_id=policy.tenant_id, logo=logo
    )
    return _editor(policy)


@router.delete(
    "/officer/towns/{slug}/logo",
    response=TownEditorOut,
    summary="Remove a town's logo; its page shows the town's initial (its officers)",
)
def town_logo_remove(request: ApiRequest, slug: TownSlug) -> dict[str, Any]:
    policy = _managed(request, slug)
    policy = services.town_logo_update(
        actor=request.auth, tenant_id=policy.tenant_id, logo=None
    )
    return _editor(policy)


@router.put(
    "/officer/towns/{slug}/seats",
    response=TownEditorOut,
    summary="Set this year's seats per provider; one left out has none (its officers)",
)
def town_seats(request: ApiRequest, slug: TownSlug, payload: SeatsIn) -> Any:
    policy = _managed(request, slug)
    services.town_seats_update(
        actor=request.auth, tenant_id=policy.tenant_id, seats=_seats(payload.seats)
    )
    return _editor(policy)


@router.get(
    "/officer/towns/{slug}/notices",
    response=Page[NoticeOut],
    summary="A town's notices, newest first (its officers)",
)
def town_notices(
    request: ApiRequest, slug: TownSlug, page: Query[PageQuery]
) -> dict[str, Any]:
    policy = _managed(request, slug)
    return page_of(selectors.town_notices(tenant_id=policy.tenant_id), page, _notice)


@router.post(
    "/officer/towns/{slug}/notices",
    response={201: NoticeOut},
    summary="Publish a notice on a town's page (its officers)",
    openapi_extra=IDEMPOTENT,
)
def town_notice_add(request: ApiRequest, slug: TownSlug, payload: NoticeIn) -> Status:
    policy = _managed(request, slug)

    def create() -> tuple[int, Any]:
        notice = services.town_notice_add(
            actor=request.auth,
            tenant_id=policy.tenant_id,
            title=payload.title,
            body=payload.body,
        )
        return 201, _notice(notice)

    body = {**payload.dict(), "town": slug}
    return Status(*run_idempotent(request, body, create))


@router.delete(
    "/officer/towns/{slug}/notices/{notice_id}",
    response={204: None},
    summary="Remove a notice from a town's page (its officers)",
)
def town_notice_delete(request: ApiRequest, slug: TownSlug, notice_id: Id) -> Status:
    policy = _managed(request, slug)
    services.town_notice_delete(
        actor=request.auth, tenant_id=policy.tenant_id, notice_id=notice_id
    )
    return Status(204, None)
