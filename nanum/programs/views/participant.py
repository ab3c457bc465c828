"""Pages of people who apply and take part: nominate, children, my applications, survey,
certificate, QR check-in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.models import Role

from .. import selectors, services
from ..forms import ChildForm, NominateForm, SurveyForm
from ..models import Application
from ..selectors import residential
from ._pdf import certificate_response


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    p = selectors.programme_get(pk=pk)
    if not request.user.has_role(Role.TEACHER):
        raise Http404
    students = list(
        selectors.nominable_students(request.user).order_by("display_name", "pk")
    )
    form = NominateForm(
        request.POST if request.method == "POST" else None, students=students
    )
    if request.method == "POST" and form.is_valid():
        try:
            apps = services.application_nominate(
                actor=request.user,
                programme=p,
                student_ids=form.cleaned_data["students"],
            )
            messages.success(request, _("%(n)s students nominated.") % {"n": len(apps)})
            return redirect("programs:mine")
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "programs/nominate.html",
        {"p": p, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def children(request: AuthedHttpRequest) -> HttpResponse:
    form = ChildForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_add(
                actor=request.user,
                name=form.cleaned_data["name"],
                grade=form.cleaned_data["grade"],
            )
            messages.success(request, _("Child added."))
            nxt = request.POST.get("next_programme", "")
            if nxt.isdigit():
                return redirect("programs:detail", pk=int(nxt))
            return redirect("programs:children")
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "programs/children.html",
        {
            "form": form,
            "children": selectors.children_of(actor=request.user),
            "next_programme": request.GET.get("programme", ""),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET"])
def my_applications(request: AuthedHttpRequest) -> HttpResponse:
    apps = list(selectors.my_applications(actor=request.user)[:200])
    return render(
        request,
        "programs/mine.html",
        {
            "apps": apps,
            "S": Application.Status,
            "show_stays": residential.stays_link_shown(actor=request.user),
        },
    )


@login_required
@require_POST
def application_action(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    action = request.POST.get("action")
    try:
        if action == "withdraw":
            services.application_withdraw(actor=request.user, application_id=pk)
            messages.success(request, _("Your application was withdrawn."))
        elif action in ("accept", "decline"):
            services.application_confirm(
                actor=request.user, application_id=pk, accept=action == "accept"
            )
            messages.success(request, _("Thank you, your answer was recorded."))
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("programs:mine")


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    app = selectors.my_application_get(actor=request.user, pk=pk)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.survey_submit(
                actor=request.user,
                application_id=pk,
                overall=d["overall"],
                content=d["content"],
                instructor=d["instructor"],
                comment=d["comment"],
            )
            messages.success(request, _("Thank you for your answers."))
            return redirect("programs:mine")
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "programs/survey.html",
        {"app": app, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET"])
def certificate_pdf(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    cert = selectors.my_certificate_get(actor=request.user, application_id=pk)
    return certificate_response(cert, request)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: AuthedHttpRequest, token: str) -> HttpResponse:
    """The QR code at the session leads here; POST records the check-in (GET confirms)."""
    att, error = None, None
    if request.method == "POST":
        try:
            att = services.checkin(actor=request.user, token=token)
        except DomainError as exc:
            error = str(exc.message)
    return render(
        request,
        "programs/checkin.html",
        {"att": att, "error": error, "token": token},
        status=400 if error else 200,
    )
