"""Nanum's own lessons: read or watch, answer quiz items (each answer is recorded)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nanum.core.errors import DomainError

from ..models import Course, Lesson, LessonProgress
from ..services import study
from .common import home_changed, int_or_none


@login_required
def lessons(request: HttpRequest) -> HttpResponse:
    courses = Course.objects.filter(is_published=True).prefetch_related("lessons")
    done = set(
        LessonProgress.objects.filter(
            student=request.user, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    return render(request, "learning/lessons.html", {"courses": courses, "done": done})


@login_required
@require_http_methods(["GET", "POST"])
def lesson(request: HttpRequest, pk: int) -> HttpResponse:
    obj = (
        Lesson.objects.select_related("course")
        .prefetch_related("items")
        .filter(pk=pk, course__is_published=True)
        .first()
    )
    if obj is None:
        raise Http404
    result = None
    if request.method == "POST":
        home_changed(request)
        if request.POST.get("action") == "complete":
            study.lesson_complete(actor=request.user, lesson_id=obj.pk)
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
                inter = study.answer_record(
                    actor=request.user,
                    item_id=item.pk,
                    answer=answer,
                    duration_ms=duration,
                )
                result = {"item": item, "correct": inter.correct}
            except DomainError as exc:
                messages.error(request, str(exc.message))
    else:
        study.lesson_start(actor=request.user, lesson_id=obj.pk)
        home_changed(request)
    return render(
        request,
        "learning/lesson.html",
        {"lesson": obj, "result": result, "started": signing.dumps(time.time())},
    )
