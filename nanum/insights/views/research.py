"""Researchers' pages: their projects, de-identified exports and aggregates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nanum.core.errors import DomainError, NotFound, PermissionDenied
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.spreadsheets import file_response
from nanum.core.tenancy import is_platform_admin

from .. import selectors, services
from ..forms import AggregateForm, ExportForm, RevokeForm


@require_GET
@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    if not (selectors.is_researcher(request.user) or is_platform_admin(request.user)):
        raise NotFound()
    return render(
        request,
        "insights/research_home.html",
        {
            "projects": selectors.project_list(actor=request.user),
            "is_admin": is_platform_admin(request.user),
        },
    )


def project_page(
    request: AuthedHttpRequest,
    project_id: int,
    export_form: ExportForm | None = None,
    revoke_form: RevokeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    project = selectors.project_get(actor=request.user, project_id=project_id)
    aggregate_form = AggregateForm(request.GET if "by" in request.GET else None)
    groups = None
    if aggregate_form.is_bound and aggregate_form.is_valid():
        try:
            groups = services.research_aggregate(
                actor=request.user,
                project_id=project.pk,
                dataset=aggregate_form.cleaned_data["dataset"],
                by=aggregate_form.cleaned_data["by"],
                request=request,
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            add_domain_error(aggregate_form, exc)
    return render(
        request,
        "insights/project.html",
        {
            "project": project,
            "exports": selectors.export_list(project=project),
            "export_form": export_form or ExportForm(),
            "aggregate_form": aggregate_form,
            "groups": groups,
            "is_member": project.researchers.filter(pk=request.user.pk).exists(),
            "is_admin": is_platform_admin(request.user),
            "revoke_form": revoke_form or RevokeForm(),
        },
        status=status,
    )


@require_GET
@login_required
def project(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    return project_page(request, project_id)


@require_POST
@login_required
def export_create(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    form = ExportForm(request.POST)
    if form.is_valid():
        try:
            export = services.research_export_create(
                actor=request.user,
                project_id=project_id,
                dataset=form.cleaned_data["dataset"],
                fmt=form.cleaned_data["fmt"] or "csv",
                request=request,
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("The export is ready: %(rows)s rows, smallest group %(k)s.")
                % {"rows": export.row_count, "k": export.min_k},
            )
            return redirect("insights:project", project_id=project_id)
    return project_page(request, project_id, export_form=form, status=422)


@require_http_methods(["GET"])
@login_required
def export_download(request: AuthedHttpRequest, export_id: int) -> HttpResponse:
    export = services.research_export_download(
        actor=request.user, export_id=export_id, request=request
    )
    return file_response(
        bytes(export.content or b""),
        content_type=export.content_type,
        filename=export.filename,
    )
