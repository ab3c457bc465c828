"""Every write of core: audit and access logs, accounts and roles, API tokens,
sign-in throttling, notifications.

Other apps import these by name from ``nanum.core.services``.
"""

from __future__ import annotations

from .accounts import (
    MIN_SELF_SIGNUP_AGE,
    SIGNUP_ROLES,
    role_grant,
    user_language_set,
    user_register,
)
from .audit import access_log_purge, access_record, audit_record, client_ip, snapshot
from .channels import (
    ConsoleBackend,
    PhoneSignUp,
    channel_backend,
    channels_set,
    notification_channels_send,
    phone_code_send,
    phone_normalise,
    phone_verify,
    preference_of,
    user_register_by_phone,
)
from .notifications import (
    Message,
    Text,
    absolute_url,
    notification_email_send,
    notification_mark_read,
    notification_send,
    render_text,
    user_language,
)
from .outbox import (
    task_lease_seconds,
    tasks_backlog,
    tasks_enqueue,
    tasks_requeue_stale,
)
from .passwords import password_reset_email_send, password_reset_request
from .signin import client_address, login_failures_purge, login_wait_minutes
from .tokens import token_authenticate, token_create, token_revoke

__all__ = [
    "MIN_SELF_SIGNUP_AGE",
    "SIGNUP_ROLES",
    "ConsoleBackend",
    "Message",
    "PhoneSignUp",
    "Text",
    "absolute_url",
    "access_log_purge",
    "access_record",
    "audit_record",
    "channel_backend",
    "channels_set",
    "client_address",
    "client_ip",
    "login_failures_purge",
    "login_wait_minutes",
    "notification_channels_send",
    "notification_email_send",
    "notification_mark_read",
    "notification_send",
    "password_reset_email_send",
    "password_reset_request",
    "phone_code_send",
    "phone_normalise",
    "phone_verify",
    "preference_of",
    "render_text",
    "role_grant",
    "snapshot",
    "task_lease_seconds",
    "tasks_backlog",
    "tasks_enqueue",
    "tasks_requeue_stale",
    "token_authenticate",
    "token_create",
    "token_revoke",
    "user_language",
    "user_language_set",
    "user_register",
    "user_register_by_phone",
]
