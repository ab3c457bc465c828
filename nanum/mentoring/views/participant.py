"""Pages for both sides of a pair (mentor and mentee) and staff looking at a pair:
home, a pair, attendance, messages, the taster decision, problems. Thin: parse with
a form, call a service or selector, render."""

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
from nanum.core.navigation import nav_allows

from .. import selectors, services
from ..forms import MessageForm, ProblemForm, SecondSessionForm
from ..models import Match
from ._common import flash_refusal


@require_http_methods(["GET"])
@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    mentees = list(selectors.my_mentees(user))
    my_matches = list(selectors.my_mentor_matches(user))
    upcoming = selectors.upcoming_sessions([*mentees, *my_matches])
    towns = selectors.mentee_tenants(user) if not mentees else []
    terms = [t for town in towns for t in selectors.open_terms(town)]
    open_ids = {m.term_id for m in my_matches if m.status == Match.Status.ACTIVE}
    staff_ids = selectors.staff_tenant_ids(user)
    is_staff = staff_ids is None or bool(staff_ids)
    return render(
        request,
        "mentoring/home.html",
        {
            "mentees": [
                (m, services.why_text(m.why), services.hour_label(m.hour_of_week))
                for m in mentees
            ],
            "my_matches": [
                (m, services.why_text(m.why), services.hour_label(m.hour_of_week))
                for m in my_matches
            ],
            "upcoming": upcoming,
            "terms": [t for t in terms if t.pk not in open_ids],
            "profiles": list(selectors.own_mentor_profiles(user)),
            "is_staff": is_staff,
            "can_report": bool(towns) or bool(my_matches),
            # as the menu: members only where their town offers counselling
            "show_counselling": is_staff or nav_allows(user, "mentoring:counselling"),
        },
    )


@require_http_methods(["GET"])
@login_required
def pair(request: AuthedHttpRequest, match_id: int) -> HttpResponse:
    view = services.match_open(actor=request.user, match_id=match_id, request=request)
    match = view.match
    return render(
        request,
        "mentoring/pair.html",
        {
            "match": match,
            "role": view.role,
            "why": services.why_text(match.why),
            "slot": services.hour_label(match.hour_of_week),
            "second_slot": (
                services.hour_label(match.second_hour_of_week)
                if match.second_hour_of_week is not None
                else ""
            ),
            "sessions": view.sessions,
            "now": clock.now(),
            "messages_list": view.messages,
            "message_form": MessageForm(),
            "second_form": SecondSessionForm() if view.role == "mentor" else None,
        },
    )


@require_POST
@login_required
def session_confirm(request: AuthedHttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get(actor=request.user, session_id=session_id)
    try:
        services.session_confirm(actor=request.user, session_id=session.pk)
        messages.success(request, _("Attendance confirmed."))
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("mentoring:pair", match_id=session.match_id)


@require_POST
@login_required
def message_send(request: AuthedHttpRequest, match_id: int) -> HttpResponse:
    match = selectors.match_get(actor=request.user, match_id=match_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_send(
                actor=request.user, match_id=match.pk, body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            flash_refusal(request, exc)
    else:
        messages.error(request, _("Write a message of at most 2000 characters."))
    return redirect("mentoring:pair", match_id=match.pk)


@require_POST
@login_required
def taster_decide(request: AuthedHttpRequest, match_id: int) -> HttpResponse:
    try:
        services.match_taster_decide(
            actor=request.user, match_id=match_id, keep=request.POST.get("keep") == "1"
        )
        messages.success(request, _("Thank you. Your choice was saved."))
    except DomainError as exc:
        flash_refusal(request, exc)
    return redirect("mentoring:home")


@require_http_methods(["GET", "POST"])
@login_required
def problem(request: AuthedHttpRequest) -> HttpResponse:
    raw = request.GET.get("pair") or request.POST.get("pair")
    match_id = int(raw) if raw and raw.isdigit() else None
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_report(
                actor=request.user, body=form.cleaned_data["body"], match_id=match_id
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("Thank you. Staff have been told and will contact you.")
            )
            return redirect("mentoring:home")
    return render(
        request,
        "mentoring/form_page.html",
        {
            "form": form,
            "title": _("Report a problem to staff"),
            "hidden": {"pair": match_id or ""},
        },
    )
