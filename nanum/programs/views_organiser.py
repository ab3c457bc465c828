"""Organiser pages: dashboard, programme form, sessions, draw, attendance, QR, surveys."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nanum.core.errors import DomainError
from nanum.core.models import Organisation
from nanum.core.services import access_record

from . import rules, running, selectors, services
from .forms import ProgrammeForm, SessionForm
from .models import Programme, Session
from .views import _show_error


def _organiser_only(request: HttpRequest) -> None:
    if not rules.is_organiser(request.user):
        raise Http404


def _mine(request: HttpRequest, pk: int) -> Programme:
    _organiser_only(request)
    try:
        return selectors.organiser_programme_get(actor=request.user, pk=pk)
    except DomainError as exc:
        raise Http404 from exc


def _organisers(request: HttpRequest) -> QuerySet[Organisation]:
    ids = rules.managed_org_ids(request.user)
    qs = Organisation.objects.filter(is_active=True).exclude(kind="school")
    return qs if ids is None else qs.filter(pk__in=ids)


@login_required
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    _organiser_only(request)
    programmes = selectors.organiser_programmes(actor=request.user)
    rows = list(programmes[:200])
    rates = selectors.attendance_rates(rows)
    for p in rows:
        p.attendance_rate = rates.get(p.pk)
    return render(request, "programs/organiser/dashboard.html",
                  {"programmes": rows, "totals": selectors.dashboard_totals(programmes)})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _organiser_only(request)
    p = _mine(request, pk) if pk else None
    orgs = None if p else _organisers(request)
    form = ProgrammeForm(
        request.POST if request.method == "POST" else None, instance=p, organisers=orgs
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "organiser"}
        try:
            if p is None:
                p = services.programme_create(actor=request.user,
                                              organiser=form.cleaned_data["organiser"],
                                              data=data)  # fmt: skip
            else:
                services.programme_update(actor=request.user, programme=p, data=data)
            messages.success(request, _("The programme was saved."))
            return redirect("programs:organiser_programme", pk=p.pk)
        except DomainError as exc:
            _show_error(request, form, exc)
    return render(request, "programs/organiser/edit.html", {"form": form, "p": p},
                  status=422 if request.method == "POST" else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def programme_manage(request: HttpRequest, pk: int) -> HttpResponse:
    p = _mine(request, pk)
    is_session = request.method == "POST" and request.POST.get("action") == "session"
    session_form = SessionForm(request.POST if is_session else None)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "session" and session_form.is_valid():
                services.session_add(actor=request.user, programme=p,
                                     data=session_form.cleaned_data)  # fmt: skip
                messages.success(request, _("Session added."))
                return redirect("programs:organiser_programme", pk=p.pk)
            if action in ("published", "draft", "cancelled"):
                services.programme_set_status(
                    actor=request.user, programme=p, status=action
                )
                messages.success(request, _("Status changed."))
                return redirect("programs:organiser_programme", pk=p.pk)
            if action == "draw":
                services.programme_draw(actor=request.user, programme=p)
                messages.success(request, _("The draw has taken place."))
                return redirect("programs:organiser_programme", pk=p.pk)
            if action == "promote":
                offered = services.waitlist_promote(programme_id=p.pk)
                messages.success(request, _("%(n)s offers sent.") % {"n": len(offered)})
                return redirect("programs:organiser_programme", pk=p.pk)
            if action == "certificates":
                certs = running.certificates_issue(actor=request.user, programme=p)
                messages.success(
                    request, _("%(n)s certificates issued.") % {"n": len(certs)}
                )
                return redirect("programs:organiser_programme", pk=p.pk)
            if action == "priority":
                services.application_set_priority(
                    actor=request.user, application_id=int(request.POST.get("application", 0)),
                    priority=request.POST.get("value") == "1", programme_ids=[p.pk],
                )  # fmt: skip
                messages.success(request, _("Priority changed."))
                return redirect("programs:organiser_programme", pk=p.pk)
        except DomainError as exc:
            _show_error(request, session_form if exc.field_errors else None, exc)
        except ValueError:
            messages.error(request, _("Unknown participant."))
    apps = list(selectors.organiser_applications(programme=p))
    access_record(actor=request.user, action="view", subject=None, tenant=p.tenant,
                  object_type="programs.Application", object_id=f"programme:{p.pk}",
                  record_count=len(apps), request=request,
                  purpose="organiser applicant list")  # fmt: skip
    counts = running.attendance_counts(p)
    grid = selectors.attendance_grid(p)
    total = len(grid["sessions"])
    rows = [
        {"app": a, "attended": counts.get(a.pk, 0),
         "complete": running.completed(counts.get(a.pk, 0), total, p.completion_percent)}
        for a in apps
    ]  # fmt: skip
    return render(
        request,
        "programs/organiser/manage.html",
        {"p": p, "rows": rows, "session_form": session_form, "grid": grid,
         "survey": selectors.survey_results(p), "taken": selectors.seats_taken(p),
         "commitment": services.seed_commitment(p.lottery_seed)},
        status=422 if session_form.errors else 200,
    )  # fmt: skip


def _session(request: HttpRequest, pk: int, session_pk: int) -> Session:
    p = _mine(request, pk)
    s = p.sessions.filter(pk=session_pk).first()
    if s is None:
        raise Http404
    return s


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    s = _session(request, pk, session_pk)
    apps = list(
        selectors.organiser_applications(programme=s.programme).filter(
            status="selected"
        )
    )
    if request.method == "POST":
        try:
            present = [int(x) for x in request.POST.getlist("present")]
            running.attendance_mark(actor=request.user, session=s,
                                    application_ids=[a.pk for a in apps],
                                    present_ids=present)  # fmt: skip
            messages.success(request, _("Attendance saved."))
            return redirect("programs:organiser_programme", pk=pk)
        except (DomainError, ValueError):
            messages.error(request, _("Unknown participant."))
    present = set(
        s.attendance.filter(present=True).values_list("application_id", flat=True)
    )
    access_record(actor=request.user, action="view", subject=None, tenant=s.programme.tenant,
                  object_type="programs.Attendance", object_id=f"session:{s.pk}",
                  record_count=len(apps), request=request, purpose="attendance list")  # fmt: skip
    return render(request, "programs/organiser/attendance.html",
                  {"s": s, "p": s.programme, "apps": apps, "present": present,
                   "checkin_url": request.build_absolute_uri(running.checkin_url(s))})  # fmt: skip


@login_required
@require_http_methods(["GET"])
def session_qr(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """An SVG QR code of the signed, expiring check-in link, to show at the session."""
    s = _session(request, pk, session_pk)
    url = request.build_absolute_uri(running.checkin_url(s))
    svg = segno.make(url, error="m").svg_inline(scale=8, title=_("Check-in QR code"))
    return HttpResponse(svg, content_type="image/svg+xml")
