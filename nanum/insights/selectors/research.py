"""Reads of research agreements and exports: researchers see only their projects."""

from __future__ import annotations

from django.db.models import QuerySet

from nanum.core.errors import NotFound
from nanum.core.models import Role, User
from nanum.core.tenancy import is_platform_admin
from nanum.learning.selectors import insights as learning_insights

from ..models import ResearchConsent, ResearchExport, ResearchProject


def is_researcher(actor: User) -> bool:
    return actor.has_role(Role.RESEARCHER)


def project_list(*, actor: User) -> QuerySet[ResearchProject]:
    qs = ResearchProject.objects.select_related("institution", "approved_by")
    if is_platform_admin(actor):
        return qs
    return qs.filter(researchers=actor)


def project_get(*, actor: User, project_id: int) -> ResearchProject:
    project = project_list(actor=actor).filter(pk=project_id).first()
    if project is None:
        raise NotFound()
    return project


def export_list(*, project: ResearchProject) -> QuerySet[ResearchExport]:
    return project.exports.defer("content").select_related("requested_by")


def export_get(*, actor: User, export_id: int) -> ResearchExport:
    export = (
        ResearchExport.objects.select_related("project")
        .filter(pk=export_id, project__in=project_list(actor=actor))
        .first()
    )
    if export is None:
        raise NotFound()
    return export


def consent_of(member: User) -> ResearchConsent | None:
    return ResearchConsent.objects.filter(member=member).first()


def consenting_member_ids() -> dict[int, bool]:
    """Members who consent to research use: id -> whether a guardian gave it."""
    return dict(
        ResearchConsent.objects.filter(consented=True).values_list(
            "member_id", "by_guardian"
        )
    )


def consent_members(*, actor: User) -> list[User]:
    """The people whose research consent ``actor`` manages: themself and, for a
    guardian, their linked children."""
    children = User.objects.filter(
        pk__in=learning_insights.children_of(guardian_id=actor.pk), is_active=True
    ).order_by("pk")
    return [actor, *children]
