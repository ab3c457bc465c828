"""Core endpoints: who am I, my notifications."""

from __future__ import annotations

from typing import Any

from ninja import Query, Router

from . import selectors, services
from .http import ApiRequest
from .schemas import MeOut, NotificationOut, Page, PageQuery, page_of

router = Router()


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request: ApiRequest) -> dict[str, Any]:
    user = request.auth
    roles = [
        {
            "role": ra.role,
            "organisation_id": ra.organisation_id,
            "organisation": ra.organisation.name,
            "tenant": ra.tenant.name,
        }
        for ra in selectors.role_assignment_list(actor=user)
    ]
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "preferred_language": user.preferred_language,
        "roles": roles,
    }


@router.get(
    "/notifications", response=Page[NotificationOut], summary="My notifications"
)
def notifications(
    request: ApiRequest, page: Query[PageQuery], unread: bool = False
) -> dict[str, Any]:
    return page_of(
        selectors.notification_list(actor=request.auth, unread_only=unread), page
    )


@router.post("/notifications/read", summary="Mark all my notifications as read")
def notifications_read(request: ApiRequest) -> dict[str, int]:
    return {"updated": services.notification_mark_read(actor=request.auth)}
