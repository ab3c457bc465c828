"""Data-use agreements: an office administrator records, edits and revokes them.

A revoked agreement is final: it cannot be edited or approved again, every export and
download of its researchers is refused from that moment (``check_agreement``), and
the content of its files is deleted. Editing keeps the project's pseudonym key, so
files made before and after an edit still join.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from nanum.core import clock
from nanum.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from nanum.core.models import Organisation, User
from nanum.core.services import audit_record
from nanum.core.tenancy import is_platform_admin

from ..models import Dataset, ResearchExport, ResearchProject

EDITABLE = (
    "title",
    "institution_id",
    "principal_investigator",
    "purpose",
    "irb_ref",
    "starts_on",
    "ends_on",
    "datasets",
    "k",
)


@dataclass(frozen=True)
class ProjectInput:
    title: str
    institution_id: int
    principal_investigator: str
    purpose: str
    irb_ref: str
    starts_on: date
    ends_on: date
    datasets: list[str]
    researcher_ids: list[int]
    k: int = 5


def _checked(actor: User, data: ProjectInput) -> tuple[Organisation, list[User]]:
    """The institution and researchers of ``data``, or the refusal of bad input."""
    if not is_platform_admin(actor):
        raise PermissionDenied()
    bad = [d for d in data.datasets if d not in Dataset.values]
    if bad or not data.datasets:
        raise InvalidInput(field_errors={"datasets": [_("Choose the datasets.")]})
    researchers = list(User.objects.filter(pk__in=data.researcher_ids, is_active=True))
    if not researchers or not all(u.has_role("researcher") for u in researchers):
        raise InvalidInput(
            field_errors={
                "researchers": [_("Choose researchers with the researcher role.")]
            }
        )
    institution = Organisation.objects.filter(
        pk=data.institution_id,
        kind__in=[Organisation.Kind.UNIVERSITY, Organisation.Kind.INSTITUTE],
    ).first()
    if institution is None:
        raise InvalidInput(field_errors={"institution": [_("Choose an institution.")]})
    return institution, researchers


def _fill(
    project: ResearchProject, data: ProjectInput, institution: Organisation
) -> None:
    """Set the agreement's terms (the ``EDITABLE`` fields) from ``data``."""
    project.title = data.title
    project.institution = institution
    project.principal_investigator = data.principal_investigator
    project.purpose = data.purpose
    project.irb_ref = data.irb_ref
    project.starts_on = data.starts_on
    project.ends_on = data.ends_on
    project.datasets = sorted(set(data.datasets))
    project.k = data.k


def research_project_approve(*, actor: User, data: ProjectInput) -> ResearchProject:
    """An office administrator records an approved data-use agreement."""
    institution, researchers = _checked(actor, data)
    with transaction.atomic():
        project = ResearchProject(
            status=ResearchProject.Status.APPROVED,
            approved_by=actor,
            approved_at=clock.now(),
            key_salt=secrets.token_hex(16),
        )
        _fill(project, data, institution)
        project.full_clean()
        project.save()
        project.researchers.set(researchers)
        audit_record(
            actor=actor,
            action="insights.research_project_approve",
            obj=project,
            after={"datasets": project.datasets, "irb_ref": project.irb_ref},
        )
    return project


def _locked(actor: User, project_id: int) -> ResearchProject:
    if not is_platform_admin(actor):
        raise PermissionDenied()
    project = ResearchProject.objects.select_for_update().filter(pk=project_id).first()
    if project is None:
        raise NotFound()
    if project.status == ResearchProject.Status.REVOKED:
        raise DomainError(
            _("This agreement was revoked; record a new agreement instead."),
            code="revoked",
            status=409,
        )
    return project


def _state(project: ResearchProject) -> dict[str, Any]:
    state = {f: getattr(project, f) for f in EDITABLE}
    state["starts_on"] = project.starts_on.isoformat()
    state["ends_on"] = project.ends_on.isoformat()
    state["researchers"] = sorted(project.researchers.values_list("pk", flat=True))
    return state


def research_project_update(
    *, actor: User, project_id: int, data: ProjectInput
) -> ResearchProject:
    """An office administrator corrects or amends an agreement (not a revoked one).

    A narrower period or fewer datasets apply at once to exports and downloads."""
    institution, researchers = _checked(actor, data)
    with transaction.atomic():
        project = _locked(actor, project_id)
        before = _state(project)
        _fill(project, data, institution)
        project.full_clean()
        project.save()
        project.researchers.set(researchers)
        after = _state(project)
        changed = [k for k in after if after[k] != before[k]]
        audit_record(
            actor=actor,
            action="insights.research_project_update",
            obj=project,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return project


def research_project_revoke(
    *, actor: User, project_id: int, reason: str
) -> ResearchProject:
    """An office administrator revokes an agreement: from now on its researchers can
    neither make nor download an export, and the files' content is deleted."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            field_errors={"reason": [_("Say why the agreement is revoked.")]}
        )
    with transaction.atomic():
        project = _locked(actor, project_id)
        before = project.status
        project.status = ResearchProject.Status.REVOKED
        project.revoked_by = actor
        project.revoked_at = clock.now()
        project.revoke_reason = reason[:1000]
        project.full_clean()
        project.save()
        erased = ResearchExport.objects.filter(
            project=project, content__isnull=False
        ).update(content=None)
        audit_record(
            actor=actor,
            action="insights.research_project_revoke",
            obj=project,
            before={"status": before},
            after={
                "status": ResearchProject.Status.REVOKED,
                "reason": project.revoke_reason,
                "files_erased": erased,
            },
        )
    return project
