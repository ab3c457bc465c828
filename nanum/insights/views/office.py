"""Office, district and town pages: the equity dashboard, its export and the need
index of each school; office administrators also record research agreements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nanum.core.errors import DomainError, NotFound
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.spreadsheets import spreadsheet_response
from nanum.core.tenancy import is_platform_admin

from .. import selectors, services
from ..forms import EquityFilterForm, NeedImportForm, ProjectForm, RevokeForm
from .research import project_page


@require_GET
@login_required
def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    scope = selectors.equity_scope(request.user)
    terms = selectors.equity_terms(actor=request.user)
    form = EquityFilterForm(request.GET or None, scope=scope, terms=terms)
    board = selectors.equity_dashboard(actor=request.user, filters=form.filters())
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return spreadsheet_response(
            selectors.EXPORT_HEADER,
            selectors.equity_rows(board),
            fmt=fmt,
            filename="nanum-equity",
            sheet_title="equity",
        )
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "board": board,
            "query": request.GET.urlencode(),
            "can_refresh": is_platform_admin(request.user),
            "min_cell": selectors.MIN_CELL,
        },
    )


@require_POST
@login_required
def refresh(request: AuthedHttpRequest) -> HttpResponse:
    if not is_platform_admin(request.user):
        raise NotFound()
    services.equity_refresh_request(actor=request.user)
    messages.success(
        request,
        _(
            "The figures are being rebuilt in the background; reload this page in "
            "a minute to see them."
        ),
    )
    return redirect("insights:dashboard")


@require_GET
@login_required
def schools(request: AuthedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    rows = selectors.school_list(actor=request.user, query=query)[:200]
    return render(
        request,
        "insights/schools.html",
        {"schools": rows, "q": query, "can_import": is_platform_admin(request.user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def need_import(request: AuthedHttpRequest) -> HttpResponse:
    """Office administrators upload the yearly indicators (the command's twin)."""
    if not is_platform_admin(request.user):
        raise NotFound()
    form = NeedImportForm(request.POST or None, request.FILES or None)
    row_errors: list[dict[str, object]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.need_index_import_file(
                actor=request.user,
                filename=upload.name or "",
                data=upload.read(services.NEED_INDEX_LIMITS.max_bytes + 1),
                source=form.cleaned_data["source"],
            )
        except DomainError as exc:
            row_errors = list(exc.extra.get("row_errors", []))
            if row_errors:
                form.add_error(None, str(exc.message))
            else:
                add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(created)s records created, %(updated)s updated; "
                    "%(changed)s schools have a new current index."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "changed": result.current_changed,
                },
            )
            return redirect("insights:schools")
    return render(
        request,
        "insights/need_import.html",
        {
            "form": form,
            "row_errors": row_errors,
            "columns": services.NEED_INDEX_COLUMNS,
        },
    )


@require_GET
@login_required
def school_need(request: AuthedHttpRequest, school_id: int) -> HttpResponse:
    school = selectors.school_get(actor=request.user, school_id=school_id)
    history = selectors.need_history(school=school)
    current = history[0] if history else None
    parts = []
    if current is not None:
        values = {
            "benefit": (
                _("Students with education benefit or free meals"),
                f"{current.benefit_pct}%",
            ),
            "multicultural": (
                _("Students from multicultural families"),
                f"{current.multicultural_pct}%",
            ),
            "small": (_("Small school (fewer students)"), str(current.students)),
            "district": (_("District need"), str(current.district_need)),
        }
        for name, scaled, weight, part in current.terms().parts():
            label, value = values[name]
            parts.append(
                (label, value, scaled, weight, part.quantize(Decimal("0.001")))
            )
    return render(
        request,
        "insights/school_need.html",
        {
            "school": school,
            "history": history,
            "current": current,
            "parts": parts,
        },
    )


def _project_input(d: dict[str, Any]) -> services.ProjectInput:
    return services.ProjectInput(
        title=d["title"],
        institution_id=d["institution"].pk,
        principal_investigator=d["principal_investigator"],
        purpose=d["purpose"],
        irb_ref=d["irb_ref"],
        starts_on=d["starts_on"],
        ends_on=d["ends_on"],
        datasets=list(d["datasets"]),
        researcher_ids=[u.pk for u in d["researchers"]],
        k=d["k"],
    )


@require_http_methods(["GET", "POST"])
@login_required
def project_new(request: AuthedHttpRequest) -> HttpResponse:
    if not is_platform_admin(request.user):
        raise NotFound()
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.research_project_approve(
                actor=request.user, data=_project_input(form.cleaned_data)
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The data-use agreement was recorded."))
            return redirect("insights:project", project_id=project.pk)
    return render(request, "insights/project_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def project_edit(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    """An office administrator amends an agreement (not a revoked one)."""
    if not is_platform_admin(request.user):
        raise NotFound()
    project = selectors.project_get(actor=request.user, project_id=project_id)
    initial = {
        "title": project.title,
        "institution": project.institution_id,
        "principal_investigator": project.principal_investigator,
        "purpose": project.purpose,
        "irb_ref": project.irb_ref,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "datasets": project.datasets,
        "researchers": list(project.researchers.values_list("pk", flat=True)),
        "k": project.k,
    }
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.research_project_update(
                actor=request.user,
                project_id=project.pk,
                data=_project_input(form.cleaned_data),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The data-use agreement was changed."))
            return redirect("insights:project", project_id=project.pk)
    return render(
        request, "insights/project_new.html", {"form": form, "project": project}
    )


@require_POST
@login_required
def project_revoke(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    """An office administrator revokes an agreement; its exports stop at once."""
    if not is_platform_admin(request.user):
        raise NotFound()
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.research_project_revoke(
                actor=request.user,
                project_id=project_id,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The agreement was revoked: its researchers can no longer make "
                    "or download exports."
                ),
            )
            return redirect("insights:project", project_id=project_id)
    return project_page(request, project_id, revoke_form=form, status=422)
