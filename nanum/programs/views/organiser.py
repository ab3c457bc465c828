"""Organiser pages: dashboard, programme form, sessions, draw, attendance, QR, surveys."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.spreadsheets import file_response

from .. import selectors, services
from ..forms import (
    ExportForm,
    MessageForm,
    ProgrammeForm,
    SessionForm,
    programme_input,
)
from ..models import Application, Programme

STATUS_ACTIONS = (
    Programme.Status.PUBLISHED,
    Programme.Status.DRAFT,
    Programme.Status.CANCELLED,
)


def _organiser_only(request: AuthedHttpRequest) -> None:
    if not selectors.is_organiser(request.user):
        raise Http404


@login_required
@require_http_methods(["GET"])
def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    _organiser_only(request)
    programmes = selectors.organiser_programmes(actor=request.user)
    rows = list(programmes[:200])
    rates = selectors.attendance_rates(rows)
    return render(
        request,
        "programs/organiser/dashboard.html",
        {
            "programmes": [(p, rates.get(p.pk)) for p in rows],
            "totals": selectors.dashboard_totals(programmes),
            "chart": selectors.applications_chart(rows),
            "manages_labs": selectors.labs_managed(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: AuthedHttpRequest, pk: int | None = None) -> HttpResponse:
    _organiser_only(request)
    p = selectors.organiser_programme_get(actor=request.user, pk=pk) if pk else None
    orgs = None if p else selectors.organisers_for(actor=request.user)
    form = ProgrammeForm(
        request.POST if request.method == "POST" else None, instance=p, organisers=orgs
    )
    if request.method == "POST" and form.is_valid():
        try:
            if p is None:
                p = services.programme_create(
                    actor=request.user,
                    organiser=form.cleaned_data["organiser"],
                    programme=programme_input(form.cleaned_data),
                )
            else:
                services.programme_update(
                    actor=request.user,
                    programme=p,
                    changes=programme_input(form.cleaned_data),
                )
            messages.success(request, _("The programme was saved."))
            return redirect("programs:organiser_programme", pk=p.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "programs/organiser/edit.html",
        {"form": form, "p": p},
        status=422 if request.method == "POST" else 200,
    )


def _manage_action(
    request: AuthedHttpRequest, p: Programme, session_form: SessionForm
) -> bool:
    """Carry out the POSTed action; True when it was done (then redirect)."""
    action = request.POST.get("action")
    if action == "session" and session_form.is_valid():
        d = session_form.cleaned_data
        services.session_add(
            actor=request.user,
            programme=p,
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            capacity=d["capacity"],
            place=d["place"],
            online_url=d["online_url"],
            instructor=d["instructor"],
        )
        messages.success(request, _("Session added."))
        return True
    if action in STATUS_ACTIONS:
        services.programme_set_status(actor=request.user, programme=p, status=action)
        messages.success(request, _("Status changed."))
        return True
    if action == "draw":
        services.programme_draw(actor=request.user, programme=p)
        messages.success(request, _("The draw has taken place."))
        return True
    if action == "promote":
        offered = services.waitlist_promote(programme_id=p.pk)
        messages.success(request, _("%(n)s offers sent.") % {"n": len(offered)})
        return True
    if action == "certificates":
        certs = services.certificates_issue(actor=request.user, programme=p)
        messages.success(request, _("%(n)s certificates issued.") % {"n": len(certs)})
        return True
    if action == "priority":
        services.application_set_priority(
            actor=request.user,
            application_id=int(request.POST.get("application", 0)),
            priority=request.POST.get("value") == "1",
            programme_ids=[p.pk],
        )
        messages.success(request, _("Priority changed."))
        return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
def programme_manage(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    _organiser_only(request)
    p = selectors.organiser_programme_get(actor=request.user, pk=pk)
    is_session = request.method == "POST" and request.POST.get("action") == "session"
    session_form = SessionForm(request.POST if is_session else None)
    if request.method == "POST":
        try:
            if _manage_action(request, p, session_form):
                return redirect("programs:organiser_programme", pk=p.pk)
        except DomainError as exc:
            if exc.field_errors:
                add_domain_error(session_form, exc)
            else:
                messages.error(request, str(exc.message))
        except ValueError:
            messages.error(request, _("Unknown participant."))
    opened = services.programme_applicants_open(
        actor=request.user, programme_id=p.pk, request=request
    )
    return render(
        request,
        "programs/organiser/manage.html",
        {
            "p": opened.programme,
            "rows": opened.rows,
            "session_form": session_form,
            "grid": selectors.attendance_grid(opened.programme),
            "survey": selectors.survey_results(opened.programme),
            "taken": selectors.seats_taken(opened.programme),
            "commitment": selectors.seed_commitment(opened.programme.lottery_seed),
            "actions": selectors.programme_organiser_actions(
                programme=opened.programme
            ),
            "export_form": ExportForm(initial={"what": "participants"}),
            "message_form": MessageForm(),
        },
        status=422 if session_form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(
    request: AuthedHttpRequest, pk: int, session_pk: int
) -> HttpResponse:
    _organiser_only(request)
    if request.method == "POST":
        s = selectors.organiser_session_get(
            actor=request.user, programme_id=pk, session_id=session_pk
        )
        ids = list(
            selectors.organiser_applications(programme=s.programme)
            .filter(status=Application.Status.SELECTED)
            .values_list("pk", flat=True)
        )
        try:
            present = [int(x) for x in request.POST.getlist("present")]
            services.attendance_mark(
                actor=request.user,
                session=s,
                application_ids=ids,
                present_ids=present,
            )
            messages.success(request, _("Attendance saved."))
            return redirect("programs:organiser_programme", pk=pk)
        except (DomainError, ValueError):
            messages.error(request, _("Unknown participant."))
    sheet = services.session_attendance_open(
        actor=request.user, programme_id=pk, session_id=session_pk, request=request
    )
    s = sheet.session
    return render(
        request,
        "programs/organiser/attendance.html",
        {
            "s": s,
            "p": s.programme,
            "apps": sheet.applications,
            "present": sheet.present,
            "checkin_url": request.build_absolute_uri(services.checkin_url(s)),
        },
    )


@login_required
@require_http_methods(["GET"])
def session_qr(request: AuthedHttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """An SVG QR code of the signed, expiring check-in link, to show at the session."""
    _organiser_only(request)
    s = selectors.organiser_session_get(
        actor=request.user, programme_id=pk, session_id=session_pk
    )
    return HttpResponse(
        qr_svg(request.build_absolute_uri(services.checkin_url(s))),
        content_type="image/svg+xml",
    )


def qr_svg(url: str) -> bytes:
    """A standalone SVG document (XML declaration and SVG namespace, so that browsers
    show it in an ``<img>``) of the absolute check-in URL a phone camera opens."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out,
        kind="svg",
        scale=8,
        xmldecl=True,
        svgns=True,
        title=_("Check-in QR code"),
    )
    return out.getvalue()


@login_required
@require_http_methods(["GET"])
def programme_export(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Participants or attendance as CSV or Excel (formula-safe, access-logged)."""
    _organiser_only(request)
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose what to export and a file type."))
        return redirect("programs:organiser_programme", pk=pk)
    f = services.programme_export_open(
        actor=request.user,
        programme_id=pk,
        what=form.cleaned_data["what"],
        fmt=form.cleaned_data["format"],
        request=request,
    )
    return file_response(f.body, content_type=f.content_type, filename=f.filename)


@login_required
@require_http_methods(["GET", "POST"])
def programme_message(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Write to everyone with a place in the programme (in-app and e-mail)."""
    _organiser_only(request)
    p = selectors.organiser_programme_get(actor=request.user, pk=pk)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.programme_message_send(
                actor=request.user,
                programme_id=p.pk,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
            messages.success(request, _("Message sent to %(n)s people.") % {"n": n})
            return redirect("programs:organiser_programme", pk=p.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "programs/organiser/message.html",
        {"p": p, "form": form},
        status=422 if request.method == "POST" else 200,
    )
