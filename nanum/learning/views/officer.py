"""Officer pages: review queue, one application, documents, figures, exports, rewards."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nanum.core.errors import DomainError
from nanum.core.services import access_record

from .. import selectors
from ..forms import DecisionForm, QueueFilterForm
from ..models import Category, Document, RewardCandidate
from ..services import applications as app_services
from ..services import membership, rewards
from ..services.common import officer_tenant_ids
from .common import int_or_none, officer_required, show_error

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


def _filtered(request: HttpRequest) -> tuple[QueueFilterForm, object]:
    form = QueueFilterForm(
        request.GET or None, towns=selectors.officer_towns(request.user)
    )
    cd = form.cleaned_data if form.is_valid() else {}
    qs = selectors.application_list(
        actor=request.user,
        tenant_id=cd.get("town"),
        status=cd.get("status") or "",
        level=cd.get("level") or "",
        district=cd.get("district") or "",
    )
    return form, qs


@officer_required
def review_queue(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/review_queue.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@officer_required
@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.application_for_officer(actor=request.user, application_id=pk)
    if app is None:
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            action = cd["action"]
            if action == "approve":
                app_services.application_approve(
                    actor=request.user,
                    application_id=app.pk,
                    verified_on=cd["verified_on"],
                    verified_until=cd["verified_until"],
                )
            elif action == "reject":
                app_services.application_reject(
                    actor=request.user, application_id=app.pk, reason=cd["reason"]
                )
            elif action == "more_info":
                app_services.application_request_documents(
                    actor=request.user, application_id=app.pk, reason=cd["reason"]
                )
            elif action == "lift":
                membership.restriction_lift(
                    actor=request.user, application_id=app.pk, reason=cd["reason"]
                )
            else:
                membership.application_renew(actor=request.user, application_id=app.pk)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The decision was saved and the student told."))
            return redirect("learning:review", app.pk)
    access_record(
        actor=request.user,
        action="view",
        subject=app.student,
        object_type="learning.Application",
        object_id=str(app.pk),
        tenant=app.tenant,
        request=request,
    )
    return render(
        request,
        "learning/review.html",
        {
            "app": app,
            "form": form,
            "documents": app.documents.all(),
            "category_label": dict(Category.choices).get(app.category),
        },
    )


@officer_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """Stream a private document to an officer of the right town (access logged)."""
    doc = Document.objects.select_related("application__tenant", "application__student")
    ids = officer_tenant_ids(request.user)
    if ids is not None:
        doc = doc.filter(application__tenant_id__in=ids)
    doc = doc.filter(pk=pk).first()
    if doc is None or not default_storage.exists(doc.file.name):
        raise Http404
    access_record(
        actor=request.user,
        action="download",
        subject=doc.application.student,
        object_type="learning.Document",
        object_id=str(doc.pk),
        tenant=doc.application.tenant,
        request=request,
    )
    response = FileResponse(
        default_storage.open(doc.file.name, "rb"), content_type=doc.content_type
    )
    response["Content-Disposition"] = f'inline; filename="document-{doc.pk}"'
    response["Cache-Control"] = "no-store"
    return response


@officer_required
def stats(request: HttpRequest) -> HttpResponse:
    town = int_or_none(request.GET.get("town"))
    return render(
        request,
        "learning/officer_stats.html",
        {
            "seat_rows": selectors.seat_stats(actor=request.user, tenant_id=town),
            "usage_rows": selectors.usage_stats(actor=request.user, tenant_id=town),
            "towns": selectors.officer_towns(request.user),
        },
    )


@officer_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, qs = _filtered(request)
    rows = [
        [
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
        for a in qs[:20000]
    ]
    tenant_ids = {a for a in qs.values_list("tenant_id", flat=True).distinct()[:2]}
    access_record(
        actor=request.user,
        action="export",
        subject=None,
        object_type="learning.Application",
        record_count=len(rows),
        tenant=selectors.officer_towns(request.user).filter(pk__in=tenant_ids).first()
        if len(tenant_ids) == 1
        else None,
        request=request,
        purpose=f"applications.{fmt}",
    )
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("applications")
        ws.append(EXPORT_COLUMNS)
        for r in rows:
            ws.append(r)
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(
            buf.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(rows)
        response = HttpResponse(
            "\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = (
        f'attachment; filename="applications-{stamp}.{fmt}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_http_methods(["GET", "POST"])
def reward_list(request: HttpRequest) -> HttpResponse:
    towns = list(selectors.officer_towns(request.user))
    year = timezone.localdate().year
    if request.method == "POST":
        try:
            if "build" in request.POST:
                town = int_or_none(request.POST.get("town"))
                n = rewards.reward_shortlist_build(
                    actor=request.user, tenant_id=town or 0, year=year
                )
                messages.success(
                    request, _("Shortlist made: %(n)s students.") % {"n": n}
                )
            else:
                cid = int_or_none(request.POST.get("candidate"))
                rewards.reward_decide(
                    actor=request.user,
                    candidate_id=cid or 0,
                    confirm=request.POST.get("decision") == "confirm",
                )
                messages.success(request, _("The decision was saved."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("learning:rewards")
    cands = list(
        RewardCandidate.objects.filter(tenant__in=towns, year=year).select_related(
            "student", "tenant"
        )
    )
    if cands:
        access_record(
            actor=request.user,
            action="view",
            subject=None,
            object_type="learning.RewardCandidate",
            record_count=len(cands),
            request=request,
            purpose="& Jump shortlist",
        )
    return render(
        request,
        "learning/rewards.html",
        {"towns": towns, "candidates": cands, "year": year},
    )
