from __future__ import annotations

from datetime import datetime

from ninja import Schema


class RoleOut(Schema):
    role: str
    organisation_id: int
    organisation: str
    tenant: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    preferred_language: str
    roles: list[RoleOut]


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class HealthOut(Schema):
    status: str
    database: str
