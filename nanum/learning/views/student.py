"""Student and guardian pages: apply, follow the application, study, own data."""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.charts import Chart, Series, bar_chart
from nanum.core.errors import DomainError, NotFound
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.idempotency import form_once
from nanum.core.models import Organisation

from .. import selectors, services
from ..forms import ApplicationForm, ChildForm, GoalForm, MoreDocumentsForm, PlanForm
from ..models import Category, PlanEntry, Status
from ..services.home import student_home_show
from ._common import int_or_none


@login_required
def student_home(request: AuthedHttpRequest) -> HttpResponse:
    """What's next: the lesson to continue, the next mentoring session and the next
    recommended lesson, this week against the goal, the streak, unread messages."""
    data = student_home_show(student=request.user)
    data["week_chart"] = partial(_week_chart, data)  # drawn only if not cached
    data["weekdays"] = PlanEntry.Weekday.choices
    # The parts drawn from the cached summary are cached as HTML under its key (with
    # this browser's CSRF secret: their forms carry a token).
    get_token(request)
    secret = hashlib.sha256(request.META.get("CSRF_COOKIE", "").encode()).hexdigest()
    data["home_key"] = f"{data['summary_key']}:{secret[:16]}"
    data["home_seconds"] = data["summary_seconds"]
    return render(request, "learning/student_home.html", data)


def _week_chart(data: dict[str, Any]) -> Chart:
    goal = data["goal"]
    return bar_chart(
        title=_("Minutes studied per week (last 8 weeks)"),
        labels=[f"{w['start'].month}/{w['start'].day}" for w in data["weeks"]],
        series=[Series(_("Minutes"), [w["minutes"] for w in data["weeks"]])],
        unit=_("min"),
        goal=goal.target_minutes if goal else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def children(request: AuthedHttpRequest) -> HttpResponse:
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.child_register(
                actor=request.user,
                display_name=form.cleaned_data["display_name"],
                birth_year=form.cleaned_data["birth_year"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(
                request,
                _("%(name)s is added. You can now apply for them.") % {"name": child},
            )
            return redirect("learning:apply")
    links = selectors.child_links(actor=request.user)
    return render(request, "learning/children.html", {"form": form, "links": links})


@login_required
def apply(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/apply_choose.html",
        {
            "policies": selectors.open_policies(),
            "mine": selectors.my_applications(actor=request.user)[:10],
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def apply_town(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    policy = selectors.town_policy_get(slug=slug)
    children = [link.child for link in selectors.child_links(actor=request.user)]
    providers: list[Organisation] = [
        a.provider for a in selectors.offered_providers(tenant_id=policy.tenant_id)
    ]
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        children=children,
        providers=providers,
        categories=list(policy.categories or []),
        levels=list(policy.school_levels or []),
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        data = services.ApplicationInput(
            full_name=cd["full_name"],
            birth_year=cd["birth_year"],
            school_level=cd["school_level"],
            category=cd["category"],
            consent_collection=cd["consent_collection"],
            phone=cd["phone"],
            address=cd["address"],
            district=cd["district"],
            lives_in_town=cd["lives_in_town"],
            school_name=cd["school_name"],
            grade=cd["grade"],
            income_pct=cd["income_pct"],
            family_status=cd["family_status"],
            guardian_consent=cd.get("guardian_consent") or False,
            preferred_provider_id=cd["preferred_provider"],
            documents=[("eligibility", f) for f in cd["eligibility_documents"]]
            + [("other", f) for f in cd["other_documents"]]
            + [("relationship", f) for f in cd.get("relationship_documents") or []],
        )
        with form_once(request) as once:  # sent twice: one application
            if once.replayed:
                return once.replayed
            try:
                app = services.application_submit(
                    actor=request.user,
                    tenant=policy.tenant,
                    data=data,
                    student_id=cd.get("student"),
                )
            except DomainError as exc:
                if isinstance(exc, NotFound):
                    raise
                add_domain_error(form, exc, with_summary=True)
            else:
                messages.success(request, _("Your application was sent."))
                return once.done(redirect("learning:my_application", app.pk))
    return render(
        request,
        "learning/apply.html",
        {"policy": policy, "form": form, "categories": Category},
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_application(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    app = selectors.my_application_get(actor=request.user, application_id=pk)
    form = MoreDocumentsForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                services.application_withdraw(actor=request.user, application_id=app.pk)
                messages.success(request, _("Your application was withdrawn."))
                return redirect("learning:my_application", app.pk)
            if action == "renew":
                services.application_request_renewal(
                    actor=request.user, application_id=app.pk
                )
                messages.success(request, _("Your renewal request was sent."))
                return redirect("learning:my_application", app.pk)
            if form.is_valid():
                services.application_add_documents(
                    actor=request.user,
                    application_id=app.pk,
                    documents=[
                        (form.cleaned_data.get("kind") or "eligibility", f)
                        for f in form.cleaned_data["documents"]
                    ],
                )
                messages.success(request, _("Your documents were sent."))
                return redirect("learning:my_application", app.pk)
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
    return render(
        request,
        "learning/my_application.html",
        {
            "app": app,
            "form": form,
            "Status": Status,
            "missing": selectors.guardian_checks_missing(app),
        },
    )


@login_required
@require_POST
def choose_provider(request: AuthedHttpRequest) -> HttpResponse:
    provider_id = int_or_none(request.POST.get("provider"))
    try:
        seat = services.seat_choose(actor=request.user, provider_id=provider_id or 0)
    except DomainError as exc:
        messages.error(
            request,
            str(exc.message)
            + "".join(f" {m}" for msgs in exc.field_errors.values() for m in msgs),
        )
    else:
        if seat is None:
            messages.info(request, _("That site is full. You are on its waiting list."))
        else:
            messages.success(request, _("Your seat is ready."))
    return redirect("learning:student_home")


@login_required
@require_POST
def handoff(request: AuthedHttpRequest, seat_id: int) -> HttpResponse:
    try:
        lecture = request.POST.get("lecture", "")[:12]
        url = services.handoff_link(
            actor=request.user,
            seat_id=seat_id,
            lecture_id=int(lecture) if lecture.isdigit() else None,
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("learning:student_home")
    # A page that moves on by itself, not a redirect: the CSP's form-action 'self'
    # stops a form's redirect to another origin in the browser.
    seat = selectors.student_home(student=request.user)["seat"]
    response = render(request, "learning/handoff.html", {"url": url, "seat": seat})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def goal(request: AuthedHttpRequest) -> HttpResponse:
    form = GoalForm(request.POST)
    if form.is_valid():
        services.goal_set(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your goal was saved."))
    else:
        messages.error(request, _("Choose between 10 and 5,000 minutes."))
    return redirect("learning:student_home")


@login_required
@require_POST
def plan(request: AuthedHttpRequest) -> HttpResponse:
    remove = int_or_none(request.POST.get("remove"))
    try:
        if remove:
            services.plan_entry_remove(actor=request.user, entry_id=remove)
        else:
            form = PlanForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Check the day, subject and minutes."))
                return redirect("learning:student_home")
            services.plan_entry_add(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your plan was updated."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("learning:student_home")


@login_required
@require_http_methods(["GET"])
def my_data(request: AuthedHttpRequest) -> HttpResponse:
    data = services.my_data_zip(actor=request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="my-seoul-learn-data.zip"'
    response["Cache-Control"] = "no-store"
    return response
