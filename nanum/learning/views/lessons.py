"""Nanum's own lessons: read or watch, answer quiz items (each answer is recorded)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nanum.core.errors import DomainError
from nanum.core.http import AuthedHttpRequest

from .. import selectors, services
from ..selectors.study import completed_lesson_ids
from ._common import home_changed, int_or_none


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
    obj = selectors.lesson_get(lesson_id=pk)
    result: dict[str, object] | None = None
    if request.method == "POST":
        home_changed(request)
        if request.POST.get("action") == "complete":
            services.lesson_complete(actor=request.user, lesson_id=obj.pk)
            messages.success(request, _("Lesson finished. Study time was added."))
            return redirect("learning:lesson", obj.pk)
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
        else:
            try:
                inter = services.answer_record(
                    actor=request.user,
                    item_id=item.pk,
                    answer=answer,
                    duration_ms=duration,
                )
                result = {"item": item, "correct": inter.correct}
            except DomainError as exc:
                messages.error(request, str(exc.message))
    else:
        services.lesson_start(actor=request.user, lesson_id=obj.pk)
        home_changed(request)
    return render(
        request,
        "learning/lesson.html",
        {"lesson": obj, "result": result, "started": signing.dumps(time.time())},
    )
