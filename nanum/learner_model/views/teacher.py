"""Pages for a student's teachers and mentors: their students, a mastery map."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from nanum.core.http import AuthedHttpRequest

from .. import selectors, services


@login_required
def my_students(request: AuthedHttpRequest) -> HttpResponse:
    students = selectors.student_list(actor=request.user)
    return render(request, "learner_model/students.html", {"students": students})


@login_required
def mastery(request: AuthedHttpRequest, student_id: int) -> HttpResponse:
    opened = services.mastery_map_open(
        actor=request.user, student_id=student_id, request=request
    )
    return render(
        request,
        "learner_model/mastery.html",
        {"student": opened.student, "rows": opened.rows, "basis": opened.basis},
    )
