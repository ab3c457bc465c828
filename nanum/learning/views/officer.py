"""Officer pages: review queue, one application, documents, figures, exports, rewards."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nanum.core import clock, spreadsheets
from nanum.core.errors import DomainError, NotFound
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest

from .. import selectors, services
from ..forms import DecisionForm, QueueFilterForm
from ..models import Application, Category
from ._charts import seats_chart, usage_charts
from ._common import int_or_none, officer_required

EXPORT_COLUMNS = [
    "id",
    "town",
    "status",
    "name",
    "birth_year",
    "school",
    "school_level",
    "grade",
    "district",
    "submitted_at",
    "decided_at",
    "valid_until",
]


def _filters(
    request: AuthedHttpRequest,
) -> tuple[QueueFilterForm, services.ApplicationFilter]:
    form = QueueFilterForm(
        request.GET or None, towns=selectors.officer_towns(request.user)
    )
    cd = form.cleaned_data if form.is_valid() else {}
    return form, services.ApplicationFilter(
        tenant_id=cd.get("town"),
        status=cd.get("status") or "",
        level=cd.get("level") or "",
        district=cd.get("district") or "",
    )


@officer_required
def review_queue(request: AuthedHttpRequest) -> HttpResponse:
    form, f = _filters(request)
    qs = selectors.application_list(
        actor=request.user,
        tenant_id=f.tenant_id,
        status=f.status,
        level=f.level,
        district=f.district,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/review_queue.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            # Under-14 applications that cannot be approved yet, and why.
            "missing": selectors.guardian_checks_for(page.object_list),
        },
    )


@officer_required
@never_cache
@require_http_methods(["GET", "POST"])
def review(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.application_decide(
                actor=request.user,
                application_id=pk,
                decision=services.DecisionInput(
                    action=cd["action"],
                    reason=cd["reason"],
                    verified_on=cd["verified_on"],
                    verified_until=cd["verified_until"],
                ),
                request=request,
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(request, _("The decision was saved and the student told."))
            return redirect("learning:review", pk)
    app = services.application_open(
        actor=request.user, application_id=pk, request=request
    )
    return render(
        request,
        "learning/review.html",
        {
            "app": app,
            "form": form,
            "documents": app.documents.all(),
            "category_label": dict(Category.choices).get(app.category),
            "missing": selectors.guardian_checks_missing(app),
        },
    )


@officer_required
def document(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """Stream a private document to an officer of the right town (access logged)."""
    doc = services.document_open(actor=request.user, document_id=pk, request=request)
    response = FileResponse(
        default_storage.open(doc.file.name or "", "rb"), content_type=doc.content_type
    )
    response["Content-Disposition"] = f'inline; filename="document-{doc.pk}"'
    response["Cache-Control"] = "no-store"
    return response


@officer_required
def stats(request: AuthedHttpRequest) -> HttpResponse:
    town = int_or_none(request.GET.get("town"))
    seat_rows = selectors.seat_stats(actor=request.user, tenant_id=town)
    usage_rows = selectors.usage_stats(actor=request.user, tenant_id=town)
    return render(
        request,
        "learning/officer_stats.html",
        {
            "seat_rows": seat_rows,
            "usage_rows": usage_rows,
            "seats_chart": seats_chart(seat_rows),
            "usage_charts": usage_charts(usage_rows),
            "towns": selectors.officer_towns(request.user),
        },
    )


def _row(a: Application) -> list[object]:
    return [
        a.pk,
        a.tenant.slug,
        a.status,
        a.full_name,
        a.birth_year,
        a.school_name,
        a.school_level,
        a.grade or "",
        a.district,
        timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M"),
        timezone.localtime(a.decided_at).strftime("%Y-%m-%d %H:%M")
        if a.decided_at
        else "",
        a.valid_until.isoformat() if a.valid_until else "",
    ]


@officer_required
def export(request: AuthedHttpRequest, fmt: str) -> HttpResponse:
    _form, f = _filters(request)
    apps = services.applications_export_open(
        actor=request.user, filters=f, fmt=fmt, request=request
    )
    rows = [_row(a) for a in apps]
    stamp = clock.today().isoformat()
    response = spreadsheets.spreadsheet_response(
        EXPORT_COLUMNS,
        rows,
        fmt="xlsx" if fmt == "xlsx" else "csv",
        filename=f"applications-{stamp}",
        sheet_title="applications",
    )
    response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_http_methods(["GET", "POST"])
def reward_list(request: AuthedHttpRequest) -> HttpResponse:
    towns = list(selectors.officer_towns(request.user))
    year = clock.today().year
    if request.method == "POST":
        try:
            if "build" in request.POST:
                town = int_or_none(request.POST.get("town"))
                n = services.reward_shortlist_build(
                    actor=request.user, tenant_id=town or 0, year=year
                )
                messages.success(
                    request, _("Shortlist made: %(n)s students.") % {"n": n}
                )
            else:
                cid = int_or_none(request.POST.get("candidate"))
                services.reward_decide(
                    actor=request.user,
                    candidate_id=cid or 0,
                    confirm=request.POST.get("decision") == "confirm",
                )
                messages.success(request, _("The decision was saved."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("learning:rewards")
    cands = services.reward_candidates_open(
        actor=request.user, year=year, request=request
    )
    return render(
        request,
        "learning/rewards.html",
        {"towns": towns, "candidates": cands, "year": year},
    )
