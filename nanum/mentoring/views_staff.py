"""Staff pages (town officers, administrators): screening, terms, batch runs with
hand adjustment and publishing, problems, activity hours and their export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.errors import DomainError
from nanum.core.models import Tenant
from nanum.core.services import access_record

from . import selectors, services
from .forms import HoursForm, ScreenForm, TermForm
from .models import MatchRun, MentorProfile
from .services.common import hour_label
from .services.matching import REASON_LABELS, why_text
from .views import domain_view, show_error


def _staff_tenants(request: HttpRequest) -> list[Tenant]:
    ids = selectors.staff_tenant_ids(request.user)
    qs = Tenant.objects.all() if ids is None else Tenant.objects.filter(pk__in=ids)
    tenants = list(qs)
    if not tenants:
        raise Http404()
    return tenants


@require_http_methods(["GET"])
@domain_view
def staff_home(request: HttpRequest) -> HttpResponse:
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
                request.user, status="active"
            ).count(),
            "terms": selectors.terms_for_staff(request.user),
            "problems": selectors.problems_for_staff(request.user).filter(
                status="open"
            )[:20],
        },
    )


@require_http_methods(["GET", "POST"])
@domain_view
def staff_mentor(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = selectors.mentor_profile_for_staff(request.user, profile_id)
    access_record(
        actor=request.user,
        action="view",
        subject=profile.user,
        object_type="mentoring.mentor",
        object_id=str(profile.pk),
        tenant=profile.tenant,
        request=request,
    )
    form = ScreenForm(
        request.POST or None,
        initial={
            k: profile.checks.get(k) for k in ("identity", "enrolment", "record_check")
        },
    )
    if request.method == "POST" and request.POST.get("action") == "leave":
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
            show_error(request, None, exc)
        return redirect("mentoring:staff_mentor", profile_id=profile.pk)
    if request.method == "POST" and request.POST.get("action") == "capacity":
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
            msgs = [str(e) for errs in exc.field_errors.values() for e in errs]
            messages.error(request, " ".join(msgs) or str(exc.message))
        return redirect("mentoring:staff_mentor", profile_id=profile.pk)
    if request.method == "POST" and request.POST.get("action") == "activate":
        try:
            services.mentor_activate(actor=request.user, profile_id=profile.pk)
            messages.success(request, _("The mentor is active."))
        except DomainError as exc:
            show_error(request, None, exc)
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
        except DomainError as exc:
            show_error(request, form, exc)
        else:
            messages.success(request, _("Screening saved."))
            return redirect("mentoring:staff_mentor", profile_id=profile.pk)
    return render(
        request,
        "mentoring/staff_mentor.html",
        {
            "profile": profile,
            "form": form,
            "hours": ", ".join(hour_label(h) for h in profile.availability[:30]),
            "documents": profile.documents.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@domain_view
def staff_term_new(request: HttpRequest) -> HttpResponse:
    tenants = _staff_tenants(request)
    tenant = next(
        (t for t in tenants if str(t.pk) == request.GET.get("town")), tenants[0]
    )
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_create(
                actor=request.user, tenant=tenant, **form.cleaned_data
            )
        except DomainError as exc:
            show_error(request, form, exc)
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
@domain_view
def staff_term(request: HttpRequest, term_id: int) -> HttpResponse:
    term = selectors.term_for_staff(request.user, term_id)
    if request.method == "POST":
        try:
            run = services.match_run_create(actor=request.user, term_id=term.pk)
        except DomainError as exc:
            show_error(request, None, exc)
        else:
            return redirect("mentoring:staff_run", run_id=run.pk)
    return render(
        request,
        "mentoring/staff_term.html",
        {
            "term": term,
            "surveys": selectors.surveys_for_staff(request.user, term).count(),
            "runs": term.runs.all()[:20],
            "active": term.matches.filter(status="active").count(),
        },
    )


@require_http_methods(["GET"])
@domain_view
def staff_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_for_staff(request.user, run_id)
    pairs = [
        (m, why_text(m.why))
        for m in run.matches.select_related("mentor__user", "student").order_by("pk")
    ]
    unmatched = [
        (u, REASON_LABELS.get(u.reason, u.reason))
        for u in run.unmatched.select_related("survey__student")
    ]
    access_record(
        actor=request.user,
        action="view",
        subject=None,
        object_type="mentoring.run",
        object_id=str(run.pk),
        tenant=run.tenant,
        record_count=len(pairs) + len(unmatched),
        request=request,
    )
    return render(
        request,
        "mentoring/staff_run.html",
        {
            "run": run,
            "pairs": pairs,
            "unmatched": unmatched,
            "is_draft": run.status == MatchRun.Status.DRAFT,
        },
    )


@require_http_methods(["GET"])
@domain_view
def staff_choose(request: HttpRequest, run_id: int, survey_id: int) -> HttpResponse:
    """Mentors who keep every rule for this student and have room, best first."""
    run = selectors.run_for_staff(request.user, run_id)
    survey = (
        selectors.surveys_for_staff(request.user, run.term).filter(pk=survey_id).first()
    )
    if survey is None:
        raise Http404()
    match = run.matches.filter(survey=survey).first()
    options = [
        (m, score, why_text(why))
        for m, score, why in services.adjust.mentor_options(survey)
    ]
    access_record(
        actor=request.user,
        action="view",
        subject=survey.student,
        object_type="mentoring.survey",
        object_id=str(survey.pk),
        tenant=run.tenant,
        request=request,
    )
    return render(
        request,
        "mentoring/staff_choose.html",
        {
            "run": run,
            "survey": survey,
            "match": match,
            "options": options,
            "is_draft": run.status == MatchRun.Status.DRAFT,
        },
    )


@require_POST
@domain_view
def staff_run_action(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_for_staff(request.user, run_id)
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
        msgs = [str(e) for errs in exc.field_errors.values() for e in errs]
        messages.error(request, " ".join(msgs) or str(exc.message))
    return redirect("mentoring:staff_run", run_id=run.pk)


@require_http_methods(["GET"])
@domain_view
def staff_hours(request: HttpRequest) -> HttpResponse:
    tenants = _staff_tenants(request)
    tenant = next(
        (t for t in tenants if str(t.pk) == request.GET.get("town")), tenants[0]
    )
    form = HoursForm(request.GET or None)
    month = (
        form.cleaned_data["month"]
        if form.is_valid()
        else timezone.localdate().replace(day=1)
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
            show_error(request, None, exc)
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
