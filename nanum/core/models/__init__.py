"""Organisations, tenants, users and roles, logs: the data every app stands on."""

from .channels import (
    Channel,
    ChannelDelivery,
    ContactPreference,
    PhoneCode,
)
from .organisations import BilingualName, District, Organisation, Tenant
from .people import ApiToken, LoginFailure, Role, RoleAssignment, User
from .records import AccessLog, AuditLog, CalendarDay, IdempotencyRecord, Notification

__all__ = [
    "AccessLog",
    "ApiToken",
    "AuditLog",
    "BilingualName",
    "CalendarDay",
    "Channel",
    "ChannelDelivery",
    "ContactPreference",
    "District",
    "IdempotencyRecord",
    "LoginFailure",
    "Notification",
    "Organisation",
    "PhoneCode",
    "Role",
    "RoleAssignment",
    "Tenant",
    "User",
]
