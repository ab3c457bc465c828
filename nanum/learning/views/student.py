"""Student and guardian pages: apply, follow the application, study, own data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.errors import DomainError
from nanum.core.models import Organisation, User

from .. import selectors
from ..forms import ApplicationForm, ChildForm, GoalForm, MoreDocumentsForm, PlanForm
from ..models import Application, Category, GuardianLink, PlanEntry, Status
from ..services import applications as app_services
from ..services import membership, privacy, seats, study
from ..services.guardians import child_register
from .common import home_changed, home_version, int_or_none, show_error


@login_required
def student_home(request: HttpRequest) -> HttpResponse:
    data = selectors.student_home(student=request.user, version=home_version(request))
    data["weekdays"] = PlanEntry.Weekday.choices
    return render(request, "learning/student_home.html", data)


@login_required
@require_http_methods(["GET", "POST"])
def children(request: HttpRequest) -> HttpResponse:
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = child_register(
                actor=request.user,
                display_name=form.cleaned_data["display_name"],
                birth_year=form.cleaned_data["birth_year"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is added. You can now apply for them.") % {"name": child},
            )
            return redirect("learning:apply")
    links = GuardianLink.objects.filter(guardian=request.user).select_related("child")
    return render(request, "learning/children.html", {"form": form, "links": links})


@login_required
def apply(request: HttpRequest) -> HttpResponse:
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
def apply_town(request: HttpRequest, slug: str) -> HttpResponse:
    policy = selectors.policy_by_slug(slug)
    if policy is None:
        raise Http404
    children = [
        link.child
        for link in GuardianLink.objects.filter(guardian=request.user).select_related(
            "child"
        )
    ]
    providers = Organisation.objects.filter(
        pk__in=[
            a.provider_id
            for a in selectors.offered_providers(tenant_id=policy.tenant_id)
        ]
    )
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        children=children,
        providers=providers,
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        student: User = request.user
        if children:
            student = next((c for c in children if str(c.pk) == cd["student"]), None)
            if student is None:
                raise DjangoPermissionDenied
        data = app_services.ApplicationInput(
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
            preferred_provider=cd["preferred_provider"],
            documents=[("eligibility", f) for f in cd["eligibility_documents"]]
            + [("other", f) for f in cd["other_documents"]],
        )
        try:
            app = app_services.application_submit(
                actor=request.user, tenant=policy.tenant, data=data, student=student
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Your application was sent."))
            return redirect("learning:my_application", app.pk)
    return render(
        request,
        "learning/apply.html",
        {"policy": policy, "form": form, "categories": Category},
    )


def _own_application(request: HttpRequest, pk: int) -> Application:
    app = (
        selectors.my_applications(actor=request.user)
        .prefetch_related("documents")
        .filter(pk=pk)
        .first()
    )
    if app is None:
        raise Http404
    return app


@login_required
@require_http_methods(["GET", "POST"])
def my_application(request: HttpRequest, pk: int) -> HttpResponse:
    app = _own_application(request, pk)
    form = MoreDocumentsForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        home_changed(request)
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                app_services.application_withdraw(
                    actor=request.user, application_id=app.pk
                )
                messages.success(request, _("Your application was withdrawn."))
                return redirect("learning:my_application", app.pk)
            if action == "renew":
                membership.application_request_renewal(
                    actor=request.user, application_id=app.pk
                )
                messages.success(request, _("Your renewal request was sent."))
                return redirect("learning:my_application", app.pk)
            if form.is_valid():
                app_services.application_add_documents(
                    actor=request.user,
                    application_id=app.pk,
                    documents=[
                        ("eligibility", f) for f in form.cleaned_data["documents"]
                    ],
                )
                messages.success(request, _("Your documents were sent."))
                return redirect("learning:my_application", app.pk)
        except DomainError as exc:
            show_error(form, exc)
    return render(
        request,
        "learning/my_application.html",
        {"app": app, "form": form, "Status": Status},
    )


@login_required
@require_POST
def choose_provider(request: HttpRequest) -> HttpResponse:
    home_changed(request)
    provider_id = int_or_none(request.POST.get("provider"))
    try:
        seat = seats.seat_choose(actor=request.user, provider_id=provider_id or 0)
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
def handoff(request: HttpRequest, seat_id: int) -> HttpResponse:
    try:
        url = seats.handoff_link(actor=request.user, seat_id=seat_id)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("learning:student_home")
    return HttpResponseRedirect(url)


@login_required
@require_POST
def goal(request: HttpRequest) -> HttpResponse:
    home_changed(request)
    form = GoalForm(request.POST)
    if form.is_valid():
        study.goal_set(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your goal was saved."))
    else:
        messages.error(request, _("Choose between 10 and 5,000 minutes."))
    return redirect("learning:student_home")


@login_required
@require_POST
def plan(request: HttpRequest) -> HttpResponse:
    home_changed(request)
    remove = int_or_none(request.POST.get("remove"))
    try:
        if remove:
            study.plan_entry_remove(actor=request.user, entry_id=remove)
        else:
            form = PlanForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Check the day, subject and minutes."))
                return redirect("learning:student_home")
            study.plan_entry_add(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your plan was updated."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("learning:student_home")


@login_required
@require_http_methods(["GET"])
def my_data(request: HttpRequest) -> HttpResponse:
    data = privacy.my_data_zip(actor=request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="my-seoul-learn-data.zip"'
    response["Cache-Control"] = "no-store"
    return response
