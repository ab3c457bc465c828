"""Opening personal data: one service per page/API pair does the look-up, the
permission check and the access-log row, so both answer and log the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from nanum.core.errors import InvalidInput, NotFound, PermissionDenied
from nanum.core.models import Tenant, User
from nanum.core.services import access_record
from nanum.core.services.documents import document_stored

from ..models import Application, Document, RewardCandidate
from ..selectors import (
    application_get,
    application_list,
    document_get,
    is_officer,
    officer_towns,
    reward_candidate_list,
)
from .applications import (
    application_approve,
    application_reject,
    application_request_documents,
)
from .membership import application_renew, restriction_lift

EXPORT_LIMIT = 20_000


def _require_officer(actor: User) -> None:
    if not is_officer(actor):
        raise PermissionDenied()


def _application_logged(
    actor: User, app: Application, action: str, request: HttpRequest | None
) -> None:
    """The access-log row of an officer's look at, or decision on, one application."""
    access_record(
        actor=actor,
        action=action,
        subject=app.student,
        object_type="learning.Application",
        object_id=str(app.pk),
        tenant=app.tenant,
        request=request,
    )


def application_open(
    *, actor: User, application_id: int, request: HttpRequest | None = None
) -> Application:
    """An officer opens one application of their towns (access logged)."""
    app = application_get(actor=actor, application_id=application_id)
    _application_logged(actor, app, "view", request)
    return app


@dataclass(frozen=True)
class ApplicationFilter:
    tenant_id: int | None = None
    status: str = ""
    level: str = ""
    district: str = ""


def applications_open(
    *,
    actor: User,
    filters: ApplicationFilter,
    offset: int = 0,
    limit: int = 100,
    request: HttpRequest | None = None,
) -> list[Application]:
    """A page of applications of the officer's towns (access logged when not empty)."""
    _require_officer(actor)
    qs = application_list(
        actor=actor,
        tenant_id=filters.tenant_id,
        status=filters.status,
        level=filters.level,
        district=filters.district,
    )
    rows = list(qs[max(0, offset) : max(0, offset) + limit])
    if rows:
        access_record(
            actor=actor,
            action="view",
            subject=None,
            object_type="learning.Application",
            record_count=len(rows),
            request=request,
            purpose="api list",
        )
    return rows


def applications_export_open(
    *,
    actor: User,
    filters: ApplicationFilter,
    fmt: str,
    request: HttpRequest | None = None,
) -> list[Application]:
    """The officer's filtered applications for a file export (access logged)."""
    if fmt not in ("csv", "xlsx"):
        raise NotFound()
    _require_officer(actor)
    qs = application_list(
        actor=actor,
        tenant_id=filters.tenant_id,
        status=filters.status,
        level=filters.level,
        district=filters.district,
    )
    rows = list(qs[:EXPORT_LIMIT])
    tenant_ids = set(qs.values_list("tenant_id", flat=True).distinct()[:2])
    tenant: Tenant | None = (
        officer_towns(actor).filter(pk__in=tenant_ids).first()
        if len(tenant_ids) == 1
        else None
    )
    access_record(
        actor=actor,
        action="export",
        subject=None,
        object_type="learning.Application",
        record_count=len(rows),
        tenant=tenant,
        request=request,
        purpose=f"applications.{fmt}",
    )
    return rows


def document_open(
    *, actor: User, document_id: int, request: HttpRequest | None = None
) -> Document:
    """An officer opens a private document of their towns (download logged)."""
    doc = document_get(actor=actor, document_id=document_id)
    document_stored(doc.file.name)
    access_record(
        actor=actor,
        action="download",
        subject=doc.application.student,
        object_type="learning.Document",
        object_id=str(doc.pk),
        tenant=doc.application.tenant,
        request=request,
    )
    return doc


def reward_candidates_open(
    *, actor: User, year: int, request: HttpRequest | None = None
) -> list[RewardCandidate]:
    """The & Jump shortlist of the officer's towns (access logged when not empty)."""
    cands = reward_candidate_list(actor=actor, year=year)
    if cands:
        access_record(
            actor=actor,
            action="view",
            subject=None,
            object_type="learning.RewardCandidate",
            record_count=len(cands),
            request=request,
            purpose="& Jump shortlist",
        )
    return cands


DECISIONS = ("approve", "reject", "more_info", "renew", "lift")


@dataclass(frozen=True)
class DecisionInput:
    action: str
    reason: str = ""
    verified_on: date | None = None
    verified_until: date | None = None


def application_decide(
    *,
    actor: User,
    application_id: int,
    decision: DecisionInput,
    request: HttpRequest | None = None,
) -> Application:
    """An officer decides on an application (page and API alike; change logged)."""
    if not is_officer(actor):
        raise NotFound()
    if decision.action == "approve":
        app = application_approve(
            actor=actor,
            application_id=application_id,
            verified_on=decision.verified_on,
            verified_until=decision.verified_until,
        )
    elif decision.action == "reject":
        app = application_reject(
            actor=actor, application_id=application_id, reason=decision.reason
        )
    elif decision.action == "more_info":
        app = application_request_documents(
            actor=actor, application_id=application_id, reason=decision.reason
        )
    elif decision.action == "renew":
        app = application_renew(actor=actor, application_id=application_id)
    elif decision.action == "lift":
        app = restriction_lift(
            actor=actor, application_id=application_id, reason=decision.reason
        )
    else:
        raise InvalidInput(
            field_errors={"action": [_("approve, reject, more_info, renew or lift")]}
        )
    _application_logged(actor, app, "change", request)
    return app
