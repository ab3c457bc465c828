"""Guardian page: a linked child's mentoring sessions and the mentor's reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from nanum.core.http import AuthedHttpRequest

from .. import services


@login_required
@never_cache
def child(request: AuthedHttpRequest, child_id: int) -> HttpResponse:
    view = services.child_mentoring_open(
        actor=request.user, child_id=child_id, request=request
    )
    return render(request, "mentoring/guardian_child.html", {"view": view})
