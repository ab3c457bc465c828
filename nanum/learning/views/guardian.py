"""Guardian pages: one child's progress, seat and site, sign-in; the child's code
sign-in page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from nanum.core.errors import DomainError
from nanum.core.forms import add_domain_error
from nanum.core.http import AuthedHttpRequest
from nanum.core.services import client_address

from .. import selectors, services
from ..forms import ChildCodeForm, ChildCodeSignInForm, ChildPasswordForm
from ._common import int_or_none


def _page(
    request: AuthedHttpRequest,
    child_id: int,
    *,
    password_form: ChildPasswordForm | None = None,
    code_form: ChildCodeForm | None = None,
    code: str = "",
    status: int = 200,
) -> HttpResponse:
    data = selectors.child_progress(actor=request.user, child_id=child_id)
    data.update(
        password_form=password_form or ChildPasswordForm(),
        code_form=code_form or ChildCodeForm(),
        code=code,
    )
    response = render(request, "learning/guardian/child.html", data, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
def child(request: AuthedHttpRequest, child_id: int) -> HttpResponse:
    return _page(request, child_id)


@login_required
@require_POST
def child_seat(request: AuthedHttpRequest, child_id: int) -> HttpResponse:
    selectors.guarded_child_get(actor=request.user, child_id=child_id)
    try:
        seat = services.child_seat_choose(
            actor=request.user,
            child_id=child_id,
            provider_id=int_or_none(request.POST.get("provider")) or 0,
        )
    except DomainError as exc:
        messages.error(
            request,
            str(exc.message)
            + "".join(f" {m}" for msgs in exc.field_errors.values() for m in msgs),
        )
    else:
        if seat is None:
            messages.info(
                request, _("That site is full. Your child is on its waiting list.")
            )
        else:
            messages.success(request, _("Your child's seat is ready."))
    return redirect("learning:guardian_child", child_id)


@login_required
@require_POST
def child_handoff(
    request: AuthedHttpRequest, child_id: int, seat_id: int
) -> HttpResponse:
    selectors.guarded_child_get(actor=request.user, child_id=child_id)
    try:
        url = services.child_handoff_link(
            actor=request.user, child_id=child_id, seat_id=seat_id
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("learning:guardian_child", child_id)
    # Not a redirect: the site's CSP (form-action 'self') stops a form's redirect to
    # another origin, so the answer is a page that moves on by itself (and a link).
    data = selectors.child_progress(actor=request.user, child_id=child_id)
    response = render(
        request, "learning/handoff.html", {"url": url, "seat": data["seat"]}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def child_password(request: AuthedHttpRequest, child_id: int) -> HttpResponse:
    form = ChildPasswordForm(request.POST)
    if form.is_valid():
        try:
            kid = services.child_password_set(
                actor=request.user,
                child_id=child_id,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                consent=form.cleaned_data["consent"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            messages.success(
                request,
                _("%(name)s can now sign in as “%(username)s”.")
                % {"name": kid, "username": kid.username},
            )
            return redirect("learning:guardian_child", child_id)
    return _page(request, child_id, password_form=form)


@login_required
@require_POST
def child_code(request: AuthedHttpRequest, child_id: int) -> HttpResponse:
    form = ChildCodeForm(request.POST)
    if form.is_valid():
        try:
            code = services.child_code_issue(
                actor=request.user,
                child_id=child_id,
                consent=form.cleaned_data["consent"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            return _page(request, child_id, code=code)
    return _page(request, child_id, code_form=form)


@never_cache
@require_http_methods(["GET", "POST"])
def code_sign_in(request: HttpRequest) -> HttpResponse:
    """A child signs in with the one-time code a guardian gave them."""
    form = ChildCodeSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kid = services.child_code_redeem(
                code=form.cleaned_data["code"],
                # the client behind trusted proxies, as the sign-in throttle sees it
                client_key=client_address(request) or "unknown",
            )
        except DomainError as exc:
            add_domain_error(form, exc, with_summary=True)
        else:
            login(request, kid, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("learning:student_home")
    return render(request, "learning/guardian/code_sign_in.html", {"form": form})
