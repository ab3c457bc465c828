"""Thin views: a student's recommendations and diagnostic quiz, a mastery map."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error

from . import selectors, services
from .forms import DiagnosticForm
from .reasons import reason_text


def _lesson_rows(shown: services.Shown, limit: int | None = None) -> list[dict]:
    """Each shown lesson with its reason as a sentence in the reader's language."""
    events, ranked = shown.lesson_events[:limit], shown.recs.lessons[:limit]
    codes = {str(e.reason.get(k, "")) for e in events for k in ("skill", "unlocks")}
    names = selectors.skill_names(sorted(c for c in codes if c))
    return [
        {"event": e, "ranked": r, "reason": reason_text(e.reason, names)}
        for e, r in zip(events, ranked, strict=True)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def recommendations(request: HttpRequest) -> HttpResponse:
    from nanum.learning.models import Item

    if request.method == "POST":
        ids = [
            int(k[5:])
            for k in request.POST
            if k.startswith("item_") and k[5:].isdigit()
        ]
        items = list(
            Item.objects.filter(pk__in=ids[:20], lesson__course__is_published=True)
        )
        form = DiagnosticForm(request.POST, items=items)
        if form.is_valid():
            try:
                services.diagnostic_submit(actor=request.user, answers=form.answers())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, _("Thank you. Your recommendations are updated.")
                )
                return redirect("learner_model:recommendations")
    shown = services.recommendations_show(actor=request.user)
    recs = shown.recs
    items = {i.pk: i for i in Item.objects.filter(pk__in=recs.diagnostic)}
    diagnostic = [items[i] for i in recs.diagnostic if i in items]
    if request.method != "POST":
        form = DiagnosticForm(items=diagnostic)
    lessons = _lesson_rows(shown)
    practice = [
        {"event": e, "pick": p}
        for e, p in zip(shown.item_events, recs.items, strict=True)
    ]
    return render(
        request,
        "learner_model/recommendations.html",
        {
            "lessons": lessons,
            "practice": practice,
            "form": form,
            "diagnostic": diagnostic,
            "estimator": recs.estimator,
        },
    )


@login_required
def panel(request: HttpRequest) -> HttpResponse:
    """The top three lessons, as a fragment for the student's home (htmx)."""
    shown = services.recommendations_show(actor=request.user)
    lessons = _lesson_rows(shown, limit=3)
    return render(
        request,
        "learner_model/panel.html",
        {"lessons": lessons, "diagnostic": bool(shown.recs.diagnostic)},
    )


@login_required
@require_POST
def follow(request: HttpRequest, event_id: int) -> HttpResponse:
    try:
        event = services.recommendation_follow(actor=request.user, event_id=event_id)
    except DomainError as exc:
        raise Http404 from exc
    return redirect(reverse("learning:lesson", args=[event.lesson_id]))


@login_required
def my_students(request: HttpRequest) -> HttpResponse:
    students = selectors.students_of_teacher(request.user)
    return render(request, "learner_model/students.html", {"students": students})


@login_required
def mastery(request: HttpRequest, student_id: int) -> HttpResponse:
    try:
        student, estimator, rows = services.mastery_map_open(
            actor=request.user, student_id=student_id, request=request
        )
    except DomainError as exc:
        raise Http404 from exc
    return render(
        request,
        "learner_model/mastery.html",
        {"student": student, "rows": rows, "estimator": estimator},
    )
