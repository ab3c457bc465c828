"""Teachers browse the catalogue as cards and see a month of free dates for one model."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from nanum.core import clock
from nanum.core.http import AuthedHttpRequest

from .. import selectors
from ..forms import CalendarForm, CatalogueForm


def _page(raw: str) -> int:
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1


@login_required
@require_GET
def catalogue(request: AuthedHttpRequest) -> HttpResponse:
    form = CatalogueForm(request.GET or None)
    category = form.cleaned_data["category"] if form.is_valid() else ""
    page = _page(request.GET.get("page", "1"))
    cards, has_more = selectors.catalogue_cards(
        actor=request.user, category=category, page=page
    )
    return render(
        request,
        "lending/catalogue.html",
        {
            "form": form,
            "cards": cards,
            "page": page,
            "has_more": has_more,
            "category": category,
        },
    )


@login_required
@require_GET
def model_calendar(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    model = selectors.model_get(actor=request.user, model_id=pk)
    today = clock.today()
    data = request.GET.copy()
    data.setdefault("month", today.strftime("%Y-%m"))
    data.setdefault("quantity", "1")
    form = CalendarForm(data, first=today.replace(day=1), last=selectors.last_month())
    cal = None
    if form.is_valid():
        cal = selectors.model_calendar(
            actor=request.user,
            model_id=model.pk,
            month=form.cleaned_data["month"],
            quantity=form.cleaned_data["quantity"],
        )
    return render(
        request,
        "lending/model_calendar.html",
        {
            "form": form,
            "model": model,
            "cal": cal,
            "can_book": selectors.school_list(actor=request.user).exists(),
        },
        status=200 if cal else 400,
    )
