"""Pages for mentees: the survey that asks for a mentor, and rating a session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nanum.core.http import AuthedHttpRequest

from .. import selectors, services
from ..forms import RateForm, SurveyForm
from ._common import form_submit

SURVEY_FIELDS = (
    "subjects",
    "level",
    "availability",
    "mode",
    "place",
    "mentor_gender",
    "wants_taster",
    "notes",
)


@require_http_methods(["GET", "POST"])
@login_required
def survey(request: AuthedHttpRequest, term_id: int) -> HttpResponse:
    term = selectors.survey_term_get(actor=request.user, term_id=term_id)
    existing = selectors.own_survey(actor=request.user, term=term)
    initial: dict[str, Any] = {}
    if existing:
        initial = {f: getattr(existing, f) for f in SURVEY_FIELDS}
        initial.update(district=existing.district_id, university=existing.university_id)
    form = SurveyForm(request.POST or None, tenant_id=term.tenant_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if form_submit(
            request,
            form,
            _("Thank you. We will tell you when you have a mentor."),
            services.survey_submit,
            actor=request.user,
            term_id=term.pk,
            data=services.SurveyInput(
                subjects=d["subjects"],
                level=d["level"],
                availability=d["availability"],
                mode=d["mode"],
                district_id=d["district"].pk if d["district"] else None,
                place=d["place"],
                mentor_gender=d["mentor_gender"] or "",
                university_id=d["university"].pk if d["university"] else None,
                wants_taster=d["wants_taster"],
                notes=d["notes"],
            ),
        ):
            return redirect("mentoring:home")
    return render(
        request,
        "mentoring/form_page.html",
        {"form": form, "title": _("Find a mentor: %(term)s") % {"term": term.name}},
    )


@require_http_methods(["GET", "POST"])
@login_required
def session_rate(request: AuthedHttpRequest, session_id: int) -> HttpResponse:
    session = selectors.mentee_session_get(actor=request.user, session_id=session_id)
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form_submit(
            request,
            form,
            _("Thank you for rating the session."),
            services.session_rate,
            actor=request.user,
            session_id=session.pk,
            stars=form.cleaned_data["stars"],
            comment=form.cleaned_data["comment"],
        ):
            return redirect("mentoring:pair", match_id=session.match_id)
    return render(
        request,
        "mentoring/form_page.html",
        {"form": form, "title": _("Rate the session")},
    )
