"""Core endpoints: who am I, my notifications, sign-up by phone, my channels.

The phone and channel endpoints are the API twins of ``accounts/signup/phone/`` and
``account/channels/``: the same forms check the input, the same services act (and
rate-limit). A gateway that is down answers 503 with ``Retry-After``."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Status

from . import selectors, services
from .errors import DomainError, InvalidInput
from .forms import PhoneSignUpForm
from .http import ApiRequest
from .models import Channel
from .problems import problem_response
from .schemas import (
    ChannelsIn,
    ChannelsOut,
    MeOut,
    NotificationOut,
    Page,
    PageQuery,
    PhoneCodeIn,
    PhoneCodeSentOut,
    PhoneSignUpIn,
    PhoneSignUpOut,
    PhoneVerifyIn,
    page_of,
)
from .services.channels import CODE_TTL

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


# --- Sign-up by phone and notification channels ------------------------------------

TOO_MANY: dict[str, Any] = {
    "responses": {
        429: {
            "description": "Too many codes: wait for Retry-After seconds.",
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before asking again.",
                    "schema": {"type": "integer", "minimum": 0},
                }
            },
            "content": {
                "application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"}
                }
            },
        }
    }
}


def _code_send(request: ApiRequest, phone: str, purpose: str) -> Any:
    """Send a code; a refusal with a wait (429, 503) carries ``Retry-After``."""
    try:
        services.phone_code_send(
            phone=phone, purpose=purpose, ip=services.client_address(request)
        )
    except DomainError as exc:
        if exc.status not in (429, 503):
            raise
        response: HttpResponse = problem_response(
            status=exc.status, code=exc.code, title=exc.message, extra=exc.extra
        )
        response["Retry-After"] = str(int(exc.extra.get("retry_after", 60)))
        return response
    return Status(202, {"sent": True, "expires_in": int(CODE_TTL.total_seconds())})


@router.post(
    "/signup/phone/code",
    auth=None,
    response={202: PhoneCodeSentOut},
    openapi_extra=TOO_MANY,
    summary="Send a sign-up code to a mobile number (twin of the phone sign-up page)",
)
def signup_phone_code(request: ApiRequest, payload: PhoneCodeIn) -> Any:
    return _code_send(request, payload.phone, "signup")


@router.post(
    "/signup/phone",
    auth=None,
    response={201: PhoneSignUpOut},
    summary="Create an account with a mobile number and its code, no e-mail",
)
def signup_phone(request: ApiRequest, payload: PhoneSignUpIn) -> Any:
    data = payload.dict()
    data["password1"] = data["password2"] = data.pop("password")
    form = PhoneSignUpForm(data)
    if not form.is_valid():
        names = {"password1": "password", "password2": "password"}
        raise InvalidInput(
            field_errors={
                names.get(field, field): [str(m) for m in msgs]
                for field, msgs in form.errors.items()
            }
        )
    user = services.user_register_by_phone(data=form.signup())
    pref = services.preference_of(user)
    return Status(
        201, {"id": user.pk, "username": user.username, "channels": pref.channels}
    )


def _channels_out(request: ApiRequest) -> dict[str, Any]:
    pref = services.preference_of(request.auth)
    return {
        "channels": list(pref.channels or [Channel.IN_APP]),
        "phone": pref.phone or "",
        "phone_verified": pref.phone_verified_at is not None,
        "available": list(Channel.values),
    }


@router.get(
    "/account/channels",
    response=ChannelsOut,
    summary="How I am told (twin of the channels page)",
)
def channels_get(request: ApiRequest) -> dict[str, Any]:
    return _channels_out(request)


@router.put(
    "/account/channels",
    response=ChannelsOut,
    summary="Choose how I am told; SMS and KakaoTalk need a verified number",
)
def channels_put(request: ApiRequest, payload: ChannelsIn) -> dict[str, Any]:
    services.channels_set(actor=request.auth, channels=payload.channels)
    return _channels_out(request)


@router.post(
    "/account/phone/code",
    response={202: PhoneCodeSentOut},
    openapi_extra=TOO_MANY,
    summary="Send a code to verify my mobile number",
)
def account_phone_code(request: ApiRequest, payload: PhoneCodeIn) -> Any:
    return _code_send(request, payload.phone, "verify")


@router.post(
    "/account/phone/verify",
    response=ChannelsOut,
    summary="Verify my mobile number with the code sent to it",
)
def account_phone_verify(request: ApiRequest, payload: PhoneVerifyIn) -> dict[str, Any]:
    services.phone_verify(actor=request.auth, phone=payload.phone, code=payload.code)
    return _channels_out(request)
