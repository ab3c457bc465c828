"""Public and participant pages: listing, detail, apply, my applications, check-in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.models import Role

from . import feeds, pdf, running, selectors, services
from .forms import ApplyForm, ChildForm, FilterForm, NominateForm, SurveyForm
from .models import Application, Child, Programme


def _show_error(request: HttpRequest, form: Any, exc: DomainError) -> None:
    if form is not None:
        add_domain_error(form, exc)
    else:
        messages.error(request, str(exc.message))


def _filters(request: HttpRequest) -> tuple[FilterForm, selectors.ListingFilters]:
    form = FilterForm(request.GET or None)
    f = selectors.ListingFilters()
    if form.is_valid():
        d = form.cleaned_data
        f = selectors.ListingFilters(
            q=d["q"] or "", kind=d["kind"] or "", audience=d["audience"] or "",
            grade=d["grade"], open_only=d["open_only"],
            organiser=d["organiser"].pk if d["organiser"] else None,
        )  # fmt: skip
    return form, f


@require_http_methods(["GET"])
def programme_list(request: HttpRequest) -> HttpResponse:
    form, f = _filters(request)
    programmes = list(selectors.programme_list(filters=f)[:200])
    query = request.GET.urlencode()
    return render(request, "programs/list.html",
                  {"form": form, "programmes": programmes, "query": query})  # fmt: skip


@require_http_methods(["GET"])
def calendar_feed(request: HttpRequest) -> HttpResponse:
    _form, f = _filters(request)
    return feeds.ical_response(
        selectors.programme_list(filters=f)[:500], "nanum-programmes"
    )


@require_http_methods(["GET"])
def programme_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    p = _public(pk)
    return feeds.ical_response([p], f"programme-{p.pk}")


def _public(pk: int) -> Programme:
    try:
        return selectors.programme_get(pk=pk)
    except DomainError as exc:
        raise Http404 from exc


def _children(request: HttpRequest) -> list[Child]:
    if request.user.is_authenticated and request.user.has_role(Role.GUARDIAN):
        return list(Child.objects.filter(guardian=request.user).order_by("pk"))
    return []


@require_http_methods(["GET", "POST"])
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = _public(pk)
    user = request.user
    children = _children(request) if p.audience != Programme.Audience.TEACHERS else []
    form = ApplyForm(
        request.POST if request.method == "POST" else None, children=children
    )
    if p.selection != Programme.Selection.LOTTERY or p.audience == "teachers":
        del form.fields["declare_priority"]  # priority only matters in a lottery
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{reverse('core:login')}?next={request.path}")
        if form.is_valid():
            child = next(
                (c for c in children if c.pk == form.cleaned_data.get("child")), None
            )
            try:
                app = services.application_apply(
                    actor=user, programme=p, child=child,
                    declare_priority=form.cleaned_data.get("declare_priority", False),
                )  # fmt: skip
                messages.success(request, _("Your application was received: %(status)s")
                                 % {"status": app.get_status_display()})  # fmt: skip
                return redirect("programs:mine")
            except DomainError as exc:
                _show_error(request, form, exc)
    mine = (
        selectors.my_application_for(actor=user, programme=p)
        if user.is_authenticated
        else []
    )
    return render(
        request,
        "programs/detail.html",
        {
            "p": p, "form": form, "mine": mine, "sessions": selectors.sessions_of(p),
            "taken": selectors.seats_taken(p), "is_open": p.is_open(),
            "commitment": services.seed_commitment(p.lottery_seed),
            "can_nominate": user.is_authenticated and user.has_role(Role.TEACHER)
            and p.audience == Programme.Audience.STUDENTS,
            "is_guardian": bool(user.is_authenticated and user.has_role(Role.GUARDIAN)),
        },
        status=422 if request.method == "POST" else 200,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    p = _public(pk)
    if not request.user.has_role(Role.TEACHER):
        raise Http404
    students = list(
        services.nominable_students(request.user).order_by("display_name", "pk")
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
            _show_error(request, form, exc)
    return render(request, "programs/nominate.html", {"p": p, "form": form},
                  status=422 if request.method == "POST" else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def children(request: HttpRequest) -> HttpResponse:
    form = ChildForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_add(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Child added."))
            nxt = request.POST.get("next_programme", "")
            if nxt.isdigit():
                return redirect("programs:detail", pk=int(nxt))
            return redirect("programs:children")
        except DomainError as exc:
            _show_error(request, form, exc)
    return render(request, "programs/children.html",
                  {"form": form, "children": _children(request),
                   "next_programme": request.GET.get("programme", "")},
                  status=422 if request.method == "POST" else 200)  # fmt: skip


@login_required
@require_http_methods(["GET"])
def my_applications(request: HttpRequest) -> HttpResponse:
    apps = list(selectors.my_applications(actor=request.user)[:200])
    return render(
        request, "programs/mine.html", {"apps": apps, "S": Application.Status}
    )


@login_required
@require_POST
def application_action(request: HttpRequest, pk: int) -> HttpResponse:
    action = request.POST.get("action")
    try:
        if action == "withdraw":
            services.application_withdraw(actor=request.user, application_id=pk)
            messages.success(request, _("Your application was withdrawn."))
        elif action in ("accept", "decline"):
            services.application_confirm(actor=request.user, application_id=pk,
                                         accept=action == "accept")  # fmt: skip
            messages.success(request, _("Thank you, your answer was recorded."))
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("programs:mine")


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.my_applications(actor=request.user).filter(pk=pk).first()
    if app is None:
        raise Http404
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            running.survey_submit(
                actor=request.user, application_id=pk, data=form.cleaned_data
            )
            messages.success(request, _("Thank you for your answers."))
            return redirect("programs:mine")
        except DomainError as exc:
            _show_error(request, form, exc)
    return render(request, "programs/survey.html", {"app": app, "form": form},
                  status=422 if request.method == "POST" else 200)  # fmt: skip


@login_required
@require_http_methods(["GET"])
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.my_applications(actor=request.user).filter(pk=pk).first()
    cert = getattr(app, "certificate", None) if app else None
    if cert is None:
        raise Http404
    return pdf.certificate_response(cert, request)


@require_http_methods(["GET"])
def verify(request: HttpRequest) -> HttpResponse:
    code = (request.GET.get("code") or "")[:40]
    cert = running.certificate_verify(code) if code else None
    return render(request, "programs/verify.html",
                  {"code": code, "cert": cert,
                   "masked": running.mask_name(cert.holder_name) if cert else ""})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    """The QR code at the session leads here; POST records the check-in (GET confirms)."""
    att, error = None, None
    if request.method == "POST":
        try:
            att = running.checkin(actor=request.user, token=token)
        except DomainError as exc:
            error = str(exc.message)
    return render(request, "programs/checkin.html",
                  {"att": att, "error": error, "token": token},
                  status=400 if error else 200)  # fmt: skip
