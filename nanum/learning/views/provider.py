"""Provider pages: the seats assigned to them, and usage upload."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nanum.core.errors import DomainError
from nanum.core.http import AuthedHttpRequest

from .. import selectors, services
from ..forms import LectureCatalogueForm, UsageUploadForm
from ._common import provider_required


@provider_required
@require_http_methods(["GET", "POST"])
def provider_home(request: AuthedHttpRequest) -> HttpResponse:
    try:
        provider = selectors.provider_get(actor=request.user)
    except DomainError:
        return render(request, "learning/provider_home.html", {"provider": None})
    form = UsageUploadForm(request.POST or None, request.FILES or None)
    bad_rows: list[tuple[str, list[str]]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > 10 * 1024 * 1024:
                raise DomainError(
                    _("The file is larger than 10 MB."),
                    code="invalid_input",
                    status=422,
                )
            rows = services.usage_parse_csv(upload.read())
            n = services.usage_import(
                actor=request.user, rows=rows, provider_id=provider.pk
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            bad_rows = [(k, [str(m) for m in v]) for k, v in exc.field_errors.items()][
                :200
            ]
        else:
            messages.success(request, _("%(n)s rows were imported.") % {"n": n})
            return redirect("learning:provider_home")
    seats = Paginator(selectors.provider_seats(provider=provider), 100).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learning/provider_home.html",
        {"provider": provider, "form": form, "seats": seats, "bad_rows": bad_rows},
    )


@provider_required
@require_http_methods(["GET", "POST"])
def provider_lectures(request: AuthedHttpRequest) -> HttpResponse:
    """The provider's lecture catalogue and its import (CSV/XLSX, all rows or none)."""
    try:
        provider = selectors.provider_get(actor=request.user)
    except DomainError:
        return render(request, "learning/provider_lectures.html", {"provider": None})
    form = LectureCatalogueForm(request.POST or None, request.FILES or None)
    bad_rows: list[tuple[str, list[str]]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > 5 * 1024 * 1024:
                raise DomainError(
                    _("The file is larger than 5 MB."), code="invalid_input", status=422
                )
            rows = services.lecture_rows_read(upload.read(), upload.name)
            done = services.lecture_catalogue_import(
                actor=request.user, rows=rows, provider_id=provider.pk
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            bad_rows = [(k, [str(m) for m in v]) for k, v in exc.field_errors.items()][
                :200
            ]
        else:
            messages.success(
                request,
                _("%(new)s lectures were added and %(old)s updated.")
                % {"new": done.created, "old": done.updated},
            )
            return redirect("learning:provider_lectures")
    lectures = Paginator(selectors.provider_lectures(provider=provider), 100).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learning/provider_lectures.html",
        {
            "provider": provider,
            "form": form,
            "lectures": lectures,
            "bad_rows": bad_rows,
        },
    )
