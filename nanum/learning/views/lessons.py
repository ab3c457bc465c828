"""Nanum's own lessons: read or watch, answer quiz items (each answer is recorded)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nanum.core.errors import DomainError
from nanum.core.http import AuthedHttpRequest
from nanum.core.idempotency import form_once

from .. import selectors, services
from ..selectors.quiz import answer_feedback
from ..selectors.study import completed_lesson_ids
from ._common import int_or_none


@login_required
def lessons(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/lessons.html",
        {
            "courses": selectors.course_list(),
            "done": completed_lesson_ids(student=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Read the lesson and answer its items. An answer is a POST that redirects to the
    lesson with its feedback (reload-safe); the form's one-time token (the offline
    queue sends a client-made id in its place) makes a resent answer count once."""
    obj = selectors.lesson_get(lesson_id=pk)
    here = reverse("learning:lesson", args=[obj.pk])
    if request.method == "POST":
        if request.POST.get("action") == "complete":
            services.lesson_complete(actor=request.user, lesson_id=obj.pk)
            messages.success(request, _("Lesson finished. Study time was added."))
            return redirect(here)
        item_id = int_or_none(request.POST.get("item"))
        answer = int_or_none(request.POST.get("answer"))
        try:
            started = signing.loads(request.POST.get("started", ""), max_age=3600)
            duration = int((time.time() - float(started)) * 1000)
        except (signing.BadSignature, ValueError, TypeError):
            duration = 0
        item = next((i for i in obj.items.all() if i.pk == item_id), None)
        if item is None or answer is None:
            messages.error(request, _("Choose one of the answers."))
            return redirect(f"{here}#item-{item_id}" if item else here)
        with form_once(request) as once:  # sent twice (or queued offline): once
            if once.replayed:
                return once.replayed
            try:
                inter = services.answer_record(
                    actor=request.user,
                    item_id=item.pk,
                    answer=answer,
                    duration_ms=duration,
                )
            except DomainError as exc:
                found = [str(m) for ms in exc.field_errors.values() for m in ms]
                messages.error(request, " ".join(found) or str(exc.message))
                return redirect(f"{here}#item-{item.pk}")
            return once.done(
                redirect(f"{here}?{urlencode({'answered': inter.pk})}#item-{item.pk}")
            )
    services.lesson_start(actor=request.user, lesson_id=obj.pk)
    feedback = answer_feedback(
        student=request.user,
        lesson=obj,
        interaction_id=int_or_none(request.GET.get("answered")),
    )
    return render(
        request,
        "learning/lesson.html",
        {"lesson": obj, "feedback": feedback, "started": signing.dumps(time.time())},
    )
