"""Staff pages (town officers, administrators): screening, terms, batch runs with
hand adjustment and publishing, problems, activity hours and their export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core import clock
from nanum.core.errors import DomainError, NotFound, PermissionDenied
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.models import Tenant

from .. import selectors, services
from ..forms import HoursForm, ScreenForm, TermForm
from ..models import Match, MatchRun, MentorProfile, ProblemReport
from ._common import flash_refusal, refusal_text


def _staff_tenants(request: AuthedHttpRequest) -> list[Tenant]:
    tenants = selectors.staff_tenants(request.user)
    if not tenants:
        raise NotFound()
    return tenants


@require_http_methods(["GET"])
@login_required
def staff_home(request: AuthedHttpRequest) -> HttpResponse:
    tenants = _staff_tenants(request)
    return render(
        request,
        "mentoring/staff_home.html",
        {
            "tenants": tenants,
            "pending": selectors.mentor_profiles_for_staff(request.user).filter(
                status__in=[MentorProfile.Status.APPLIED, MentorProfile.Status.APPROVED]
            ),
            "active_count": selectors.mentor_profiles_for_staff(
                request.user, status=MentorProfile.Status.ACTIVE
            ).count(),
            "terms": selectors.terms_for_staff(request.user),
            "problems": selectors.problems_for_staff(request.user).filter(
                status=ProblemReport.Status.OPEN
            )[:20],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def staff_mentor(request: AuthedHttpRequest, profile_id: int) -> HttpResponse:
    profile = services.mentor_profile_open(
        actor=request.user, profile_id=profile_id, request=request
    )
    form = ScreenForm(
        request.POST or None,
        initial={
            k: profile.checks.get(k) for k in ("identity", "enrolment", "record_check")
        },
    )
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "leave":
        try:
            ended = services.mentor_leave(
                actor=request.user,
                profile_id=profile.pk,
                reason=request.POST.get("reason", "")[:200],
            )
            messages.success(
                request,
                _(
                    "The mentor has left; %(n)s pairs ended. Run the "
                    "batch match again to rematch their mentees."
                )
                % {"n": len(ended)},
            )
        except DomainError as exc:
            flash_refusal(request, exc)
        return redirect("mentoring:staff_mentor", profile_id=profile.pk)
    if action == "capacity":
        try:
            services.mentor_set_capacity(
                actor=request.user,
                profile_id=profile.pk,
                capacity=int(request.POST.get("capacity") or 0),
            )
            messages.success(request, _("Capacity saved."))
        except ValueError:
            messages.error(request, _("A mentor takes 1 to 10 mentees."))
        except DomainError as exc:
            messages.error(request, refusal_text(exc))
        return redirect("mentoring:staff_mentor", profile_id=profile.pk)
    if action == "activate":
        try:
            services.mentor_activate(actor=request.user, profile_id=profile.pk)
            messages.success(request, _("The mentor is active."))
        except DomainError as exc:
            flash_refusal(request, exc)
        return redirect("mentoring:staff_mentor", profile_id=profile.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.mentor_screen(
                actor=request.user,
                profile_id=profile.pk,
                checks={k: d[k] for k in ("identity", "enrolment", "record_check")},
                training_completed_on=d["training_completed_on"],
                approve=d["decision"] == "approve",
                note=d["note"],
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Screening saved."))
            return redirect("mentoring:staff_mentor", profile_id=profile.pk)
    return render(
        request,
        "mentoring/staff_mentor.html",
        {
            "profile": profile,
            "form": form,
            "hours": ", ".join(
                services.hour_label(h) for h in profile.availability[:30]
            ),
            "documents": profile.documents.order_by("uploaded_at", "pk"),
            "retention_days": services.DOCUMENT_RETENTION_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def staff_term_new(request: AuthedHttpRequest) -> HttpResponse:
    tenants = _staff_tenants(request)
    tenant = next(
        (t for t in tenants if str(t.pk) == request.GET.get("town")), tenants[0]
    )
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_create(
                actor=request.user,
                tenant=tenant,
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("mentoring:staff_term", term_id=term.pk)
    return render(
        request,
        "mentoring/form_page.html",
        {
            "form": form,
            "title": _("New mentoring term for %(town)s") % {"town": tenant.name},
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def staff_term(request: AuthedHttpRequest, term_id: int) -> HttpResponse:
    term = selectors.term_get(actor=request.user, term_id=term_id)
    if request.method == "POST":
        try:
            run = services.match_run_create(actor=request.user, term_id=term.pk)
        except DomainError as exc:
            flash_refusal(request, exc)
        else:
            return redirect("mentoring:staff_run", run_id=run.pk)
    return render(
        request,
        "mentoring/staff_term.html",
        {
            "term": term,
            "surveys": selectors.surveys_for_staff(request.user, term).count(),
            "runs": term.runs.all()[:20],
            "active": term.matches.filter(status=Match.Status.ACTIVE).count(),
        },
    )


@require_http_methods(["GET"])
@login_required
def staff_run(request: AuthedHttpRequest, run_id: int) -> HttpResponse:
    view = services.match_run_open(actor=request.user, run_id=run_id, request=request)
    return render(
        request,
        "mentoring/staff_run.html",
        {
            "run": view.run,
            "pairs": [(m, services.why_text(m.why)) for m in view.pairs],
            "unmatched": [
                (u, services.REASON_LABELS.get(u.reason, u.reason))
                for u in view.unmatched
            ],
            "is_draft": view.run.status == MatchRun.Status.DRAFT and view.run.finished,
            "note": services.run_note_text(view.run),
        },
    )


@require_http_methods(["GET"])
@login_required
def staff_choose(
    request: AuthedHttpRequest, run_id: int, survey_id: int
) -> HttpResponse:
    """Mentors who keep every rule for this student and have room, best first."""
    view = services.survey_open(
        actor=request.user, run_id=run_id, survey_id=survey_id, request=request
    )
    return render(
        request,
        "mentoring/staff_choose.html",
        {
            "run": view.run,
            "survey": view.survey,
            "match": view.match,
            "options": [
                (m, score, services.why_text(why)) for m, score, why in view.options
            ],
            "is_draft": view.run.status == MatchRun.Status.DRAFT,
        },
    )


@require_POST
@login_required
def staff_run_action(request: AuthedHttpRequest, run_id: int) -> HttpResponse:
    run = selectors.match_run_get(actor=request.user, run_id=run_id)
    action = request.POST.get("action")
    try:
        match_id = int(request.POST.get("match") or 0)
        mentor_id = int(request.POST.get("mentor") or 0)
        survey_id = int(request.POST.get("survey") or 0)
    except ValueError:
        messages.error(request, _("Choose from the list."))
        return redirect("mentoring:staff_run", run_id=run.pk)
    try:
        if action == "adjust":
            services.match_adjust(
                actor=request.user, match_id=match_id, mentor_id=mentor_id
            )
        elif action == "remove":
            services.match_remove(actor=request.user, match_id=match_id)
        elif action == "add":
            services.match_add_manual(
                actor=request.user,
                run_id=run.pk,
                survey_id=survey_id,
                mentor_id=mentor_id,
            )
        elif action == "publish":
            services.match_run_publish(actor=request.user, run_id=run.pk)
            messages.success(
                request, _("Published: mentors and mentees have been told.")
            )
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    return redirect("mentoring:staff_run", run_id=run.pk)


@require_http_methods(["GET"])
@login_required
def staff_hours(request: AuthedHttpRequest) -> HttpResponse:
    tenants = _staff_tenants(request)
    tenant = next(
        (t for t in tenants if str(t.pk) == request.GET.get("town")), tenants[0]
    )
    form = HoursForm(request.GET or None)
    month = (
        form.cleaned_data["month"] if form.is_valid() else clock.today().replace(day=1)
    )
    fmt = request.GET.get("format")
    if fmt:
        try:
            body, content_type, name = services.mentor_hours_export(
                actor=request.user,
                tenant_id=tenant.pk,
                month=month,
                fmt=fmt,
                request=request,
            )
        except DomainError as exc:
            flash_refusal(request, exc)
            return redirect("mentoring:staff_hours")
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    rows = services.mentor_hours(actor=request.user, tenant_id=tenant.pk, month=month)
    return render(
        request,
        "mentoring/staff_hours.html",
        {
            "rows": rows,
            "form": form,
            "month": month,
            "tenant": tenant,
            "tenants": tenants,
        },
    )
