"""Core endpoints: who am I, my notifications."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from . import selectors, services
from .schemas import MeOut, NotificationOut

router = Router()


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request: HttpRequest) -> dict:
    user = request.user
    roles = [
        {
            "role": ra.role,
            "organisation_id": ra.organisation_id,
            "organisation": ra.organisation.name,
            "tenant": ra.tenant.name,
        }
        for ra in user.role_assignments.filter(is_active=True).select_related(
            "organisation", "tenant"
        )
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
    "/notifications", response=list[NotificationOut], summary="My notifications"
)
def notifications(request: HttpRequest, unread: bool = False) -> list:
    return list(
        selectors.notification_list(actor=request.user, unread_only=unread)[:100]
    )


@router.post("/notifications/read", summary="Mark all my notifications as read")
def notifications_read(request: HttpRequest) -> dict:
    return {"updated": services.notification_mark_read(actor=request.user)}
