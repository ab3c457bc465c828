"""Pages for mentors: applying, documents, session reports, a second weekly session
and where the pair meets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.errors import DomainError, NotFound, PermissionDenied
from nanum.core.http import AuthedHttpRequest
from nanum.core.services.documents import CONTENT_TYPES

from .. import selectors, services
from ..forms import DocumentForm, MentorApplyForm, ReportForm, SecondSessionForm
from ._common import flash_refusal, form_submit, refusal_text


@require_http_methods(["GET", "POST"])
@login_required
def mentor_apply(request: AuthedHttpRequest) -> HttpResponse:
    tenants = selectors.active_tenants()
    tenant = (
        tenants.filter(slug=request.GET.get("town") or "seoul").first()
        or tenants.first()
    )
    if tenant is None:
        raise NotFound()
    form = MentorApplyForm(request.POST or None, tenant_id=tenant.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if form_submit(
            request,
            form,
            _("Thank you. Staff will screen your application."),
            services.mentor_apply,
            actor=request.user,
            tenant=tenant,
            data=services.MentorInput(
                university_id=d["university"].pk,
                major=d["major"],
                year=d["year"],
                subjects=d["subjects"],
                levels=d["levels"],
                availability=d["availability"],
                mode=d["mode"],
                district_ids=[x.pk for x in d["districts"]],
                gender=d["gender"] or "",
                capacity=d["capacity"],
            ),
        ):
            return redirect("mentoring:home")
    return render(
        request,
        "mentoring/form_page.html",
        {
            "form": form,
            "title": _("Apply to be a mentor in %(town)s") % {"town": tenant.name},
            "towns": tenants,
            "town": tenant,
            "multipart": False,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def mentor_documents(request: AuthedHttpRequest, profile_id: int) -> HttpResponse:
    profile = selectors.own_mentor_profile_get(
        actor=request.user, profile_id=profile_id
    )
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form_submit(
            request,
            form,
            _("Document uploaded."),
            services.mentor_document_add,
            actor=request.user,
            profile_id=profile.pk,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        ):
            return redirect("mentoring:documents", profile_id=profile.pk)
    return render(
        request,
        "mentoring/form_page.html",
        {
            "form": form,
            "title": _("Documents for your mentor application"),
            "documents": profile.documents.order_by("uploaded_at", "pk"),
            "retention_days": services.DOCUMENT_RETENTION_DAYS,
            "multipart": True,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def session_report(request: AuthedHttpRequest, session_id: int) -> HttpResponse:
    session = selectors.mentor_session_get(actor=request.user, session_id=session_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form_submit(
            request,
            form,
            _("Report filed."),
            services.session_report_file,
            actor=request.user,
            session_id=session.pk,
            data=services.ReportInput(**form.cleaned_data),
        ):
            return redirect("mentoring:pair", match_id=session.match_id)
    return render(
        request,
        "mentoring/form_page.html",
        {"form": form, "title": _("Session report")},
    )


@require_POST
@login_required
def second_session(request: AuthedHttpRequest, match_id: int) -> HttpResponse:
    form = SecondSessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an hour when both of you are free."))
    else:
        try:
            services.match_add_second_session(
                actor=request.user,
                match_id=match_id,
                hour_of_week=form.cleaned_data["hour_of_week"],
            )
            messages.success(request, _("A second weekly session was added."))
        except DomainError as exc:
            flash_refusal(request, exc)
    return redirect("mentoring:pair", match_id=match_id)


@require_POST
@login_required
def meeting(request: AuthedHttpRequest, match_id: int) -> HttpResponse:
    try:
        services.match_set_meeting(
            actor=request.user,
            match_id=match_id,
            online_link=request.POST.get("online_link", ""),
            place=request.POST.get("place", ""),
        )
        messages.success(request, _("Saved."))
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    return redirect("mentoring:pair", match_id=match_id)


@require_http_methods(["GET"])
@login_required
def document_file(request: AuthedHttpRequest, document_id: int) -> FileResponse:
    """A mentor's document, to the mentor or to staff screening the application
    (downloaded, never shown inline; not cached)."""
    doc = services.mentor_document_open(
        actor=request.user, document_id=document_id, request=request
    )
    name = doc.file.name or ""
    ext = name.rsplit(".", 1)[-1].lower()
    ext = "jpg" if ext == "jpeg" else ext
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=f"{doc.kind}-{doc.pk}.{ext}",
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["Cache-Control"] = "no-store"
    return response
