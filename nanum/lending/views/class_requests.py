"""A teacher's whole class request: its parts, one change (dates, units) or one cancel.

All parts together, all or none (``services.class_request_change`` and ``_cancel``).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest

from .. import selectors, services
from ..forms import ClassRequestChangeForm, ReasonForm
from ..models import Reservation


@login_required
@require_http_methods(["GET", "POST"])
def class_request_detail(request: AuthedHttpRequest, group: uuid.UUID) -> HttpResponse:
    parts = selectors.class_request_parts(actor=request.user, group=group)
    open_parts = [r for r in parts if r.status in Reservation.OPEN]
    units: dict[int, tuple[int, str, int]] = {}
    for r in open_parts:
        _id, name, n = units.get(r.equipment_id, (r.equipment_id, r.equipment.name, 0))
        units[r.equipment_id] = (r.equipment_id, name, n + r.quantity)
    first = open_parts[0] if open_parts else parts[0]
    action = request.POST.get("action") if request.method == "POST" else None
    change_form = ClassRequestChangeForm(
        request.POST if action == "change" else None,
        models=list(units.values()),
        initial={"start_date": first.start_date, "end_date": first.end_date},
    )
    reason_form = ReasonForm(request.POST if action == "cancel" else None)
    try:
        if action == "change" and change_form.is_valid():
            d = change_form.cleaned_data
            services.class_request_change(
                actor=request.user,
                group=group,
                start_date=d["start_date"],
                end_date=d["end_date"],
                quantities=change_form.quantities(),
            )
            messages.success(request, _("The whole class request was changed."))
            return redirect("lending:class_request_detail", group=group)
        if action == "cancel" and reason_form.is_valid():
            services.class_request_cancel(
                actor=request.user,
                group=group,
                reason=reason_form.cleaned_data["reason"],
            )
            messages.success(request, _("The whole class request was cancelled."))
            return redirect("lending:class_request_detail", group=group)
    except DomainError as exc:
        add_domain_error(
            change_form if action == "change" else reason_form, exc, with_summary=True
        )
    bad = (
        change_form.errors
        or reason_form.errors
        or (action not in (None, "change", "cancel"))
    )
    return render(
        request,
        "lending/class_request_detail.html",
        {
            "group": group,
            "parts": parts,
            "open_parts": open_parts,
            "can_edit": bool(open_parts)
            and not any(r.status == Reservation.Status.CHECKED_OUT for r in open_parts),
            "change_form": change_form,
            "reason_form": reason_form,
        },
        status=422 if bad else 200,
    )
